// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// When the fetcher asks: 500 ms after an announcement (unless broadcast meanwhile), blob hashes at once, one
/// request per peer, 256 hashes or 128 KiB, 5 s to answer before the hashes go to another announcer.
@Suite struct FetcherTimingTests {
    let fixture: Fixture
    let a = PeerID(1)
    let b = PeerID(2)
    init() throws { fixture = try Fixture.load() }

    func fetcher(_ peers: [PeerID]) -> TxFetcher {
        var fetcher = TxFetcher(pool: fixture.pool())
        for peer in peers { _ = fetcher.peerJoined(peer, now: 0) }
        return fetcher
    }

    static func hashes(_ count: Int, salt: UInt8 = 0) -> [Hash32] {
        (0..<count).map { Hash32.keccak([salt, UInt8($0 & 0xff), UInt8($0 >> 8)][...]) }
    }

    @Test func waitsHalfASecond() throws {
        var fetcher = fetcher([a])
        let tx = try fixture.tx(TxSpec())
        #expect(fetcher.announced(a, types: [2], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 10).isEmpty)
        #expect(fetcher.nextDeadline == 10.5)
        #expect(fetcher.tick(now: 10.499).isEmpty)
        let actions = fetcher.tick(now: 10.5)
        #expect(actions.requests(to: a) == [[tx.hash]])
        guard case .request(_, let id, _) = actions.first, case .getPooledTransactions(id, [tx.hash]) = actions.first?.message
        else {
            Issue.record("no GetPooledTransactions")
            return
        }
    }

    @Test func aBroadcastMeanwhileCancelsTheRequest() throws {
        var fetcher = fetcher([a, b])
        let tx = try fixture.tx(TxSpec())
        _ = fetcher.announced(a, types: [2], sizes: [UInt32(tx.encoded.count)], hashes: [tx.hash], now: 0)
        _ = fetcher.broadcastReceived(b, [tx], now: 0.2)
        #expect(fetcher.pool.contains(tx.hash))
        #expect(fetcher.tick(now: 0.5).requests(to: a).isEmpty)
        #expect(fetcher.waitingCount == 0 && fetcher.queuedCount == 0)
    }

    @Test func blobHashesAtOnceOthersLater() throws {
        var fetcher = fetcher([a])
        let blob = Self.hashes(1, salt: 1)[0]
        let plain = Self.hashes(1, salt: 2)[0]
        let now = fetcher.announced(a, types: [2, 3], sizes: [100, 200], hashes: [plain, blob], now: 1)
        #expect(now.requests(to: a) == [[blob]], "the blob hash at once")
        // The plain hash's wait ends at 1.5, but the peer's request is still in flight.
        #expect(fetcher.tick(now: 1.5).isEmpty)
        #expect(fetcher.queuedCount == 1)
        let after = fetcher.delivered(a, requestID: 1, [], now: 1.6)
        #expect(after.requests(to: a) == [[plain]], "asked once the peer is free")
    }

    @Test func oneBlobTransactionPerRequest() {
        var fetcher = fetcher([a])
        let blobs = Self.hashes(3, salt: 3)
        let actions = fetcher.announced(a, types: [3, 3, 3], sizes: [131_500, 131_500, 131_500], hashes: blobs, now: 0)
        #expect(actions.requests(to: a) == [[blobs[0]]])
    }

    @Test func atMost256Hashes() {
        var fetcher = fetcher([a])
        let hashes = Self.hashes(300)
        _ = fetcher.announced(a, types: Array(repeating: 2, count: 300), sizes: Array(repeating: 100, count: 300), hashes: hashes, now: 0)
        let actions = fetcher.tick(now: 0.5)
        #expect(actions.requests(to: a) == [Array(hashes.prefix(256))], "in announcement order")
        let rest = fetcher.delivered(a, requestID: 1, [], now: 0.6)
        // Nothing delivered: the 256 count as missing from this peer and are not asked of it again.
        #expect(rest.requests(to: a) == [Array(hashes.suffix(44))])
    }

    @Test func atMost128KiBByAnnouncedSize() {
        var fetcher = fetcher([a])
        let hashes = Self.hashes(5)
        _ = fetcher.announced(a, types: Array(repeating: 2, count: 5), sizes: Array(repeating: 50 * 1024, count: 5), hashes: hashes, now: 0)
        #expect(fetcher.tick(now: 0.5).requests(to: a) == [Array(hashes.prefix(3))], "50 + 50 < 128 KiB, the third reaches it")
    }

    @Test func timeoutMovesTheHashesToAnotherAnnouncer() {
        var fetcher = fetcher([a, b])
        let hash = Self.hashes(1)[0]
        _ = fetcher.announced(a, types: [2], sizes: [100], hashes: [hash], now: 0)
        _ = fetcher.announced(b, types: [2], sizes: [100], hashes: [hash], now: 0.1)
        #expect(fetcher.tick(now: 0.5).requests(to: a) == [[hash]], "the first announcer is asked")
        #expect(fetcher.nextDeadline == 5.5)
        #expect(fetcher.tick(now: 5.39).isEmpty)
        let retry = fetcher.tick(now: 5.5)
        #expect(retry.requests(to: b) == [[hash]])
        #expect(retry.requests(to: a).isEmpty)
        #expect(fetcher.inFlight(a) == [], "a keeps a dangling request until it answers")
        #expect(retry.disconnects(a).isEmpty, "a slow peer is not dropped")
    }

    @Test func announcementsPerPeerCapped() {
        var fetcher = fetcher([a])
        let hashes = Self.hashes(5000)
        _ = fetcher.announced(a, types: Array(repeating: 2, count: 5000), sizes: Array(repeating: 1, count: 5000), hashes: hashes, now: 0)
        #expect(fetcher.waitingCount == TxFetcher.maxAnnounces)
    }

    @Test func nothingWhileNotAccepting() throws {
        let tx = try fixture.tx(TxSpec())
        var fetcher = TxFetcher(pool: fixture.pool(accepting: false))
        #expect(fetcher.announced(a, types: [3], sizes: [1], hashes: [tx.hash], now: 0).isEmpty)
        #expect(fetcher.broadcastReceived(a, [tx, tx], now: 0).isEmpty, "not even the duplicate is looked at")
        #expect(fetcher.pool.count == 0 && fetcher.waitingCount == 0)
        fetcher.pool.accepting = true
        #expect(fetcher.broadcastReceived(a, [tx], now: 1).isEmpty)
        #expect(fetcher.pool.count == 1)
    }

    @Test func underpricedHashesAreNotFetchedAgain() throws {
        var fetcher = fetcher([a, b])
        let original = try fixture.tx(TxSpec(tip: UInt256(2), feeCap: UInt256(9)))
        let cheaper = try fixture.tx(TxSpec(tip: UInt256(1), feeCap: UInt256(8)))
        _ = fetcher.broadcastReceived(a, [original], now: 0)
        _ = fetcher.broadcastReceived(a, [cheaper], now: 0.1)
        #expect(!fetcher.pool.contains(cheaper.hash))
        _ = fetcher.announced(b, types: [2], sizes: [UInt32(cheaper.encoded.count)], hashes: [cheaper.hash], now: 1)
        #expect(fetcher.tick(now: 2).isEmpty && fetcher.waitingCount == 0)
        // After five minutes it may be fetched again.
        _ = fetcher.announced(b, types: [2], sizes: [UInt32(cheaper.encoded.count)], hashes: [cheaper.hash], now: 302)
        #expect(fetcher.tick(now: 302.5).requests(to: b) == [[cheaper.hash]])
    }
}
