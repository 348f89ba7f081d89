// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// go-ethereum's transaction pool as a peer sees it: its legacy pool (types 0, 1, 2, 4: pending and queued
/// transactions per sender by nonce, 10 % replacement bump) and its blob pool (type 3: gapless nonces from the
/// account's, at most 16 per account, 100 % bump), with the head state read through an ``AccountStateProvider``.
///
/// A value type without clocks or I/O. Not modelled: the global slot limits and price-based eviction (a pool never
/// fills up here), head changes (the state is the provider's, fixed per call), and EIP-7702 delegation limits (the
/// state gives no code). KZG proofs are not verified (see ``KZGProofs``).
public struct TxPool: Sendable {
    public var config: PoolConfig
    /// Whether incoming transactions are taken at all. go-ethereum drops every Transactions,
    /// NewPooledTransactionHashes and PooledTransactions message until the node counts as synced, which after an
    /// import means until the consensus side names the head with `engine_forkchoiceUpdated`. Starts false.
    public var accepting = false
    let state: any AccountStateProvider

    /// Every pooled transaction by hash.
    var entries: [Hash32: ValidatedTransaction] = [:]
    /// The legacy pool per sender.
    var legacy: [Address: LegacyAccount] = [:]
    /// The blob pool per sender: hashes for nonces state nonce, state nonce + 1, ...
    var blob: [Address: [Hash32]] = [:]
    /// Senders in the order first seen, for deterministic listings.
    var senderOrder: [Address: Int] = [:]

    struct LegacyAccount: Sendable {
        /// Executable: contiguous nonces from the account's.
        var pending: [UInt64: Hash32] = [:]
        /// Future: nonces after a gap.
        var queued: [UInt64: Hash32] = [:]
        /// Total cost of `pending` (go-ethereum's `list.totalcost`).
        var pendingCost = Amount.zero
        var isEmpty: Bool { pending.isEmpty && queued.isEmpty }
    }

    /// A pool over `state`.
    public init(config: PoolConfig, state: some AccountStateProvider) {
        self.config = config
        self.state = state
    }

    /// A pool whose head state is `state(address)`.
    public init(config: PoolConfig, state: @escaping @Sendable (Address) -> AccountState) {
        self.init(config: config, state: AccountStateFunction(state))
    }

    /// Where a pooled transaction stands.
    public enum Status: Sendable, Hashable {
        /// Executable: sent on to peers when it got there.
        case pending
        /// Waiting for a lower nonce (legacy pool only).
        case queued
    }

    public func status(_ hash: Hash32) -> Status? {
        guard let entry = entries[hash] else { return nil }
        if entry.transaction.type == .blob { return .pending }
        return legacy[entry.sender]?.pending[entry.transaction.nonce] == hash ? .pending : .queued
    }

    public func contains(_ hash: Hash32) -> Bool { entries[hash] != nil }
    public func transaction(_ hash: Hash32) -> Transaction? { entries[hash]?.transaction }
    public func validated(_ hash: Hash32) -> ValidatedTransaction? { entries[hash] }
    public var count: Int { entries.count }
    public var pendingCount: Int { entries.keys.count { status($0) == .pending } }
    public var queuedCount: Int { count - pendingCount }

    /// Type and size (of the network encoding, sidecar included) as announcements carry them.
    public func metadata(_ hash: Hash32) -> (type: UInt8, size: UInt32)? {
        entries[hash].map { ($0.transaction.type.rawValue, UInt32(clamping: $0.transaction.encoded.count)) }
    }

    /// The executable non-blob transactions, by sender (first seen first) and nonce: what go-ethereum announces to
    /// a peer that just joined.
    public var pendingPlainHashes: [Hash32] {
        sortedSenders(legacy.keys).flatMap { sender in
            (legacy[sender]?.pending ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// go-ethereum's soft limit on a response (2 MiB).
    public static let softResponseLimit = 2 * 1024 * 1024

    /// The answer to GetPooledTransactions: the known transactions among `hashes`, in order, blob transactions with
    /// their sidecar; stops once 2 MiB of RLP items are gathered (checked before each one, so the last may pass it).
    public func pooled(hashes: [Hash32]) -> [Transaction] {
        var result: [Transaction] = []
        var bytes = 0
        for hash in hashes {
            if bytes >= Self.softResponseLimit { break }
            guard let tx = entries[hash]?.transaction else { continue }
            result.append(tx)
            bytes += Self.itemSize(tx)
        }
        return result
    }

    /// Bytes of `tx` as an item of an RLP list: a legacy list, or a byte string around a typed transaction.
    static func itemSize(_ tx: Transaction) -> Int {
        let count = tx.encoded.count
        if tx.type == .legacy { return count }
        if count < 56 { return count + 1 }
        return count + 1 + (Int.bitWidth - count.leadingZeroBitCount + 7) / 8
    }

    func sortedSenders(_ senders: some Sequence<Address>) -> [Address] {
        senders.sorted { (senderOrder[$0] ?? .max, $0.description) < (senderOrder[$1] ?? .max, $1.description) }
    }

    mutating func remember(_ sender: Address) {
        if senderOrder[sender] == nil { senderOrder[sender] = senderOrder.count }
    }
}
