// SPDX-License-Identifier: Apache-2.0
import RLPxCapture

/// Which connections a replay reads: those with the listed numbers (`--connection N`), and of those the ones in
/// one shard of N (`--shard K/N`): a connection's shard comes from a hash of its two endpoints that is the same in
/// every process and on every machine, so N processes given shards 1/N … N/N report each connection exactly once.
/// Connections keep the numbers the whole capture gives them.
public struct ConnectionSelection: Sendable, Hashable {
    /// Connection numbers to read (nil: all).
    public var numbers: Set<Int>?
    /// The shard to read, from 1, and the number of shards (nil: all).
    public var shard: Shard?

    public struct Shard: Sendable, Hashable {
        public var index: Int
        public var count: Int

        public init?(index: Int, count: Int) {
            guard count >= 1, (1...count).contains(index) else { return nil }
            self.index = index
            self.count = count
        }

        /// `K/N` with 1 ≤ K ≤ N.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
            self.init(index: index, count: count)
        }
    }

    public init(numbers: Set<Int>? = nil, shard: Shard? = nil) {
        self.numbers = numbers
        self.shard = shard
    }

    /// Whether this selects every connection.
    public var isAll: Bool { numbers == nil && shard == nil }

    /// Whether the connection with `number` (nil when its SYN was not captured) between `endpoints` is read.
    public func selects(number: Int?, endpoints: [Endpoint]) -> Bool {
        if let numbers {
            guard let number, numbers.contains(number) else { return false }
        }
        if let shard { return Self.shardIndex(endpoints, count: shard.count) == shard.index }
        return true
    }

    /// The shard (from 1) of the connection between `endpoints`: FNV-1a over both endpoints in ascending order,
    /// finished with MurmurHash3's 64-bit mix (FNV's low bits follow its input's too closely for a modulus).
    public static func shardIndex(_ endpoints: [Endpoint], count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        for endpoint in endpoints.sorted() {
            mix(UInt8(endpoint.address.count))
            for byte in endpoint.address { mix(byte) }
            mix(UInt8(endpoint.port >> 8))
            mix(UInt8(endpoint.port & 0xff))
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int(hash % UInt64(max(1, count))) + 1
    }
}
