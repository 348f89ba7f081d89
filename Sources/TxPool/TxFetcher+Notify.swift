// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxFetcher {
    /// `Notify`: skips hashes the pool has, of unknown types or recently refused as underpriced, then files the
    /// rest: as an alternate source of a hash being fetched or queued, or in the wait list (blob hashes with
    /// their wait already over).
    mutating func notify(_ peer: PeerID, kinds: [UInt8], sizes: [UInt32], hashes: [Hash32], _ now: Int64) {
        var fresh: [(Hash32, Meta)] = []
        for (index, hash) in hashes.enumerated() {
            if pool.contains(hash) || Transaction.Kind(rawValue: kinds[index]) == nil { continue }
            if isKnownUnderpriced(hash, now) { continue }
            fresh.append((hash, Meta(kind: kinds[index], size: sizes[index], seq: 0)))
        }
        guard !fresh.isEmpty else { return }
        let used = (waitslots[peer]?.count ?? 0) + (announces[peer]?.count ?? 0)
        if used >= Self.maxAnnounces { return }
        fresh = Array(fresh.prefix(Self.maxAnnounces - used))

        let idleWait = waittime.isEmpty
        let oldPeer = announces[peer] != nil
        var hasBlob = false
        for (hash, announcedMeta) in fresh {
            var meta = announcedMeta
            if alternates[hash] != nil {
                alternates[hash]?.insert(peer)
                meta.seq = nextSeq()
                announces[peer, default: [:]][hash] = meta
                continue
            }
            if announced[hash] != nil {
                announced[hash]?.insert(peer)
                meta.seq = nextSeq()
                announces[peer, default: [:]][hash] = meta
                continue
            }
            if waitlist[hash] != nil {
                // A second announcement from the same peer changes nothing (no flip-flopping metadata).
                if waitlist[hash]?.contains(peer) ?? false { continue }
                waitlist[hash]?.insert(peer)
                meta.seq = nextSeq()
                waitslots[peer, default: [:]][hash] = meta
                continue
            }
            waitlist[hash] = [peer]
            if meta.kind == Transaction.Kind.blob.rawValue {
                hasBlob = true
                waittime[hash] = now &- Self.arriveTimeout
            } else {
                waittime[hash] = now
            }
            meta.seq = nextSeq()
            waitslots[peer, default: [:]][hash] = meta
        }
        if hasBlob || (idleWait && !waittime.isEmpty) { rescheduleWait(now) }
        if !oldPeer && !(announces[peer]?.isEmpty ?? true) { scheduleFetches([peer], now) }
    }

    mutating func nextSeq() -> UInt64 {
        defer { txSeq &+= 1 }
        return txSeq
    }

    mutating func isKnownUnderpriced(_ hash: Hash32, _ now: Int64) -> Bool {
        guard let since = underpriced[hash] else { return false }
        if since < now &- Self.underpricedTimeout {
            underpriced[hash] = nil
            return false
        }
        return true
    }

    mutating func markUnderpriced(_ hash: Hash32, _ now: Int64) {
        if underpriced.updateValue(now, forKey: hash) == nil { underpricedOrder.append(hash) }
        if underpricedOrder.count > 2 * Self.underpricedLimit {
            underpricedOrder.removeAll { underpriced[$0] == nil }
        }
        while underpriced.count > Self.underpricedLimit, !underpricedOrder.isEmpty {
            underpriced[underpricedOrder.removeFirst()] = nil
        }
    }
}
