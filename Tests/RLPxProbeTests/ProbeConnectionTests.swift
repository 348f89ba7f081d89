// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxMultiplexing
import RLPxProbe
import Testing

/// The probe against nodes in memory: what it reads is never dropped, its verdicts come from what the node did,
/// and it learns what to announce from the node's Hello.
@Suite struct ProbeConnectionTests {
    static let eth69 = ProtocolSpec(name: "eth", version: 69, length: 18)

    static func run(
        _ pattern: String, dialer: ProbeDialer, key: Secp256k1.PrivateKey, given: [ProtocolSpec] = [], timeout: Double = 1
    ) throws -> (ProbeIntroduction, [ProbeResult]) {
        let target = ProbeTarget(host: "memory", port: 1, publicKey: key.publicKey)
        let introduction = try ProbeIntroduction.introduce(to: target, timeout: timeout, given: given, dialer: dialer)
        var results: [ProbeResult] = []
        ProbeSuite.run(try ProbeSuite.select(pattern), against: target, introduction: introduction, timeout: timeout, dialer: dialer) {
            results.append($0)
        }
        return (introduction, results)
    }

    /// A node whose Status comes in the same read as its Hello: the Status is not lost (it was: "no Status from the
    /// node" against go-ethereum, whose Hello and Status arrive 2 ms apart).
    @Test func aStatusReadWithTheHelloIsKept() throws {
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        let blocks = try MemoryChain.blocks(4)
        let dialer = MemoryNode.dialer(key: key, protocols: [Self.eth69]) { MemoryChain.script(blocks) }
        let (_, results) = try Self.run("^eth/(status/mirror|headers/genesis)$", dialer: dialer, key: key)
        #expect(results.map(\.verdict) == [.ok, .ok], "\(results.map { "\($0.test.id): \($0.observed) \($0.transcript)" })")
    }

    /// A node that speaks only a protocol the probe does not know: the probe announces it (its length assumed),
    /// the base tests run, and the eth tests are UNSUPPORTED, not failures of the node.
    @Test func aNodeWithoutEthIsNotBlamedForIt() throws {
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        let test = ProtocolSpec(name: "test", version: 1, length: 8)
        let dialer = MemoryNode.dialer(key: key, protocols: [test]) { { _, _ in [] } }
        let (introduction, results) = try Self.run(
            "^(p2p/ping/pong|p2p/hello/exchange|eth/status/mirror|eth/headers/genesis)$", dialer: dialer, key: key)
        #expect(introduction.announced.map(\.description) == ["test/1:32"])
        #expect(introduction.notes.count == 1)
        let verdicts = Dictionary(uniqueKeysWithValues: results.map { ($0.test.id, $0.verdict) })
        #expect(
            verdicts == ["p2p/ping/pong": .ok, "p2p/hello/exchange": .ok, "eth/status/mirror": .unsupported, "eth/headers/genesis": .unsupported],
            "\(results.map { "\($0.test.id): \($0.observed)" })")
        let given = try Self.run("^p2p/ping/pong$", dialer: dialer, key: key, given: [ProtocolSpec(name: "test", version: 1, length: 8)])
        #expect(given.0.announced.map(\.description) == ["test/1:8"] && given.0.notes.isEmpty)
    }

    /// Each connection carries a fresh node ID, so a node that holds the previous session does not refuse the next.
    @Test func everyConnectionHasItsOwnIdentity() throws {
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        let seen = IdentityLog()
        let dialer = MemoryNode.dialer(key: key, protocols: [Self.eth69]) {
            { event, _ in
                if case .handshakeCompleted(let remote, _) = event { seen.add(remote.nodeID) }
                return []
            }
        }
        _ = try Self.run("^p2p/(ping/pong|hello/exchange)$", dialer: dialer, key: key)
        #expect(seen.count == 3 && seen.distinct == 3, "the introduction and two tests")
    }
}

/// Node IDs a memory node saw, across connections.
final class IdentityLog: @unchecked Sendable {
    private var ids: [[UInt8]] = []
    func add(_ id: [UInt8]) { ids.append(id) }
    var count: Int { ids.count }
    var distinct: Int { Set(ids).count }
}
