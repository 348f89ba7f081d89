// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing

@Suite struct ForkIDVectorTests {
    /// The file's chain descriptions must equal the built-in configurations.
    @Test func builtInChainsMatchTheVectors() throws {
        let chains = try #require(try EthVectors.file("forkid.json")["chains"] as? [String: [String: Any]])
        #expect(Set(chains.keys) == Set(ChainConfig.builtIn.keys))
        for (name, chain) in chains {
            let config = try #require(ChainConfig.builtIn[name])
            #expect(config.genesisHash.description == "0x" + (EthVectors.hex(chain["genesisHash"]) ?? ""), "\(name)")
            #expect(config.networkID == EthVectors.uint64(chain["networkId"]))
            #expect(config.chainID == EthVectors.uint64(chain["chainId"]))
            #expect(config.genesisTime == EthVectors.uint64(chain["genesisTimestamp"]))
            let blocks = (chain["forksByBlock"] as? [[String: Any]] ?? []).compactMap { EthVectors.uint64($0["block"]) }
            let times = (chain["forksByTime"] as? [[String: Any]] ?? []).compactMap { EthVectors.uint64($0["time"]) }
            #expect(Set(config.forkBlocks.filter { $0 != 0 }) == Set(blocks.filter { $0 != 0 }), "\(name) blocks")
            #expect(Set(config.forkTimes.filter { $0 > config.genesisTime }) == Set(times.filter { $0 > config.genesisTime }), "\(name) times")
        }
    }

    @Test func creation() throws {
        let cases = try EthVectors.entries("forkid.json", "creation")
        #expect(cases.count == 78)
        for entry in cases {
            let config = try #require(ChainConfig.builtIn[entry["chain"] as? String ?? ""])
            let id = config.forkID(head: try #require(EthVectors.uint64(entry["head"])), time: try #require(EthVectors.uint64(entry["time"])))
            #expect(id.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(entry)")
            #expect(id.next == EthVectors.uint64(entry["next"]), "\(entry)")
        }
    }

    static func config(_ entry: [String: Any]) throws -> ChainConfig {
        ChainConfig(
            name: entry["network"] as? String ?? "local", networkID: 1, chainID: 1,
            genesisHash: try Hash32(hex: try #require(entry["genesisHash"] as? String)),
            genesisTime: EthVectors.uint64(entry["genesisTimestamp"]) ?? 0,
            forkBlocks: (entry["forksByBlock"] as? [Any] ?? []).compactMap { EthVectors.uint64($0) },
            forkTimes: (entry["forksByTime"] as? [Any] ?? []).compactMap { EthVectors.uint64($0) })
    }

    @Test func algorithmCases() throws {
        let cases = try EthVectors.entries("forkid.json", "algorithm_cases")
        #expect(cases.count == 76)
        for entry in cases {
            let id = try Self.config(entry).forkID(
                head: try #require(EthVectors.uint64(entry["head"])), time: try #require(EthVectors.uint64(entry["time"])))
            #expect(id.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(entry["comment"] ?? "")")
            #expect(id.next == EthVectors.uint64(entry["next"]), "\(entry["comment"] ?? "")")
        }
    }

    @Test func encoding() throws {
        for entry in try EthVectors.entries("forkid.json", "encoding") {
            let id = ForkID(
                hash: try FixedBytes<4>(hex: try #require(entry["hash"] as? String)), next: try #require(EthVectors.uint64(entry["next"])))
            let bytes = try Vectors.bytes(entry["rlp"])
            #expect(id.rlpEncoded() == bytes)
            #expect(try ForkID(rlpEncoded: bytes) == id)
        }
    }

    @Test func validation() throws {
        let file = try EthVectors.file("forkid.json")
        let locals = try #require(file["validation_locals"] as? [String: [String: Any]])
        let cases = try EthVectors.entries("forkid.json", "validation")
        #expect(cases.count == 61)
        for entry in cases {
            let local = try #require(locals[entry["local"] as? String ?? ""])
            let config = try (local["chain"] as? String).flatMap { ChainConfig.builtIn[$0] } ?? Self.config(local)
            let remote = ForkID(
                hash: try FixedBytes<4>(hex: try #require(entry["remoteHash"] as? String)),
                next: try #require(EthVectors.uint64(entry["remoteNext"])))
            let verdict = config.validate(
                remote, head: try #require(EthVectors.uint64(entry["head"])), time: try #require(EthVectors.uint64(entry["time"])))
            let expected: ForkIDVerdict =
                switch entry["expect"] as? String {
                case "ErrRemoteStale": .remoteStale
                case "ErrLocalIncompatibleOrStale": .localIncompatibleOrStale
                default: .compatible
                }
            #expect(verdict == expected, "\(entry)")
        }
    }

    @Test func gethGenesisConfigGathersForks() throws {
        let config = ChainConfig(
            name: "private", networkID: 1337, chainID: 1337, genesisHash: ChainConfig.mainnet.genesisHash, genesisTime: 0,
            gethConfig: ChainConfig.mainnet.forkBlocks.enumerated().map { ("fork\($0.offset)Block", $0.element) }
                + ChainConfig.mainnet.forkTimes.enumerated().map { ("fork\($0.offset)Time", $0.element) }
                + [("chainId", 1337), ("terminalTotalDifficulty", 0)])
        #expect(config.forkID(head: 20_000_000, time: 1_700_000_000) == ChainConfig.mainnet.forkID(head: 20_000_000, time: 1_700_000_000))
    }
}
