// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// Where newly pending transactions go: in full to ⌈√peers⌉ peers, announced to the others, never to a peer that
/// has them; large and blob transactions only announced; packets of about 100 KiB.
@Suite struct PropagationTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture.load() }

    func fetcher(peers count: Int, selfID: [UInt8] = [7]) -> (TxFetcher, [PeerID]) {
        var fetcher = TxFetcher(pool: fixture.pool(), selfID: selfID)
        let peers = (1...count).map { PeerID(UInt64($0)) }
        for peer in peers { _ = fetcher.peerJoined(peer, now: 0) }
        return (fetcher, peers)
    }

    @Test(arguments: [2, 5, 10, 17])
    func fanOutIsTheSquareRoot(peerCount: Int) throws {
        var (fetcher, peers) = fetcher(peers: peerCount)
        let txs = try (0..<3).map { try fixture.tx(TxSpec(nonce: UInt64($0))) }
        let actions = fetcher.broadcastReceived(peers[0], txs, now: 0)
        let full = Set(actions.compactMap { action -> PeerID? in if case .send = action { action.peer } else { nil } })
        let announced = Set(actions.compactMap { action -> PeerID? in if case .announce = action { action.peer } else { nil } })
        let fanOut = Int(Double(peerCount).squareRoot().rounded(.up))
        #expect(!full.contains(peers[0]) && !announced.contains(peers[0]), "the origin has them")
        #expect(full.isDisjoint(with: announced))
        #expect(full.union(announced) == Set(peers.dropFirst()))
        #expect(full.count == fanOut || full.count == fanOut - 1, "⌈√\(peerCount)⌉ chosen, less the origin if chosen")
        for peer in peers.dropFirst() { #expect(Set(actions.propagated(to: peer)) == Set(txs.map(\.hash))) }
        // The same choice every time (per sender), and another for another node ID.
        var (again, _) = self.fetcher(peers: peerCount)
        #expect(again.broadcastReceived(peers[0], txs, now: 0) == actions)
    }

    @Test func largeTransactionsAreOnlyAnnounced() throws {
        var (fetcher, peers) = fetcher(peers: 4)
        let large = try fixture.tx(TxSpec(gas: 200_000, data: [UInt8](repeating: 0, count: 4_100)))
        #expect(large.encoded.count > TxFetcher.maxBroadcastSize)
        let actions = fetcher.broadcastReceived(peers[0], [large], now: 0)
        #expect(actions.count == 3)
        for action in actions {
            guard case .announce(_, let announcement) = action else {
                Issue.record("sent in full: \(action)")
                continue
            }
            #expect(announcement == TransactionAnnouncement(types: [2], sizes: [UInt32(large.encoded.count)], hashes: [large.hash]))
        }
    }

    @Test func blobTransactionsAreOnlyAnnouncedWithTheirFullSize() throws {
        var (fetcher, peers) = fetcher(peers: 4)
        let tx = try fixture.tx(TxSpec(type: .blob, gas: 100_000, blobs: [1]), sender: 5)
        _ = fetcher.announced(peers[0], types: [3], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 0)
        let actions = fetcher.delivered(peers[0], requestID: 1, [tx], now: 0.1)
        let expected = TransactionAnnouncement(types: [3], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash])
        #expect(Set(actions.map(\.peer)) == Set(peers.dropFirst()))
        #expect(actions.allSatisfy { $0 == .announce(peer: $0.peer, expected) })
    }

    @Test func neverToAPeerKnownToHaveIt() throws {
        var (fetcher, peers) = fetcher(peers: 3)
        let tx = try fixture.tx(TxSpec())
        _ = fetcher.announced(peers[1], types: [2], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 0)
        let actions = fetcher.broadcastReceived(peers[0], [tx], now: 0.1)
        #expect(actions.map(\.peer) == [peers[2]])
        #expect(fetcher.knows(peers[2], tx.hash))
        // Queued (future) transactions are not sent on.
        let future = try fixture.tx(TxSpec(nonce: 5))
        #expect(fetcher.broadcastReceived(peers[0], [future], now: 0.2).isEmpty)
    }

    @Test func packetsOfAbout100KiB() throws {
        var (fetcher, peers) = fetcher(peers: 2)
        let txs = try fixture.creations(count: 2000)
        let actions = fetcher.broadcastReceived(peers[0], txs, now: 0)
        var sent: [Hash32] = []
        for action in actions {
            guard case .send(let peer, let packet) = action else {
                Issue.record("announced with two peers: \(action)")
                continue
            }
            #expect(peer == peers[1])
            let sizes = packet.map(\.encoded.count)
            #expect(sizes.dropLast().reduce(0, +) < TxFetcher.maxPacketSize, "filled until it reaches 100 KiB")
            sent += packet.map(\.hash)
        }
        #expect(actions.count == 2 && sent == txs.map(\.hash))
    }

    @Test func aJoiningPeerGetsThePendingPlainHashes() throws {
        var (fetcher, peers) = fetcher(peers: 1)
        let txs = try fixture.creations(count: 3300)
        let blob = try fixture.tx(TxSpec(type: .blob, gas: 100_000, blobs: [1]), sender: 5)
        let future = try fixture.tx(TxSpec(nonce: 9), sender: 0)
        _ = fetcher.broadcastReceived(peers[0], txs + [future], now: 0)
        _ = fetcher.announced(peers[0], types: [3], sizes: [UInt32(blob.encoded.count)], hashes: [blob.hash], now: 0)
        _ = fetcher.delivered(peers[0], requestID: 1, [blob], now: 0)
        let newcomer = PeerID(99)
        let actions = fetcher.peerJoined(newcomer, now: 1)
        let packets = actions.compactMap { action -> TransactionAnnouncement? in
            if case .announce(_, let announcement) = action { announcement } else { nil }
        }
        #expect(packets.map(\.hashes.count) == [3200, 100], "3,200 hashes a packet")
        #expect(packets.flatMap(\.hashes) == txs.map(\.hash))
        #expect(!packets.flatMap(\.hashes).contains(blob.hash) && !packets.flatMap(\.hashes).contains(future.hash))
    }

    @Test func ourOwnTransactions() throws {
        var (fetcher, peers) = fetcher(peers: 1)
        let tx = try fixture.tx(TxSpec())
        let (errors, actions) = fetcher.submit([tx], now: 0)
        #expect(errors == [nil])
        #expect(actions.propagated(to: peers[0]) == [tx.hash])
    }
}
