// SPDX-License-Identifier: Apache-2.0
import Discovery
import DiscoveryPeer
import RLPxCrypto
import RLPxTestSupport
import Synchronization
import Testing

/// One UDP socket for both discovery protocols: what is not discv4 goes to the `unhandled` closure (the discv5
/// runner's input) while discv4 keeps being answered on the same port; and three services find each other through a
/// bootnode.
@Suite struct DiscoverySocketTests {
    @Test(.timeLimit(.minutes(3))) func datagramsThatAreNotDiscv4GoToTheOtherProtocol() async throws {
        final class Received: Sendable { let datagrams = Mutex<[[UInt8]]>([]) }
        let received = Received()
        let key = try Discv4PeerTests.key(0x41)
        let shared = try await Discv4Peer.bind(
            host: "127.0.0.1", port: 0, key: key, record: try ENR.signed(seq: 1, pairs: [], key: key),
            unhandled: { bytes, _ in received.datagrams.withLock { $0.append(bytes) } })
        let client = try await Discv4PeerTests.node(0x42)
        let address = try Discv4PeerTests.address(shared)
        // A discv5-shaped datagram (masking IV, then a header that is no keccak of the rest), and one too short for discv4.
        let foreign = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        client.sendRaw(foreign, to: address)
        client.sendRaw([1, 2, 3], to: address)
        #expect(await eventually(within: Discv4PeerTests.wait) { received.datagrams.withLock { $0.count } == 2 })
        #expect(received.datagrams.withLock { $0 }.contains(foreign))
        // discv4 is still answered on that socket, and its packets are not passed on.
        #expect(await client.ping(address, timeout: Discv4PeerTests.wait) != nil)
        #expect(received.datagrams.withLock { $0.count } == 2)
        await client.close()
        await shared.close()
    }

    /// A bootnode, and two nodes that know only it: each ends up with the other in its table.
    @Test(.timeLimit(.minutes(3))) func twoNodesFindEachOtherThroughABootnode() async throws {
        func start(_ byte: UInt8, bootnodes: [DiscoveryService.Bootnode]) async throws -> DiscoveryService {
            var configuration = DiscoveryService.Configuration(
                host: "127.0.0.1", port: 0, key: try Discv4PeerTests.key(byte), ip: IPAddress("127.0.0.1"), tcp: 30303, bootnodes: bootnodes)
            configuration.pingTimeout = Discv4PeerTests.wait
            configuration.emptyRetry = .milliseconds(500)
            return try await DiscoveryService.start(configuration)
        }
        let a = try await start(0x51, bootnodes: [])
        let boot = DiscoveryService.Bootnode(address: try Discv4PeerTests.address(a.peer), id: a.peer.table.localID)
        let b = try await start(0x52, bootnodes: [boot])
        #expect(await eventually(within: .seconds(10)) { a.peer.table.entry(b.peer.table.localID) != nil })
        let c = try await start(0x53, bootnodes: [boot])
        #expect(await eventually(within: .seconds(20)) { b.peer.table.entry(c.peer.table.localID) != nil })
        #expect(await eventually(within: .seconds(5)) { c.peer.table.entry(b.peer.table.localID) != nil })
        #expect(try b.record.udp() == b.peer.localPort && (try b.record.tcp()) == 30303)
        for service in [a, b, c] { await service.close() }
    }
}
