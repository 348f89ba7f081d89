// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxFetcher {
    /// Fires the wait and timeout timers due at `now`, earliest first.
    mutating func fireTimers(_ now: Int64) {
        for _ in 0..<64 {
            let wait = waitTimer.flatMap { $0 <= now ? $0 : nil }
            let timeout = timeoutTimer.flatMap { $0 <= now ? $0 : nil }
            if let wait, wait <= (timeout ?? .max) {
                waitTimer = nil
                fireWait(now)
            } else if timeout != nil {
                timeoutTimer = nil
                fireTimeout(now)
            } else {
                return
            }
        }
    }

    /// Moves every hash whose wait (less the gather slack) is over from the wait list to the retrieval queue and
    /// schedules fetches from the peers that announced them.
    mutating func fireWait(_ now: Int64) {
        var actives: Set<PeerID> = []
        let expired = waittime.filter { now &- $0.value &+ Self.gatherSlack > Self.arriveTimeout }.map(\.key)
        for hash in expired {
            let sources = waitlist[hash] ?? []
            announced[hash] = sources
            for peer in sources {
                if let meta = waitslots[peer]?[hash] { announces[peer, default: [:]][hash] = meta }
                waitslots[peer]?[hash] = nil
                if waitslots[peer]?.isEmpty ?? false { waitslots[peer] = nil }
                actives.insert(peer)
            }
            waittime[hash] = nil
            waitlist[hash] = nil
        }
        if !waittime.isEmpty { rescheduleWait(now) }
        if !actives.isEmpty { scheduleFetches(actives, now) }
    }

    /// Gives up requests older than the fetch timeout (less the slack): their hashes go back to the queue without
    /// this peer, which keeps its dangling request (and gets no other) until it answers or leaves.
    mutating func fireTimeout(_ now: Int64) {
        for peer in ordered(requests.keys) {
            guard let request = requests[peer], let hashes = request.hashes,
                now &- request.time &+ Self.gatherSlack > Self.fetchTimeout
            else { continue }
            for hash in hashes where !request.stolen.contains(hash) {
                if let sources = alternates[hash] { announced[hash] = sources }
                announced[hash]?.remove(peer)
                if announced[hash]?.isEmpty ?? false { announced[hash] = nil }
                announces[peer]?[hash] = nil
                alternates[hash] = nil
                fetching[hash] = nil
            }
            if announces[peer]?.isEmpty ?? false { announces[peer] = nil }
            requests[peer]?.hashes = nil
        }
        scheduleFetches(nil, now)
        rescheduleTimeout(now)
    }

    /// Arms the wait timer for the earliest waiting hash (at once for blob hashes).
    mutating func rescheduleWait(_ now: Int64) {
        let earliest = min(now, waittime.values.min() ?? now)
        waitTimer = now &+ (Self.arriveTimeout &- (now &- earliest))
    }

    /// Arms the timeout timer for the oldest live request (or a fetch timeout from now).
    mutating func rescheduleTimeout(_ now: Int64) {
        let earliest = min(now, requests.values.filter { $0.hashes != nil }.map(\.time).min() ?? now)
        timeoutTimer = now &+ (Self.fetchTimeout &- (now &- earliest))
    }

    /// Starts a request at every idle peer among `whitelist` (all announcers when nil): its queued hashes in
    /// announcement order that nobody is fetching, up to 256 hashes or until the announced sizes reach 128 KiB.
    mutating func scheduleFetches(_ whitelist: Set<PeerID>?, _ now: Int64) {
        let actives = whitelist ?? Set(announces.keys)
        guard !actives.isEmpty else { return }
        let idle = requests.isEmpty
        for peer in ordered(actives) {
            guard requests[peer] == nil, let queue = announces[peer], !queue.isEmpty else { continue }
            var hashes: [Hash32] = []
            var bytes: UInt64 = 0
            for (hash, meta) in queue.sorted(by: { $0.value.seq < $1.value.seq }) where fetching[hash] == nil {
                fetching[hash] = peer
                alternates[hash] = announced[hash]
                announced[hash] = nil
                hashes.append(hash)
                if hashes.count >= Self.maxRetrievals { break }
                bytes += UInt64(meta.size)
                if bytes >= Self.maxRetrievalSize { break }
            }
            guard !hashes.isEmpty else { continue }
            let id = nextRequestID
            nextRequestID &+= 1
            requests[peer] = Request(id: id, hashes: hashes, time: now)
            actions.append(.request(peer: peer, requestID: id, hashes: hashes))
        }
        if idle && !requests.isEmpty { rescheduleTimeout(now) }
    }

    /// `Drop`: forgets `peer`; what it was fetching goes to its alternates and is scheduled again.
    mutating func drop(_ peer: PeerID, _ now: Int64) {
        peers[peer] = nil
        if let slots = waitslots.removeValue(forKey: peer) {
            for hash in slots.keys {
                waitlist[hash]?.remove(peer)
                if waitlist[hash]?.isEmpty ?? false {
                    waitlist[hash] = nil
                    waittime[hash] = nil
                }
            }
            if !waitlist.isEmpty { rescheduleWait(now) }
        }
        let request = requests.removeValue(forKey: peer)
        if let request {
            for hash in request.hashes ?? [] where !request.stolen.contains(hash) {
                alternates[hash]?.remove(peer)
                if let sources = alternates[hash], !sources.isEmpty { announced[hash] = sources }
                alternates[hash] = nil
                fetching[hash] = nil
            }
        }
        if let queue = announces.removeValue(forKey: peer) {
            for hash in queue.keys {
                announced[hash]?.remove(peer)
                if announced[hash]?.isEmpty ?? false { announced[hash] = nil }
                alternates[hash]?.remove(peer)
                if alternates[hash]?.isEmpty ?? false { alternates[hash] = nil }
            }
        }
        if request != nil {
            scheduleFetches(nil, now)
            rescheduleTimeout(now)
        }
    }
}
