// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// go-ethereum's eth-test transaction tests played in memory against the fetcher, in the suite's order on one
/// node (the pool keeps what earlier tests left, as a node does).
@Suite struct SuiteScenarioTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture.load() }

    /// `sendTxs`: connection A sends, B must see every hash (in full or announced) and nothing is disconnected.
    func sendTxs(_ fetcher: inout TxFetcher, _ txs: [Transaction], now: Double, tag: UInt64) -> [TxAction] {
        let (a, b) = (PeerID(tag), PeerID(tag + 1))
        _ = fetcher.peerJoined(a, now: now)
        _ = fetcher.peerJoined(b, now: now)
        let actions = fetcher.broadcastReceived(a, txs, now: now)
        #expect(Set(actions.propagated(to: b)).isSuperset(of: txs.map(\.hash)))
        #expect(actions.allSatisfy { $0.disconnectReason == nil })
        _ = fetcher.peerLeft(a, now: now)
        _ = fetcher.peerLeft(b, now: now)
        return actions
    }

    @Test func transactionTests() throws {
        var fetcher = TxFetcher(pool: fixture.pool())
        // LargeTxRequest: 2,000 creations from sender 1, then a third connection asks for all of them.
        let large = try fixture.creations(count: 2000)
        _ = sendTxs(&fetcher, large, now: 0, tag: 10)
        let third = PeerID(12)
        let joined = fetcher.peerJoined(third, now: 1)
        #expect(Set(joined.propagated(to: third)) == Set(large.map(\.hash)), "announced on joining")
        guard case .pooledTransactions(1234, let served) = fetcher.answer(third, requestID: 1234, hashes: large.map(\.hash)) else {
            Issue.record("no PooledTransactions")
            return
        }
        #expect(served.map(\.hash) == large.map(\.hash))
        _ = fetcher.peerLeft(third, now: 1)

        // Transaction: one DynamicFeeTx from sender 0, value 1 wei.
        let transfer = try fixture.tx(TxSpec(value: UInt256(1)))
        let full = sendTxs(&fetcher, [transfer], now: 2, tag: 20)
        #expect(full.contains(.send(peer: PeerID(21), transactions: [transfer])), "two peers: both chosen for full sends")

        // InvalidTxs: a valid one (nonce 1), then five invalid same-nonce transactions that nobody must see.
        let valid = try fixture.tx(TxSpec(nonce: 1))
        _ = sendTxs(&fetcher, [valid], now: 3, tag: 30)
        let balance = fixture.state(fixture.senders[0].address).balance
        let invalid = try [
            TxSpec(nonce: 0, gas: 100_000, to: nil),
            TxSpec(nonce: 1, gas: 100_000, to: nil, value: balance),
            TxSpec(nonce: 1, gas: 1_337, to: nil),
            TxSpec(nonce: 1, gas: 1_000_000, to: nil, data: [UInt8](repeating: 0x33, count: 50 * 1024)),
            TxSpec(nonce: 1, gas: 5_000_000, data: [UInt8](repeating: 0x33, count: 128 * 1024)),
        ].map { try fixture.tx($0) }
        let (a, b) = (PeerID(40), PeerID(41))
        _ = fetcher.peerJoined(a, now: 4)
        _ = fetcher.peerJoined(b, now: 4)
        let before = fetcher.pool.count
        let silent = fetcher.broadcastReceived(a, invalid, now: 4) + fetcher.tick(now: 6)
        #expect(silent.isEmpty, "not propagated, nobody disconnected")
        #expect(fetcher.pool.count == before)
        _ = fetcher.peerLeft(a, now: 6)
        _ = fetcher.peerLeft(b, now: 6)
        // The state nonce is still 0 (no block since the head), so nonce 0 is a replacement of Transaction's.
        let errors = fetcher.pool.add(invalid).errors.map { $0?.message }
        #expect(
            errors == [
                "replacement transaction underpriced", "insufficient funds for gas * price + value", "intrinsic gas too low",
                "max initcode size exceeded", "oversized data",
            ])

        // NewPooledTxs: 50 announced, never sent: one GetPooledTransactions with exactly the 50, after 500 ms.
        let announced = try fixture.creations(count: 50, from: 2000)
        let peer = PeerID(50)
        _ = fetcher.peerJoined(peer, now: 7)
        let sizes = announced.map { UInt32($0.encoded.count) }
        #expect(fetcher.announced(peer, types: Array(repeating: 2, count: 50), sizes: sizes, hashes: announced.map(\.hash), now: 7).isEmpty)
        let requests = fetcher.tick(now: 7.5).requests(to: peer)
        #expect(requests.count == 1 && Set(requests.first ?? []) == Set(announced.map(\.hash)))
    }

    @Test func blobViolations() throws {
        var fetcher = TxFetcher(pool: fixture.pool())
        func makeBlobTxs(_ count: Int, _ blobs: Int, _ discriminator: UInt8) throws -> [Transaction] {
            var remaining = blobs
            return try (0..<count).map { index in
                let here = min(remaining, 2)
                remaining -= here
                let bytes = (0..<here).map { discriminator &+ UInt8($0) }
                return try fixture.tx(TxSpec(type: .blob, nonce: UInt64(index), gas: 100_000, to: Address(), blobs: bytes), sender: 5)
            }
        }
        // Case 1: the second size announced 10 bytes too large.
        let t1 = try makeBlobTxs(2, 3, 0x01)
        let p1 = PeerID(1)
        _ = fetcher.peerJoined(p1, now: 0)
        let ask1 = fetcher.announced(
            p1, types: [3, 3], sizes: [UInt32(t1[0].encoded.count), UInt32(t1[1].encoded.count + 10)], hashes: t1.map(\.hash), now: 0)
        #expect(ask1.requests(to: p1) == [[t1[0].hash]], "one blob transaction per request")
        let answer1 = fetcher.delivered(p1, requestID: 1, t1, now: 0.1)
        #expect(answer1.last?.disconnectReason == .uselessPeer)
        #expect(answer1.filter { $0.peer == p1 }.count == 1, "nothing but the Disconnect")
        // Case 2: the first announced as type 2.
        let t2 = try makeBlobTxs(2, 3, 0x02)
        let p2 = PeerID(2)
        _ = fetcher.peerJoined(p2, now: 1)
        let ask2 = fetcher.announced(p2, types: [2, 3], sizes: t2.map { UInt32($0.encoded.count) }, hashes: t2.map(\.hash), now: 1)
        #expect(ask2.requests(to: p2) == [[t2[1].hash]], "the blob hash at once")
        let answer2 = fetcher.delivered(p2, requestID: 2, t2, now: 1.1)
        #expect(answer2.disconnects(p2) == [.uselessPeer])
    }

    @Test(arguments: [true, false])
    func badBlobPeerThenGoodPeer(sidecarMissing: Bool) throws {
        var fetcher = TxFetcher(pool: fixture.pool())
        let spec = TxSpec(type: .blob, gas: 100_000, to: Address(), blobs: [42, 43])
        let tx = try fixture.tx(spec, sender: 5)
        var badSpec = spec
        if sidecarMissing { badSpec.withSidecar = false } else { badSpec.commitmentOverrides = [0: FixedBytes<48>()] }
        let bad = try fixture.tx(badSpec, sender: 5)
        #expect(bad.hash == tx.hash)
        let (badPeer, goodPeer) = (PeerID(66), PeerID(67))
        _ = fetcher.peerJoined(badPeer, now: 0)
        let first = fetcher.announced(badPeer, types: [3], sizes: [UInt32(bad.encoded.count)], hashes: [tx.hash], now: 0)
        #expect(first.requests(to: badPeer) == [[tx.hash]])
        _ = fetcher.peerJoined(goodPeer, now: 0.1)
        #expect(fetcher.announced(goodPeer, types: [3], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 0.1).isEmpty)
        let reply = fetcher.delivered(badPeer, requestID: 1, [bad], now: 0.2)
        #expect(reply.disconnects(badPeer) == [.subprotocolError])
        #expect(reply.requests(to: goodPeer) == [[tx.hash]], "asked again of the other announcer")
        let good = fetcher.delivered(goodPeer, requestID: 2, [tx], now: 0.3)
        #expect(good.disconnects(goodPeer).isEmpty)
        #expect(fetcher.pool.contains(tx.hash))
    }
}
