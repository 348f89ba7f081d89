// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP
import RLPxPeer
import RLPxServe
import RLPxTestSupport
import Synchronization
import Testing

/// eth load against an in-process served chain (the project's 65-block chain with its receipts), over loopback:
/// every answer checked, and a chain that differs from the served one counted as mismatches.
@Suite(.timeLimit(.minutes(2))) struct EthLoadTests {
    static func chain() throws -> (blocks: [Block], receipts: [[Receipt]]) {
        let blocks = try Block.sequence(Array(try Vectors.projectData("chain/chain.rlp")))
        let file = try #require(try Vectors.project("chain/receipts.json") as? [String: Any])
        let receipts: [[Receipt]] = try (file["blocks"] as? [[String: Any]] ?? []).map { entry in
            try (entry["receipts"] as? [String] ?? []).map { hex in
                // A typed receipt is written in its binary form (type ‖ list): wrapped, as a block's list holds it.
                let bytes = try Hex.decode(hex)
                var reader = RLPReader(bytes.first.map { $0 >= 0xc0 } ?? true ? bytes : RLPWriter.encode { $0.write(bytes: bytes) })
                return try Receipt(rlp: &reader, form: .consensus)
            }
        }
        return (blocks, receipts)
    }

    /// Serves `blocks` and `receipts`, runs `load` against it for one second with two sessions, and closes.
    static func run(_ load: EthLoad, request: EthLoad.Request, served: (blocks: [Block], receipts: [[Receipt]])) async throws -> EthLoad.Report {
        let config = ChainConfig(
            name: "test", networkID: 7, chainID: 7, genesisHash: served.blocks[0].header.hash, genesisTime: 0, forkBlocks: [], forkTimes: [])
        let chain = ServedChain(
            config: config, blocks: served.blocks, receipts: served.receipts, states: [], selfID: [UInt8](repeating: 1, count: 64))
        let events = SessionServiceTests.Events()
        let listener = try await RLPxListener.bind(
            host: "127.0.0.1", port: 0, configuration: SessionServiceTests.configuration(ServedChain.protocols)
        ) { connection in
            await SessionService.chain(chain).serve(connection) { event in events.list.withLock { $0.append(event) } }
        }
        let client = SessionServiceTests.configuration(ServedChain.protocols.filter { $0.name == "eth" })
        let report = await load.run(
            listener.enodeURL, configuration: client, options: EthLoad.Options(request: request, sessions: 2, duration: .seconds(1)))
        await listener.close()
        return report
    }

    @Test(arguments: EthLoad.Request.allCases) func everyAnswerMatchesTheChain(request: EthLoad.Request) async throws {
        let chain = try Self.chain()
        let report = try await Self.run(EthLoad(request: request, blocks: chain.blocks, receipts: chain.receipts), request: request, served: chain)
        #expect(report.completed == 2, "\(report.failures)")
        #expect(report.requests > 2 && report.bytes > report.requests * 100)
        #expect(report.mismatches == 0, "\(report.firstMismatch ?? "")")
        #expect(report.p50 > 0 && report.p50 <= report.p99)
    }

    /// The load expects another chain's bodies and receipts than the one served: every answer that covers the
    /// changed block is a mismatch.
    @Test(arguments: [EthLoad.Request.bodies, .receipts]) func aWrongAnswerIsAMismatch(request: EthLoad.Request) async throws {
        let served = try Self.chain()
        var blocks = served.blocks
        var receipts = served.receipts
        let changed = try #require(blocks.indices.last { !blocks[$0].body.transactions.isEmpty })
        blocks[changed].body.transactions.removeLast()
        receipts[changed].removeLast()
        let report = try await Self.run(EthLoad(request: request, blocks: blocks, receipts: receipts), request: request, served: served)
        #expect(report.requests > 0)
        #expect(report.mismatches > 0 && report.firstMismatch?.contains("differs from the chain") == true, "\(report)")
    }
}
