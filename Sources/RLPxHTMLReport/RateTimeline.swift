// SPDX-License-Identifier: Apache-2.0

/// Messages per stretch of time, in at most ``capacity`` buckets from an origin: a bucket's width doubles (merging
/// pairs) whenever a time falls past the last one, so any span of time takes the same memory.
public struct RateTimeline: Sendable, Hashable {
    public let capacity: Int
    public private(set) var origin: Double
    /// Seconds per bucket.
    public private(set) var width: Double
    public private(set) var counts: [Int]

    public init(origin: Double, capacity: Int = 120, width: Double = 0.001) {
        self.origin = origin
        self.capacity = max(2, capacity)
        self.width = width
        counts = []
    }

    /// Counts one message at `time` (times before the origin count in the first bucket).
    public mutating func add(_ time: Double) {
        guard time.isFinite else { return }
        var bucket = Int(max(0, time - origin) / width)
        while bucket >= capacity {
            width *= 2
            counts = stride(from: 0, to: counts.count, by: 2).map { counts[$0] + ($0 + 1 < counts.count ? counts[$0 + 1] : 0) }
            bucket = Int(max(0, time - origin) / width)
        }
        if bucket >= counts.count { counts += Array(repeating: 0, count: bucket - counts.count + 1) }
        counts[bucket] += 1
    }

    /// Every message counted.
    public var total: Int { counts.reduce(0, +) }
}
