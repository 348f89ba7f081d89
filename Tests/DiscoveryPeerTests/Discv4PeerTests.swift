// SPDX-License-Identifier: Apache-2.0
import Discovery
import DiscoveryPeer
import NIOCore
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// Two discv4 nodes over loopback UDP: bonding, ENRRequest, FindNode, and the amplification guard from a second
/// source address (127.0.0.2).
@Suite struct Discv4PeerTests {
    static func key(_ byte: UInt8) throws -> Secp256k1.PrivateKey {
        try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [byte])
    }

    static func node(_ byte: UInt8, host: String = "127.0.0.1") async throws -> Discv4Peer {
        let key = try key(byte)
        let record = try ENR.signed(
            seq: 1, pairs: [.init(key: Array("ip".utf8), value: RLPWriter.encode { $0.write(bytes: IPAddress(host)?.bytes ?? []) })], key: key)
        return try await Discv4Peer.bind(host: host, port: 0, key: key, record: record)
    }

    static func address(_ peer: Discv4Peer) throws -> Discv4Responder.Address {
        let local = try #require(peer.localAddress)
        let text = try #require(local.ipAddress)
        let ip = try #require(IPAddress(text))
        let port = try #require(local.port)
        return Discv4Responder.Address(ip: ip, port: UInt16(port))
    }

    /// How long an answer may take on a loaded machine.
    static let wait = TestTime.scaled(.seconds(2))

    @Test(.timeLimit(.minutes(3))) func twoNodesBondAndAnswerEachOther() async throws {
        let a = try await Self.node(0x71)
        let b = try await Self.node(0x72)
        let addressB = try Self.address(b)
        let pong = await a.ping(addressB, timeout: Self.wait)
        #expect(pong != nil)
        // B pings A back to bond; A answers, and B adds A to its table.
        #expect(await eventually(within: Self.wait) { b.table.count == 1 })
        let idA = NodeID(publicKey: try Self.key(0x71).publicKey)
        let idB = NodeID(publicKey: try Self.key(0x72).publicKey)
        #expect(b.table.entry(idA) != nil)
        let record = await a.requestENR(addressB, timeout: Self.wait)
        #expect(record == b.record)
        let neighbors = await a.findNode(addressB, id: idB, target: try Self.key(0x73).publicKey.nodeID, window: Self.wait)
        #expect(neighbors.map(\.key) == [try Self.key(0x71).publicKey.nodeID])
        await a.close()
        await b.close()
    }

    @Test(.timeLimit(.minutes(3))) func aProofFrom127001DoesNotServe127002() async throws {
        let server = try await Self.node(0x74)
        let client = try await Self.node(0x75)
        let other = try await Self.node(0x75, host: "127.0.0.2")
        let serverAddress = try Self.address(server)
        #expect(await client.ping(serverAddress, timeout: Self.wait) != nil)
        #expect(await eventually(within: Self.wait) { server.table.count == 1 })
        // The same key from 127.0.0.2: no answer to ENRRequest or FindNode.
        #expect(await other.requestENR(serverAddress, timeout: .milliseconds(500)) == nil)
        let id = NodeID(publicKey: try Self.key(0x74).publicKey)
        #expect(await other.findNode(serverAddress, id: id, target: try Self.key(0x75).publicKey.nodeID, window: .milliseconds(500)).isEmpty)
        #expect(await client.requestENR(serverAddress, timeout: Self.wait) != nil)
        await server.close()
        await client.close()
        await other.close()
    }
}

/// go-ethereum's discv4 test names, run by Discv4Suite against our own node.
@Suite struct Discv4SuiteTests {
    @Test(.timeLimit(.minutes(5))) func ourNodePassesEveryTest() async throws {
        let server = try await Discv4PeerTests.node(0x7a)
        let address = try Discv4PeerTests.address(server)
        var suite = Discv4Suite(target: address, targetID: NodeID(publicKey: try Discv4PeerTests.key(0x7a).publicKey))
        // Answers may be slow on a loaded machine; a stall during a silence test cannot make it fail.
        suite.timeout = TestTime.scaled(.seconds(3))
        suite.silence = TestTime.scaled(.milliseconds(300))
        let results = await suite.run()
        #expect(results.map(\.name) == Discv4Suite.names)
        for result in results { #expect(result.passed, "\(result.name): \(result.detail)") }
        await server.close()
    }

    @Test(.timeLimit(.minutes(3))) func aSilentAddressFailsTheAnswerTestsAndPassesTheSilenceTests() async throws {
        // Nothing listens on this port: every test that needs an answer fails within its bound.
        var suite = Discv4Suite(target: .init(ip: IPAddress("127.0.0.1")!, port: 9), targetID: nil)
        suite.timeout = .milliseconds(200)
        let results = await suite.run(["Ping/Basic", "Ping/PastExpiration"])
        #expect(results.map(\.name) == ["Ping/Basic", "Ping/PastExpiration"])
        #expect(results.map(\.passed) == [false, true])
    }
}
