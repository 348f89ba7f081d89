// SPDX-License-Identifier: Apache-2.0
import Discovery
import DiscoveryPeer
import Discv5
import Dispatch
import NIOConcurrencyHelpers
import RLPxCrypto
import RLPxTestSupport
import Testing

/// discv5 nodes over loopback UDP and over a caller's socket (the shared-socket entry point), their key logs, and
/// go-ethereum's v5test names run by Discv5Suite against our own node.
@Suite struct Discv5PeerTests {
    static let wait = TestTime.scaled(.seconds(2))

    static func key(_ byte: UInt8) throws -> Secp256k1.PrivateKey {
        try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [byte])
    }

    /// A node bound on `host`, its record naming the bound port.
    static func node(_ byte: UInt8, host: String = "127.0.0.1", keyLog: (@Sendable (Discv5KeyLogEntry) -> Void)? = nil) async throws
        -> Discv5Peer
    {
        let key = try key(byte)
        // A handshake answered late (the suite's other tests keep the machine busy) still counts.
        let peer = try await Discv5Peer.bind(
            host: host, port: 0, key: key, record: try ENR.signed(seq: 1, pairs: [], key: key), handshakeTimeout: TestTime.scaled(.seconds(5)),
            keyLog: keyLog)
        peer.setRecord(try ENR.node(key: key, seq: 2, ip: IPAddress(host), udp: try #require(peer.localPort)))
        return peer
    }

    @Test(.timeLimit(.minutes(3))) func twoNodesOverLoopback() async throws {
        let logged = NIOLockedValueBox<[Discv5KeyLogEntry]>([])
        let a = try await Self.node(0x51, keyLog: { entry in logged.withLockedValue { $0.append(entry) } })
        let b = try await Self.node(0x52, keyLog: { entry in logged.withLockedValue { $0.append(entry) } })
        let (idB, addressB) = try #require(a.learn(b.record))
        let pong = try #require(await a.ping(idB, at: addressB, timeout: Self.wait))
        #expect(pong.recipientIP == [127, 0, 0, 1] && pong.recipientPort == a.localPort)
        #expect(pong.enrSeq == 2)
        #expect(await a.requestENR(idB, at: addressB, timeout: Self.wait) == b.record)
        #expect(await a.talk(idB, at: addressB, protocolName: Array("x".utf8), request: [1], timeout: Self.wait) == [])
        // B took A in (its handshake carried a record of its address): A is at its distance from B.
        let distance = UInt16(a.localID.logDistance(to: idB))
        #expect(await a.findNode(idB, at: addressB, distances: [distance], timeout: Self.wait) == [a.record])
        // One session, logged by both sides with the same keys.
        let entries = logged.withLockedValue { $0 }
        #expect(entries.count == 2 && Set(entries).count == 1)
        #expect(entries.first?.initiatorID == a.localID.bytes)
        await a.close()
        await b.close()
    }

    @Test(.timeLimit(.minutes(3))) func aNodeWithoutASocketAndItsKeyLogDecryptsTheCapture() async throws {
        // Two socketless peers wired to each other: every datagram goes through `receive(datagram:from:)`, and is
        // kept as a capture would keep it.
        let addressA = Discv5Node.Endpoint(ip: IPAddress("127.0.0.1")!, port: 40001)
        let addressB = Discv5Node.Endpoint(ip: IPAddress("127.0.0.1")!, port: 40002)
        let capture = NIOLockedValueBox<[Discv5Node.Outgoing]>([])
        let keyLog = NIOLockedValueBox("")
        let wires = NIOLockedValueBox<[UInt16: Discv5Peer]>([:])
        let wire = DispatchQueue(label: "discv5.test.wire")
        let send: @Sendable (Discv5Node.Outgoing) -> Void = { packet in
            capture.withLockedValue { $0.append(packet) }
            guard let to = wires.withLockedValue({ $0[packet.to.port] }) else { return }
            let from = packet.to == addressA ? addressB : addressA
            // Delivered on a queue of its own, in order: the shared pool can be busy with other tests for seconds.
            wire.async { to.receive(datagram: packet.bytes, from: from) }
        }
        let write: @Sendable (Discv5KeyLogEntry) -> Void = { entry in keyLog.withLockedValue { $0 += entry.line + "\n" } }
        let keyA = try Self.key(0x53)
        let keyB = try Self.key(0x54)
        let a = Discv5Peer(key: keyA, record: try ENR.node(key: keyA, ip: addressA.ip, udp: addressA.port), send: send, keyLog: write)
        let b = Discv5Peer(key: keyB, record: try ENR.node(key: keyB, ip: addressB.ip, udp: addressB.port), send: send)
        wires.withLockedValue { $0 = [addressA.port: a, addressB.port: b] }
        let (idB, _) = try #require(a.learn(b.record))
        #expect(await a.ping(idB, at: addressB, timeout: Self.wait) != nil)

        let entries = try Discv5KeyLogEntry.parse(keyLog.withLockedValue { $0 })
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.initiatorID == a.localID.bytes && entry.recipientID == idB.bytes)
        // The PONG B sent (the last ordinary packet to A) opens with the recipient's key from the log.
        var opened: [Message] = []
        for packet in capture.withLockedValue({ $0 }) where packet.to == addressA {
            guard let decoded = try? Packet(decoding: packet.bytes, localNodeID: entry.initiatorID), decoded.flag == .ordinary else { continue }
            opened.append(try decoded.openMessage(key: entry.keys.recipientKey))
        }
        #expect(opened.contains { if case .pong = $0 { true } else { false } })
    }
}

/// go-ethereum's discv5 test names, run by Discv5Suite against our own node.
@Suite struct Discv5SuiteTests {
    @Test(.timeLimit(.minutes(5))) func ourNodePassesEveryTest() async throws {
        let server = try await Discv5PeerTests.node(0x5a)
        let local = try #require(server.localAddress)
        let address = try #require(Discv5Peer.endpoint(local))
        var suite = Discv5Suite(target: address, targetKey: try Discv5PeerTests.key(0x5a).publicKey)
        suite.timeout = TestTime.scaled(.seconds(5))
        suite.silence = TestTime.scaled(.milliseconds(300))
        let results = await suite.run()
        #expect(results.map(\.name) == Discv5Suite.names)
        for result in results { #expect(result.passed, "\(result.name): \(result.detail)") }
        await server.close()
    }

    @Test(.timeLimit(.minutes(3))) func aSilentAddressFailsAndAnUnbindableAddressSkips() async throws {
        var suite = Discv5Suite(target: .init(ip: IPAddress("127.0.0.1")!, port: 9), targetKey: try Discv5PeerTests.key(0x5b).publicKey)
        suite.timeout = .milliseconds(200)
        #expect(await suite.run(["Ping"]).map(\.verdict) == [.fail, .fail, .fail])
        // 192.0.2.1 (TEST-NET-1) is no local address: the test cannot run, which is not the node's failure.
        suite.listen1 = "192.0.2.1"
        #expect(await suite.run(["HandshakeResend"]).map(\.verdict) == [.skip])
    }
}
