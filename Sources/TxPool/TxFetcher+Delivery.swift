// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxFetcher {
    /// `Enqueue`: adds the transactions to the pool in batches of 128 (remembering those refused as underpriced),
    /// sends on what became pending (one propagation per message, as go-ethereum's per-peer queues gather a burst),
    /// then cleans up (``cleanup(_:hashes:kinds:sizes:direct:_:)``).
    mutating func enqueue(_ peer: PeerID, _ txs: [Transaction], direct: Bool, _ now: Int64) {
        var hashes: [Hash32] = []
        var kinds: [UInt8] = []
        var sizes: [Int] = []
        var promoted: [ValidatedTransaction] = []
        var start = 0
        while start < txs.count {
            let batch = Array(txs[start..<min(start + Self.addBatchSize, txs.count)])
            start += Self.addBatchSize
            let result = pool.add(batch)
            for (tx, error) in zip(batch, result.errors) {
                let hash = tx.hash
                if error?.isUnderpriced ?? false { markUnderpriced(hash, now) }
                hashes.append(hash)
                kinds.append(tx.type.rawValue)
                sizes.append(tx.encoded.count)
            }
            promoted += result.promoted
        }
        broadcast(promoted)
        cleanup(peer, hashes: hashes, kinds: kinds, sizes: sizes, direct: direct, now)
    }

    /// The fetcher's delivery step: every delivered hash leaves the trackers, and every peer that announced it with
    /// another type, or a size more than 8 bytes off, is dropped; for a direct delivery the rest of the request goes
    /// back to the queue (without this peer for hashes it skipped before the last one it delivered).
    mutating func cleanup(
        _ origin: PeerID, hashes: [Hash32], kinds: [UInt8], sizes: [Int], direct: Bool, _ now: Int64
    ) {
        for (index, hash) in hashes.enumerated() {
            if waitlist[hash] != nil {
                for peer in ordered(waitslots.keys) {
                    guard let meta = waitslots[peer]?[hash] else { continue }
                    checkAnnouncement(meta, peer: peer, kind: kinds[index], size: sizes[index])
                    waitslots[peer]?[hash] = nil
                    if waitslots[peer]?.isEmpty ?? false { waitslots[peer] = nil }
                }
                waitlist[hash] = nil
                waittime[hash] = nil
            } else {
                for peer in ordered(announces.keys) {
                    guard let meta = announces[peer]?[hash] else { continue }
                    checkAnnouncement(meta, peer: peer, kind: kinds[index], size: sizes[index])
                    announces[peer]?[hash] = nil
                    if announces[peer]?.isEmpty ?? false { announces[peer] = nil }
                }
                announced[hash] = nil
                alternates[hash] = nil
                // Delivered by someone other than the peer asked for it: that request must not reschedule it.
                if let fetcher = fetching[hash], fetcher != origin || !direct {
                    requests[fetcher]?.stolen.insert(hash)
                }
                fetching[hash] = nil
            }
        }
        if direct, let request = requests.removeValue(forKey: origin) {
            let delivered = Set(hashes)
            let asked = request.hashes ?? []
            // If nothing was delivered, everything counts as missing from this peer.
            var cutoff = asked.count
            for (index, hash) in asked.enumerated() where delivered.contains(hash) { cutoff = index }
            for (index, hash) in asked.enumerated() where !request.stolen.contains(hash) {
                if !delivered.contains(hash) {
                    if index < cutoff {
                        alternates[hash]?.remove(origin)
                        announces[origin]?[hash] = nil
                        if announces[origin]?.isEmpty ?? false { announces[origin] = nil }
                    }
                    if let sources = alternates[hash], !sources.isEmpty { announced[hash] = sources }
                }
                alternates[hash] = nil
                fetching[hash] = nil
            }
            scheduleFetches(nil, now)
        }
        let drops = pendingDrops
        pendingDrops = []
        for (peer, detail) in drops { disconnect(peer, .uselessPeer, detail, now) }
    }

    /// Queues `peer` for dropping when its announcement disagrees with the delivered transaction.
    private mutating func checkAnnouncement(_ meta: Meta, peer: PeerID, kind: UInt8, size: Int) {
        let detail: String
        if meta.kind != kind {
            detail = "Announced transaction type mismatch: type \(kind), announced \(meta.kind)"
        } else if abs(size - Int(meta.size)) > 8 {
            detail = "Announced transaction size mismatch: size \(size), announced \(meta.size)"
        } else {
            return
        }
        if !pendingDrops.contains(where: { $0.0 == peer }) { pendingDrops.append((peer, detail)) }
    }
}
