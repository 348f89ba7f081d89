// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// Each reason go-ethereum disconnects a peer over transactions: 0x03 from the fetcher (announcement disagrees with
/// the delivery), 0x10 from the eth handler (malformed messages).
@Suite struct FetcherDisconnectTests {
    let fixture: Fixture
    let a = PeerID(1)
    let b = PeerID(2)
    let c = PeerID(3)
    init() throws { fixture = try Fixture.load() }

    func fetcher() -> TxFetcher {
        var fetcher = TxFetcher(pool: fixture.pool())
        for peer in [a, b, c] { _ = fetcher.peerJoined(peer, now: 0) }
        return fetcher
    }

    func blobTx(_ bytes: [UInt8] = [1, 2], change: (inout TxSpec) -> Void = { _ in }) throws -> Transaction {
        var spec = TxSpec(type: .blob, gas: 100_000, to: Address(), blobs: bytes)
        change(&spec)
        return try fixture.tx(spec, sender: 5)
    }

    @Test func announcedTypeDiffers() throws {
        var fetcher = fetcher()
        let tx = try blobTx()
        // Announced as a dynamic-fee transaction: it waits 500 ms, then the delivery shows type 3.
        _ = fetcher.announced(a, types: [2], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 0)
        let request = fetcher.tick(now: 0.5)
        #expect(request.requests(to: a) == [[tx.hash]])
        let actions = fetcher.delivered(a, requestID: 1, [tx], now: 0.6)
        #expect(actions.disconnects(a) == [.uselessPeer])
    }

    @Test(arguments: [(8, false), (9, true), (-9, true)])
    func announcedSizeDiffers(by delta: Int, drops: Bool) throws {
        var fetcher = fetcher()
        let tx = try blobTx()
        let size = UInt32(tx.encoded.count + delta)
        #expect(fetcher.announced(a, types: [3], sizes: [size], hashes: [tx.hash], now: 0).requests(to: a) == [[tx.hash]])
        let actions = fetcher.delivered(a, requestID: 1, [tx], now: 0.1)
        #expect(actions.disconnects(a) == (drops ? [.uselessPeer] : []))
        #expect(fetcher.pool.contains(tx.hash), "the transaction itself is fine")
    }

    @Test func everyDisagreeingAnnouncerIsDropped() throws {
        var fetcher = fetcher()
        let tx = try fixture.tx(TxSpec())
        let size = UInt32(tx.encoded.count)
        _ = fetcher.announced(a, types: [2], sizes: [size + 20], hashes: [tx.hash], now: 0)
        _ = fetcher.announced(c, types: [0], sizes: [size], hashes: [tx.hash], now: 0)
        // b broadcasts the transaction before anyone asks.
        let actions = fetcher.broadcastReceived(b, [tx], now: 0.1)
        #expect(actions.disconnects(a) == [.uselessPeer] && actions.disconnects(c) == [.uselessPeer])
        #expect(actions.disconnects(b).isEmpty)
        #expect(fetcher.peerLeft(a, now: 0.2).isEmpty, "a disconnect we asked for is already accounted for")
    }

    @Test func sidecarLessBlobTransaction() throws {
        var fetcher = fetcher()
        let tx = try blobTx()
        let bad = try blobTx { $0.withSidecar = false }
        #expect(bad.hash == tx.hash)
        _ = fetcher.announced(a, types: [3], sizes: [UInt32(bad.encoded.count)], hashes: [tx.hash], now: 0)
        let actions = fetcher.delivered(a, requestID: 1, [bad], now: 0.1)
        #expect(actions.disconnects(a) == [.subprotocolError])
        #expect(!fetcher.pool.contains(tx.hash))
    }

    @Test func commitmentsNotMatchingTheVersionedHashes() throws {
        var fetcher = fetcher()
        let bad = try blobTx { $0.commitmentOverrides = [0: FixedBytes<48>()] }
        _ = fetcher.announced(a, types: [3], sizes: [UInt32(bad.encoded.count)], hashes: [bad.hash], now: 0)
        let actions = fetcher.delivered(a, requestID: 1, [bad], now: 0.1)
        guard case .disconnect(_, .subprotocolError, let detail) = actions.last else {
            Issue.record("no disconnect: \(actions)")
            return
        }
        #expect(detail.hasPrefix("blob 0: computed hash"))
    }

    @Test func blobTransactionInABroadcast() throws {
        var fetcher = fetcher()
        let actions = fetcher.broadcastReceived(a, [try fixture.tx(TxSpec()), try blobTx()], now: 0)
        #expect(actions == [.disconnect(peer: a, reason: .subprotocolError, detail: "disallowed broadcast blob transaction")])
        #expect(fetcher.pool.count == 0, "nothing of the message is taken")
    }

    @Test func duplicatesInOneMessage() throws {
        var fetcher = fetcher()
        let tx = try fixture.tx(TxSpec())
        #expect(fetcher.broadcastReceived(a, [tx, tx], now: 0).disconnects(a) == [.subprotocolError])
        #expect(fetcher.delivered(b, requestID: 7, [tx, tx], now: 0).disconnects(b) == [.subprotocolError])
        #expect(fetcher.pool.count == 0)
    }

    @Test func announcementListsOfDifferentLengths() {
        var fetcher = fetcher()
        let hashes = FetcherTimingTests.hashes(2)
        let actions = fetcher.announced(a, types: [2, 2], sizes: [100], hashes: hashes, now: 0)
        #expect(actions.disconnects(a) == [.subprotocolError])
        #expect(fetcher.waitingCount == 0)
        #expect(fetcher.announced(a, types: [2, 2], sizes: [1, 1], hashes: hashes, now: 1).isEmpty, "ignored once dropped")
        _ = fetcher.peerJoined(a, now: 2)
        _ = fetcher.announced(a, types: [2, 2], sizes: [1, 1], hashes: hashes, now: 2)
        #expect(fetcher.waitingCount == 2, "a new connection from it is heard again")
    }

    @Test func invalidTransactionsDoNotDisconnect() throws {
        var fetcher = fetcher()
        let invalid = try fixture.tx(TxSpec(gas: 1_337, to: nil))
        let actions = fetcher.broadcastReceived(a, [invalid], now: 0)
        #expect(actions.isEmpty)
    }
}
