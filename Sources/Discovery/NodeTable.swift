// SPDX-License-Identifier: Apache-2.0

/// A Kademlia routing table as discv4 and discv5 keep it: 256 buckets by XOR log-distance from the local node,
/// each holding up to 16 live entries ordered least recently seen first, plus a short replacement list.
///
/// A value type with no clock and no I/O: every call that depends on time takes `now` (time since any fixed origin),
/// and the table never evicts a node on its own. When a bucket is full, ``insert(_:value:now:)`` queues the newcomer
/// as a replacement and answers ``InsertOutcome/checkLiveness(of:)`` with the bucket's least recently seen entry: the
/// caller pings it and reports back with ``markAlive(_:now:)`` (the entry stays, moved to the tail) or
/// ``markDead(_:)`` (the entry goes and the newest replacement takes its place). `Value` is what the protocol keeps
/// per node (an endpoint, a record).
///
/// Nodes given with their IP address are held to go-ethereum's subnet limits (``IPLimits``): a node over them is not
/// stored at all (``InsertOutcome/refusedIPLimit``).
public struct NodeTable<Value> {
    /// go-ethereum's limits on nodes of one subnet (netutil.DistinctNetSet in table.go): at most ``perBucket`` nodes of
    /// one /``prefixLength`` (IPv4 and IPv6 alike) in a bucket, entries and replacements together, and ``perTable`` in
    /// the whole table. LAN addresses (``IPAddress/isLAN``) are exempt as go-ethereum has them, unless
    /// ``exemptsLAN`` is false (tests, to exercise the limits on 127.x).
    public struct IPLimits: Sendable, Hashable {
        public var prefixLength = 24
        public var perBucket = 2
        public var perTable = 10
        public var exemptsLAN = true
        public init() {}
    }

    /// Buckets: one per log-distance 1...256.
    public static var bucketCount: Int { 256 }

    /// A node in the table.
    public struct Entry {
        public let id: NodeID
        public var value: Value
        /// The address the subnet limits count (nil: not counted).
        public var ip: IPAddress?
        /// When it entered the table (or the replacement list).
        public let addedAt: Duration
        /// When it was last heard from.
        public var lastSeen: Duration
    }

    /// What ``insert(_:value:now:)`` did.
    public enum InsertOutcome {
        /// Added to a bucket with room.
        case added
        /// Already present: value and last-seen time updated, moved to the tail of its bucket.
        case updated
        /// The local node's own ID: never stored.
        case ignoredSelf
        /// The bucket is full: the newcomer waits in the replacement list; ping this entry (its bucket's least
        /// recently seen) and report with ``markAlive(_:now:)`` or ``markDead(_:)``.
        case checkLiveness(of: Entry)
        /// Its subnet already has as many nodes as ``IPLimits`` allow, in the bucket or the table: not stored.
        case refusedIPLimit
    }

    struct Bucket {
        var entries: [Entry] = []
        var replacements: [Entry] = []
    }

    /// The local node.
    public let localID: NodeID
    /// Live entries per bucket (k).
    public let bucketSize: Int
    /// Waiting entries per bucket.
    public let replacementSize: Int
    /// The subnet limits (nil: none).
    public var ipLimits: IPLimits? = IPLimits()
    var buckets: [Bucket]

    /// An empty table around `localID`: k = 16 and 10 replacements per bucket, as go-ethereum keeps them.
    public init(localID: NodeID, bucketSize: Int = 16, replacementSize: Int = 10) {
        self.localID = localID
        self.bucketSize = max(1, bucketSize)
        self.replacementSize = max(0, replacementSize)
        buckets = Array(repeating: Bucket(), count: Self.bucketCount)
    }

    /// The bucket `id` belongs in (log-distance − 1); nil for the local ID.
    public func bucketIndex(of id: NodeID) -> Int? {
        let distance = localID.logDistance(to: id)
        return distance == 0 ? nil : distance - 1
    }

    /// Live entries in all buckets.
    public var count: Int { buckets.reduce(0) { $0 + $1.entries.count } }

    /// Every live entry, nearest bucket first.
    public var entries: [Entry] { buckets.flatMap(\.entries) }

    /// The live entry for `id`.
    public func entry(_ id: NodeID) -> Entry? {
        guard let index = bucketIndex(of: id) else { return nil }
        return buckets[index].entries.first { $0.id == id }
    }

    /// The live entries at log-distance `distance` (1...256) from the local node, as discv5's FINDNODE asks.
    public func entries(atDistance distance: Int) -> [Entry] {
        guard (1...Self.bucketCount).contains(distance) else { return [] }
        return buckets[distance - 1].entries
    }

    /// The replacements waiting for a place in `id`'s bucket.
    public func replacements(near id: NodeID) -> [Entry] {
        guard let index = bucketIndex(of: id) else { return [] }
        return buckets[index].replacements
    }

    /// Adds or refreshes a node that was heard from at `now`, at `ip` (which the subnet limits count; a refresh to an
    /// address over them keeps the entry as it was).
    @discardableResult
    public mutating func insert(_ id: NodeID, value: Value, ip: IPAddress? = nil, now: Duration) -> InsertOutcome {
        guard let index = bucketIndex(of: id) else { return .ignoredSelf }
        guard admits(ip, bucket: index, besides: id) else { return .refusedIPLimit }
        if let position = buckets[index].entries.firstIndex(where: { $0.id == id }) {
            var entry = buckets[index].entries.remove(at: position)
            entry.value = value
            entry.ip = ip
            entry.lastSeen = now
            buckets[index].entries.append(entry)
            return .updated
        }
        let entry = Entry(id: id, value: value, ip: ip, addedAt: now, lastSeen: now)
        if buckets[index].entries.count < bucketSize {
            buckets[index].replacements.removeAll { $0.id == id }
            buckets[index].entries.append(entry)
            return .added
        }
        buckets[index].replacements.removeAll { $0.id == id }
        if replacementSize > 0 {
            buckets[index].replacements.append(entry)
            if buckets[index].replacements.count > replacementSize { buckets[index].replacements.removeFirst() }
        }
        // A full bucket is never empty.
        return .checkLiveness(of: buckets[index].entries[0])
    }

    /// Whether `ip` fits the subnet limits in bucket `index`, not counting the node `id` itself.
    func admits(_ ip: IPAddress?, bucket index: Int, besides id: NodeID) -> Bool {
        guard let limits = ipLimits, let ip, !(limits.exemptsLAN && ip.isLAN) else { return true }
        let subnet = ip.masked(toPrefix: limits.prefixLength)
        func sameSubnet(_ bucket: Bucket) -> Int {
            (bucket.entries + bucket.replacements).count { $0.id != id && $0.ip?.masked(toPrefix: limits.prefixLength) == subnet }
        }
        return sameSubnet(buckets[index]) < limits.perBucket && buckets.reduce(0) { $0 + sameSubnet($1) } < limits.perTable
    }

    /// A liveness check of `id` was answered at `now`: it becomes the most recently seen of its bucket.
    /// - Returns: false when `id` is not in the table.
    @discardableResult
    public mutating func markAlive(_ id: NodeID, now: Duration) -> Bool {
        guard let index = bucketIndex(of: id), let position = buckets[index].entries.firstIndex(where: { $0.id == id }) else {
            return false
        }
        var entry = buckets[index].entries.remove(at: position)
        entry.lastSeen = now
        buckets[index].entries.append(entry)
        return true
    }

    /// A liveness check of `id` failed: it leaves the table and the newest replacement (if any) takes its place.
    /// - Returns: the promoted replacement.
    @discardableResult
    public mutating func markDead(_ id: NodeID) -> Entry? {
        guard let index = bucketIndex(of: id), let position = buckets[index].entries.firstIndex(where: { $0.id == id }) else {
            return nil
        }
        buckets[index].entries.remove(at: position)
        guard let promoted = buckets[index].replacements.popLast() else { return nil }
        buckets[index].entries.append(promoted)
        return promoted
    }

    /// Removes `id` from its bucket and from the replacements, promoting none.
    public mutating func remove(_ id: NodeID) {
        guard let index = bucketIndex(of: id) else { return }
        buckets[index].entries.removeAll { $0.id == id }
        buckets[index].replacements.removeAll { $0.id == id }
    }

    /// Up to `count` live entries closest to `target` by XOR distance, closest first.
    public func closest(to target: NodeID, count: Int = 16) -> [Entry] {
        guard count > 0 else { return [] }
        var best: [Entry] = []
        for bucket in buckets {
            for entry in bucket.entries {
                let position = best.firstIndex { entry.id.isCloser(to: target, than: $0.id) } ?? best.endIndex
                if position < count {
                    best.insert(entry, at: position)
                    if best.count > count { best.removeLast() }
                }
            }
        }
        return best
    }

    /// The entry heard from longest ago, if that was at least `interval` before `now`: the next one to revalidate.
    public func staleEntry(now: Duration, interval: Duration) -> Entry? {
        var oldest: Entry?
        for bucket in buckets {
            guard let first = bucket.entries.first, first.lastSeen <= now - interval else { continue }
            if let current = oldest, current.lastSeen <= first.lastSeen { continue }
            oldest = first
        }
        return oldest
    }
}

extension NodeTable: Sendable where Value: Sendable {}
extension NodeTable.Entry: Sendable where Value: Sendable {}
extension NodeTable.InsertOutcome: Sendable where Value: Sendable {}
extension NodeTable.Bucket: Sendable where Value: Sendable {}
