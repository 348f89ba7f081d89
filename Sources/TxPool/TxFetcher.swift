// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// go-ethereum v1.17.5's transaction fetcher, its eth handler's transaction checks and its propagation, as a
/// sans-I/O state machine over peers: each call takes the time and returns the ``TxAction``s to carry out.
///
/// - Announced hashes wait 500 ms for a broadcast before they are requested; blob hashes are requested at once.
/// - A peer has at most one GetPooledTransactions in flight: at most 256 hashes, and no more once the announced
///   sizes reach 128 KiB. A request unanswered for 5 s is given up and its hashes go to other announcers.
/// - A delivered transaction whose type differs from an announcement, or whose size differs by more than 8 bytes,
///   gets the announcer disconnected as a useless peer (0x03); a malformed message (blob transaction broadcast, a
///   delivered blob transaction without sidecar or with commitments not matching its versioned hashes,
///   duplicates, announcement lists of different lengths) gets the sender disconnected with subprotocol error (0x10).
/// - Transactions that become pending are sent on to the peers not known to have them: blob transactions and
///   those over 4 KiB only announced, the others sent in full to ⌈√peers⌉ peers (chosen by a hash of our ID, the
///   peer's and the sender) and announced to the rest, in packets of about 100 KiB.
///
/// Time is in seconds on any monotonic scale; call ``tick(now:)`` at ``nextDeadline`` (or more often).
public struct TxFetcher: Sendable {
    /// The pool transactions go into; set ``TxPool/accepting`` to take transactions in at all.
    public var pool: TxPool
    /// Our node ID, and a key, that seed the choice of peers that get transactions in full.
    public let selfID: [UInt8]
    public let broadcastKey: [UInt8]

    static let arriveTimeout: Int64 = 500_000_000
    static let gatherSlack: Int64 = 100_000_000
    static let fetchTimeout: Int64 = 5_000_000_000
    static let underpricedTimeout: Int64 = 300_000_000_000
    static let underpricedLimit = 32_768
    /// Announcements a peer may have waiting or queued.
    public static let maxAnnounces = 4096
    /// Hashes per GetPooledTransactions, and the announced bytes at which a request stops growing.
    public static let maxRetrievals = 256
    public static let maxRetrievalSize: UInt64 = 128 * 1024
    /// Transactions the pool takes in one go.
    static let addBatchSize = 128
    /// Larger transactions are only announced.
    public static let maxBroadcastSize = 4096
    /// Target size of a Transactions or announcement packet; entries kept per peer queue.
    public static let maxPacketSize = 100 * 1024
    static let maxQueued = 4096

    struct Meta: Sendable {
        var kind: UInt8
        var size: UInt32
        var seq: UInt64
    }

    struct Request: Sendable {
        var id: UInt64
        /// nil once timed out (kept so the peer gets no new request until it answers or leaves).
        var hashes: [Hash32]?
        var stolen: Set<Hash32> = []
        var time: Int64
    }

    struct Peer: Sendable {
        var order: UInt64
        var known = KnownHashes()
    }

    var peers: [PeerID: Peer] = [:]
    /// Peers we disconnected: ignored until they join again.
    var dropped: Set<PeerID> = []
    var nextPeerOrder: UInt64 = 0
    var txSeq: UInt64 = 0
    var nextRequestID: UInt64
    // Stage 1: waiting for a broadcast.
    var waitlist: [Hash32: Set<PeerID>] = [:]
    var waittime: [Hash32: Int64] = [:]
    var waitslots: [PeerID: [Hash32: Meta]] = [:]
    // Stage 2: queued for retrieval (`announces` is shared with stage 3).
    var announces: [PeerID: [Hash32: Meta]] = [:]
    var announced: [Hash32: Set<PeerID>] = [:]
    // Stage 3: being retrieved.
    var fetching: [Hash32: PeerID] = [:]
    var requests: [PeerID: Request] = [:]
    var alternates: [Hash32: Set<PeerID>] = [:]
    /// Refused as underpriced: not fetched again for 5 minutes.
    var underpriced: [Hash32: Int64] = [:]
    var underpricedOrder: [Hash32] = []
    var waitTimer: Int64?
    var timeoutTimer: Int64?
    /// Output of the call in progress, and the peers the fetcher decided to drop during it.
    var actions: [TxAction] = []
    var pendingDrops: [(PeerID, String)] = []

    /// A fetcher over `pool`; request IDs count up from `firstRequestID`.
    public init(pool: TxPool, selfID: [UInt8] = [], broadcastKey: [UInt8] = [], firstRequestID: UInt64 = 1) {
        self.pool = pool
        self.selfID = selfID
        self.broadcastKey = broadcastKey
        nextRequestID = firstRequestID
    }

    /// When ``tick(now:)`` has something to do next (seconds), if anything.
    public var nextDeadline: Double? {
        [waitTimer, timeoutTimer].compactMap { $0 }.min().map { Double($0) / 1e9 }
    }

    /// Hashes waiting for a broadcast, queued for retrieval, and being retrieved.
    public var waitingCount: Int { waitlist.count }
    public var queuedCount: Int { announced.count }
    public var fetchingCount: Int { fetching.count }

    /// The hashes of `peer`'s request in flight (empty once it timed out), if it has one.
    public func inFlight(_ peer: PeerID) -> [Hash32]? { requests[peer].map { $0.hashes ?? [] } }

    /// Whether `peer` is known to have `hash`.
    public func knows(_ peer: PeerID, _ hash: Hash32) -> Bool { peers[peer]?.known.contains(hash) ?? false }

    /// Seconds to the nanoseconds used inside (clamped, NaN as 0), so that timer arithmetic is exact.
    static func nanos(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return seconds.isNaN ? 0 : (seconds > 0 ? .max / 4 : .min / 4) }
        return Int64((min(max(seconds, -9e9), 9e9) * 1e9).rounded())
    }

    /// Runs `body` between timer firings at `now` and hands out what it produced.
    mutating func run(_ now: Double, _ body: (inout TxFetcher, Int64) -> Void) -> [TxAction] {
        let time = Self.nanos(now)
        fireTimers(time)
        body(&self, time)
        fireTimers(time)
        let output = actions
        actions = []
        return output
    }

    /// Fires the timers due at `now`.
    public mutating func tick(now: Double) -> [TxAction] { run(now) { _, _ in } }

    func ordered(_ ids: some Sequence<PeerID>) -> [PeerID] {
        ids.sorted { a, b in
            let (x, y) = (peers[a]?.order ?? .max, peers[b]?.order ?? .max)
            return x != y ? x < y : a.bytes.lexicographicallyPrecedes(b.bytes)
        }
    }

    /// Registers a peer seen for the first time; false for one we disconnected.
    mutating func admit(_ peer: PeerID) -> Bool {
        if dropped.contains(peer) { return false }
        if peers[peer] == nil {
            peers[peer] = Peer(order: nextPeerOrder)
            nextPeerOrder += 1
        }
        return true
    }

    mutating func markKnown(_ peer: PeerID, _ hashes: some Sequence<Hash32>) {
        guard peers[peer] != nil else { return }
        for hash in hashes { peers[peer]?.known.insert(hash) }
    }
}
