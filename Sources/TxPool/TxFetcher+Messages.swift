// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxFetcher {
    /// A peer finished the eth handshake: go-ethereum announces it every pending non-blob transaction.
    public mutating func peerJoined(_ peer: PeerID, now: Double) -> [TxAction] {
        run(now) { fetcher, _ in
            fetcher.dropped.remove(peer)
            _ = fetcher.admit(peer)
            let hashes = fetcher.pool.pendingPlainHashes
            if !hashes.isEmpty { fetcher.announce(hashes, to: peer) }
        }
    }

    /// A peer is gone: its announcements and its request in flight go to other announcers.
    public mutating func peerLeft(_ peer: PeerID, now: Double) -> [TxAction] {
        run(now) { fetcher, time in
            if fetcher.dropped.remove(peer) != nil { return }
            fetcher.drop(peer, time)
        }
    }

    /// NewPooledTransactionHashes from `peer`.
    public mutating func announced(_ peer: PeerID, _ announcement: TransactionAnnouncement, now: Double) -> [TxAction] {
        run(now) { fetcher, time in
            guard fetcher.pool.accepting, fetcher.admit(peer) else { return }
            guard announcement.isConsistent else {
                let counts = "\(announcement.hashes.count) \(announcement.types.count) \(announcement.sizes.count)"
                fetcher.disconnect(peer, .subprotocolError, "NewPooledTransactionHashes: invalid len of fields: \(counts)", time)
                return
            }
            fetcher.markKnown(peer, announcement.hashes)
            fetcher.notify(peer, kinds: announcement.types, sizes: announcement.sizes, hashes: announcement.hashes, time)
        }
    }

    /// NewPooledTransactionHashes `[types, sizes, hashes]` from `peer`.
    public mutating func announced(
        _ peer: PeerID, types: [UInt8], sizes: [UInt32], hashes: [Hash32], now: Double
    ) -> [TxAction] {
        announced(peer, TransactionAnnouncement(types: types, sizes: sizes, hashes: hashes), now: now)
    }

    /// Transactions (a broadcast) from `peer`.
    public mutating func broadcastReceived(_ peer: PeerID, _ txs: [Transaction], now: Double) -> [TxAction] {
        run(now) { fetcher, time in
            guard fetcher.pool.accepting, fetcher.admit(peer) else { return }
            if let problem = Self.problem(in: txs, broadcast: true) {
                fetcher.disconnect(peer, .subprotocolError, problem, time)
                return
            }
            fetcher.markKnown(peer, txs.map(\.hash))
            fetcher.enqueue(peer, txs, direct: false, time)
        }
    }

    /// PooledTransactions from `peer`. The request ID is not matched against the request (go-ethereum v1.17.5
    /// only uses it for its metrics).
    public mutating func delivered(_ peer: PeerID, requestID: UInt64, _ txs: [Transaction], now: Double) -> [TxAction] {
        run(now) { fetcher, time in
            guard fetcher.pool.accepting, fetcher.admit(peer) else { return }
            if let problem = Self.problem(in: txs, broadcast: false) {
                fetcher.disconnect(peer, .subprotocolError, problem, time)
                return
            }
            fetcher.markKnown(peer, txs.map(\.hash))
            fetcher.enqueue(peer, txs, direct: true, time)
        }
    }

    /// Our own transactions (not from a peer): pooled and sent on like any other.
    public mutating func submit(_ txs: [Transaction], now: Double) -> (errors: [PoolError?], actions: [TxAction]) {
        var errors: [PoolError?] = []
        let actions = run(now) { fetcher, _ in
            let result = fetcher.pool.add(txs)
            errors = result.errors
            fetcher.broadcast(result.promoted)
        }
        return (errors, actions)
    }

    /// The answer to GetPooledTransactions from `peer` (``TxPool/pooled(hashes:)``); the served transactions
    /// count as known to the peer. Served whether or not the pool is accepting.
    public mutating func answer(_ peer: PeerID, requestID: UInt64, hashes: [Hash32]) -> EthMessage {
        let txs = pool.pooled(hashes: hashes)
        markKnown(peer, txs.map(\.hash))
        return .pooledTransactions(requestID: requestID, txs)
    }

    /// What go-ethereum's eth handler refuses in a Transactions (`broadcast`) or PooledTransactions message,
    /// checked transaction by transaction: blob transactions in a broadcast; in a response, blob transactions
    /// without sidecar or whose commitments do not hash to the versioned hashes; the same hash twice.
    static func problem(in txs: [Transaction], broadcast: Bool) -> String? {
        var seen: Set<Hash32> = []
        for tx in txs {
            if tx.type == .blob {
                if broadcast { return "disallowed broadcast blob transaction" }
                guard let sidecar = tx.sidecar else { return "received sidecar-less blob transaction" }
                let hashes = tx.blobVersionedHashes
                if sidecar.commitments.count != hashes.count {
                    return PoolError.commitmentCountMismatch(commitments: sidecar.commitments.count, hashes: hashes.count)
                        .description
                }
                if let (index, computed) = BlobHashes.firstMismatch(sidecar, hashes: hashes) {
                    return PoolError.versionedHashMismatch(index: index, computed: computed, announced: hashes[index])
                        .description
                }
            }
            let hash = tx.hash
            if !seen.insert(hash).inserted { return "multiple copies of the same hash \(hash)" }
        }
        return nil
    }

    /// Disconnects `peer` now (a handler error) and forgets it as go-ethereum's `unregisterPeer` does.
    mutating func disconnect(_ peer: PeerID, _ reason: DisconnectReason, _ detail: String, _ time: Int64) {
        guard !dropped.contains(peer) else { return }
        actions.append(.disconnect(peer: peer, reason: reason, detail: detail))
        drop(peer, time)
        dropped.insert(peer)
    }
}
