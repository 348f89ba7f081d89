// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Eth
import RLP
import RLPxCrypto
import RLPxProbe
import RLPxTestSupport
import Testing

/// go-ethereum's transaction tests, as the probe runs them, against nodes in memory with go-ethereum's pool and
/// fetcher (TxPool): a node that behaves passes all seven (and again on a rerun), a node that does not propagate or
/// keeps a peer that delivered a bad blob transaction fails, and without the Engine API they are UNSUPPORTED.
@Suite(.serialized) struct TransactionSuiteTests {
    static let ids = [
        "eth/tx/large-request", "eth/tx/propagate", "eth/tx/invalid", "eth/tx/announced", "eth/tx/blob-violations",
        "eth/tx/blob-without-sidecar", "eth/tx/blob-mismatched-sidecar",
    ]

    /// A chain of 40 blocks with network and chain ID 7, and eight funded senders.
    static func chain() throws -> KnownChain {
        let blocks = try MemoryChain.blocks(40)
        var random = SystemRandom()
        let config = ChainConfig(
            name: "memory", networkID: 7, chainID: 7, genesisHash: blocks[0].header.hash, genesisTime: 0, forkBlocks: [], forkTimes: [])
        return KnownChain(config: config, blocks: blocks, receipts: [], senders: (0..<8).map { _ in .random(using: &random) })
    }

    /// The tests `pattern` selects against `node`, on a thread of their own.
    static func run(
        _ pattern: String, node: MemoryPoolNode, known: KnownChain, engine: EngineTarget?, timeout: Double = 2
    ) async throws -> [String: ProbeResult] {
        try await Tool.detached {
            let introduction = try ProbeIntroduction.introduce(to: node.target, timeout: timeout, given: [], dialer: node.dialer)
            var results: [String: ProbeResult] = [:]
            ProbeSuite.run(
                try ProbeSuite.select(pattern), against: node.target, introduction: introduction, timeout: timeout, known: known,
                engine: engine, dialer: node.dialer
            ) { results[$0.test.id] = $0 }
            return results
        }
    }

    static func describe(_ results: [String: ProbeResult]) -> String {
        results.values.map { "\($0.test.id) \($0.verdict): \($0.observed)\n  " + $0.transcript.suffix(30).joined(separator: "\n  ") }.joined(
            separator: "\n")
    }

    @Test func allSevenPassAgainstAPoolThatBehavesAndAgainOnARerun() async throws {
        let known = try Self.chain()
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config))
        let first = try await Self.run("^eth/tx/", node: node, known: known, engine: node.engine)
        #expect(Set(first.keys) == Set(Self.ids))
        #expect(first.values.allSatisfy { $0.verdict == .ok }, "\(Self.describe(first))")
        #expect(node.forkchoiceCalls == 7)
        #expect(first["eth/tx/propagate"]?.observed.contains("the transaction reached the watching connection") ?? false)
        #expect(first["eth/tx/blob-without-sidecar"]?.observed.contains("Disconnect 16") ?? false, "\(Self.describe(first))")
        // The pool holds what the first run sent: the rerun raises the fee level and passes again.
        let again = try await Self.run("^eth/tx/(propagate|blob-mismatched-sidecar)$", node: node, known: known, engine: node.engine)
        #expect(again.values.allSatisfy { $0.verdict == .ok && $0.observed.contains("fee level 1") }, "\(Self.describe(again))")
    }

    @Test func aNodeThatNeverPropagatesFails() async throws {
        let known = try Self.chain()
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config), faults: .init(silent: true))
        let results = try await Self.run("^eth/tx/propagate$", node: node, known: known, engine: node.engine, timeout: 1)
        let result = try #require(results["eth/tx/propagate"])
        #expect(result.verdict == .failed)
        #expect(result.observed.contains("saw 0 of 1 hashes"), "\(result.observed)")
        #expect(node.pooled == 1, "the node took the transaction, it only kept it to itself")
    }

    @Test func aNodeThatKeepsThePeerOfASidecarLessBlobFails() async throws {
        let known = try Self.chain()
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config), faults: .init(keepsBadPeers: true))
        let results = try await Self.run("^eth/tx/blob-without-sidecar$", node: node, known: known, engine: node.engine, timeout: 1)
        let result = try #require(results["eth/tx/blob-without-sidecar"])
        #expect(result.verdict == .failed)
        #expect(result.observed.contains("the bad peer was not disconnected"), "\(result.observed)")
    }

    @Test func withoutTheEngineAPITheyAreUnsupported() async throws {
        let known = try Self.chain()
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config))
        let results = try await Self.run("^eth/tx/", node: node, known: known, engine: nil)
        #expect(results.count == 7)
        #expect(results.values.allSatisfy { $0.verdict == .unsupported && $0.observed.hasPrefix("give --engine-api URL --jwt-secret") })
        #expect(node.forkchoiceCalls == 0 && node.pooled == 0)
        // Selected by go-ethereum's names too.
        #expect(try ProbeSuite.select("^(LargeTxRequest|Transaction|InvalidTxs|NewPooledTxs|BlobViolations|TestBlobTx.*)$").map(\.id) == Self.ids)
    }

    /// An Engine API nobody listens at is the probe's problem: UNSUPPORTED with the error, not FAILED.
    @Test func anEngineAPIThatCannotBeReachedIsUnsupported() async throws {
        let known = try Self.chain()
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config))
        let secret = try JWTSecret(hex: "0x" + String(repeating: "73", count: 32))
        let engine = try EngineTarget(url: "http://127.0.0.1:1", secret: secret)
        let results = try await Self.run("^eth/tx/propagate$", node: node, known: known, engine: engine, timeout: 1)
        let result = try #require(results["eth/tx/propagate"])
        #expect(result.verdict == .unsupported)
        #expect(result.observed.hasPrefix("the forkchoice update could not be posted to http://127.0.0.1:1/"), "\(result.observed)")
        #expect(node.pooled == 0)
    }

    /// Without go-ethereum's accounts the tests cannot sign: UNSUPPORTED, said so.
    @Test func withoutFundedAccountsTheyAreUnsupported() async throws {
        var known = try Self.chain()
        known.senders = []
        let node = MemoryPoolNode(blocks: known.blocks, config: try #require(known.config))
        let results = try await Self.run("^eth/tx/propagate$", node: node, known: known, engine: node.engine)
        #expect(results["eth/tx/propagate"]?.verdict == .unsupported)
        #expect(results["eth/tx/propagate"]?.observed.contains("accounts.json") ?? false)
    }

    /// The probe's KZG table is `Vectors/ethtest/blobs.json`'s, entry for entry.
    @Test func blobFixturesEqualBlobsJSON() throws {
        let document = try #require(try Vectors.project("ethtest/blobs.json") as? [String: Any])
        let entries = try #require(document["blobs"] as? [[String: Any]])
        #expect(BlobFixtures.bytes == [0x01, 0x02, 42, 43])
        for byte in BlobFixtures.bytes {
            let entry = try #require(entries.first { $0["byte"] as? Int == Int(byte) })
            let kzg = try #require(BlobFixtures.kzg(byte))
            #expect(kzg.commitment.bytes == (try Vectors.bytes(entry["commitment"])), "blob \(byte)")
            #expect(kzg.proof.bytes == (try Vectors.bytes(entry["proof"])), "blob \(byte)")
            #expect(kzg.versionedHash.bytes == (try Vectors.bytes(entry["versionedHash"])), "blob \(byte)")
        }
        #expect(
            BlobFixtures.blob(42).count == 131_072 && BlobFixtures.blob(42).first == 42 && BlobFixtures.blob(42).dropFirst().allSatisfy { $0 == 0 })
    }
}
