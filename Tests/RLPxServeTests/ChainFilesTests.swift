// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLPxServe
import RLPxTestSupport
import Testing

/// go-ethereum's ethtest chain, as `serve --eth` and `probe` load it: its directory and this repository's additions
/// to it combined, and every kind of bad file refused with a code and the file's name.
@Suite struct ChainFilesTests {
    static var ethtest: String { Vectors.sharedDirectory.appendingPathComponent("ethtest").path }
    static var additions: String { Vectors.projectRoot.appendingPathComponent("Vectors/ethtest").path }

    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chainfiles-\(UInt64.random(in: 0...UInt64.max))").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theEthtestDirectoriesLoad() throws {
        let loaded = try #require(try ChainFiles(directories: [Self.ethtest, Self.additions]).load())
        #expect(loaded.blocks.first?.header.number == 0)
        #expect(loaded.blocks.first?.header.hash == loaded.config.genesisHash)
        #expect(loaded.blocks.count > 1)
        #expect(zip(loaded.blocks, loaded.blocks.dropFirst()).allSatisfy { $1.header.base.parentHash == $0.header.hash })
        #expect(loaded.receipts.count == loaded.blocks.count)
        #expect(!loaded.senders.isEmpty)
        #expect(loaded.forkchoiceRequest != nil)
        #expect(loaded.stateDumps.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["headstate.json", "state-473.json", "state-599.json"])
    }

    @Test func theGenesisAndChainFilesLoadAsTheirDirectory() throws {
        let files = ChainFiles(genesis: Self.ethtest + "/genesis.json", chain: Self.ethtest + "/chain.rlp")
        let loaded = try #require(try files.load())
        let fromDirectory = try #require(try ChainFiles(directories: [Self.ethtest]).load())
        #expect(loaded.blocks.map(\.header.hash) == fromDirectory.blocks.map(\.header.hash))
        #expect(loaded.receipts.isEmpty, "no receipts file named")
        #expect(try ChainFiles(chain: Self.ethtest + "/chain.rlp").load() == nil, "no genesis: nothing to load")
    }

    @Test func badFilesAreRefusedWithACode() throws {
        let missing = #expect(throws: ServeError.self) { try ChainFiles(genesis: "/nonexistent/genesis.json").load() }
        #expect(missing?.code == .unreadableFile)
        #expect(missing?.description == "cannot read genesis file /nonexistent/genesis.json: no such file")

        let truncated = try Self.temporaryFile("{\n  \"config\": ")
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        let notJSON = #expect(throws: ServeError.self) { try ChainFiles(genesis: truncated).load() }
        #expect(notJSON?.code == .invalidJSON)
        #expect(notJSON?.description.hasPrefix("\(truncated): not JSON: line 2") == true, "\(String(describing: notJSON))")

        let noConfig = try Self.temporaryFile("{}")
        defer { try? FileManager.default.removeItem(atPath: noConfig) }
        let invalidGenesis = #expect(throws: ServeError.self) { try ChainFiles(genesis: noConfig).load() }
        #expect(invalidGenesis?.code == .invalidGenesis)
        #expect(invalidGenesis?.description == "\(noConfig): no \"config\" object")

        let notBlocks = #expect(throws: ServeError.self) {
            try ChainFiles(genesis: Self.ethtest + "/genesis.json", chain: Self.ethtest + "/genesis.json").load()
        }
        #expect(notBlocks?.code == .invalidChain)
        #expect(notBlocks?.description.hasPrefix(Self.ethtest + "/genesis.json: ") == true)
    }
}
