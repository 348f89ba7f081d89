import RLPxConformance
import Testing

// SPDX-License-Identifier: Apache-2.0
@testable import RLPxCapture

/// `--shard K/N` and `--connection N`: every connection in exactly one shard, the same one in every process.
@Suite struct ConnectionSelectionTests {
    static func endpoints(_ index: Int) -> [Endpoint] {
        [
            Endpoint(address: [10, 0, UInt8(index >> 8 & 0xff), UInt8(index & 0xff)], port: UInt16(30000 + index % 1000)),
            Endpoint(address: [192, 168, 1, 1], port: 30303),
        ]
    }

    @Test func shardsPartitionTheConnections() {
        for count in 1...5 {
            var sizes = Array(repeating: 0, count: count)
            for index in 0..<2000 {
                let key = Self.endpoints(index)
                let chosen = (1...count).filter { ConnectionSelection(shard: .init(index: $0, count: count)).selects(number: index, endpoints: key) }
                #expect(chosen.count == 1)
                #expect(ConnectionSelection.shardIndex(key.reversed(), count: count) == chosen.first, "either direction")
                sizes[(chosen.first ?? 1) - 1] += 1
            }
            #expect(sizes.allSatisfy { $0 > 2000 / count / 2 }, "\(sizes): shards are roughly even")
        }
    }

    /// The hash is FNV-1a with MurmurHash3's final mix, not Swift's seeded Hasher: these values (computed in Python
    /// when the test was written) hold in every process.
    @Test func theShardHashIsStable() {
        #expect(ConnectionSelection.shardIndex(Self.endpoints(0), count: 1000) == ConnectionSelection.shardIndex(Self.endpoints(0), count: 1000))
        #expect(ConnectionSelection.shardIndex(Self.endpoints(7), count: 2) == 2)
        #expect(ConnectionSelection.shardIndex(Self.endpoints(7), count: 1000) == 370)
    }

    @Test func shardsAndNumbersParse() {
        #expect(ConnectionSelection.Shard("1/2") == ConnectionSelection.Shard(index: 1, count: 2))
        for bad in ["0/2", "3/2", "1/0", "x", "1/2/3", "", "-1/2"] { #expect(ConnectionSelection.Shard(bad) == nil, "\(bad)") }
        let numbers = ConnectionSelection(numbers: [2])
        #expect(
            numbers.selects(number: 2, endpoints: []) && !numbers.selects(number: 3, endpoints: []) && !numbers.selects(number: nil, endpoints: []))
        #expect(ConnectionSelection().isAll)
    }
}
