// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLPxTestSupport
import Testing

@Suite struct NodeTableTests {
    static let local = NodeID(bytes: [UInt8](repeating: 0, count: 32))!

    /// An ID at log-distance `distance` from the all-zero local ID, told apart by `tag` in its last bytes.
    static func id(distance: Int, tag: UInt16 = 0) -> NodeID {
        var bytes = [UInt8](repeating: 0, count: 32)
        let bit = distance - 1
        bytes[31 - bit / 8] |= 1 << UInt8(bit % 8)
        if distance > 17 {
            bytes[30] |= UInt8(tag >> 8)
            bytes[31] |= UInt8(tag & 0xff)
        }
        return NodeID(bytes: bytes)!
    }

    @Test func logDistanceCountsTheHighestDifferingBit() {
        let a = Self.local
        #expect(a.logDistance(to: a) == 0)
        #expect(a.logDistance(to: Self.id(distance: 1)) == 1)
        #expect(a.logDistance(to: Self.id(distance: 256)) == 256)
        #expect(a.logDistance(to: Self.id(distance: 200, tag: 0xffff)) == 200)
        var random = SeededRandom(seed: 31)
        for _ in 0..<100 {
            let x = NodeID(bytes: random.bytes(32))!
            let y = NodeID(bytes: random.bytes(32))!
            #expect(x.logDistance(to: y) == y.logDistance(to: x))
            let xor = zip(x.bytes, y.bytes).map { $0 ^ $1 }
            let leading = xor.firstIndex { $0 != 0 }.map { $0 * 8 + xor[$0].leadingZeroBitCount } ?? 256
            #expect(x.logDistance(to: y) == 256 - leading)
        }
    }

    @Test func nodesGoToTheBucketOfTheirDistance() {
        var table = NodeTable<Int>(localID: Self.local)
        let own = table.insert(Self.local, value: 0, now: .zero)
        #expect(own.isIgnoredSelf)
        for distance in [1, 2, 100, 256] {
            let outcome = table.insert(Self.id(distance: distance), value: distance, now: .seconds(1))
            #expect(outcome.isAdded)
            #expect(table.entries(atDistance: distance).map(\.value) == [distance])
        }
        #expect(table.count == 4)
        let refreshed = table.insert(Self.id(distance: 100), value: 7, now: .seconds(2))
        #expect(refreshed.isUpdated)
        #expect(table.entry(Self.id(distance: 100))?.value == 7)
        #expect(table.entry(Self.id(distance: 100))?.lastSeen == .seconds(2))
        #expect(table.entry(Self.id(distance: 100))?.addedAt == .seconds(1))
        #expect(table.count == 4)
        #expect(table.entries(atDistance: 0).isEmpty && table.entries(atDistance: 257).isEmpty)
    }

    @Test func aFullBucketAsksForALivenessCheckBeforeEvicting() {
        var table = NodeTable<Int>(localID: Self.local)
        for tag in 0..<16 {
            let outcome = table.insert(Self.id(distance: 200, tag: UInt16(tag)), value: tag, now: .seconds(Int64(tag)))
            #expect(outcome.isAdded)
        }
        // The 17th: no eviction, a check of the least recently seen (tag 0), the newcomer waiting.
        let newcomer = Self.id(distance: 200, tag: 100)
        guard case .checkLiveness(let oldest) = table.insert(newcomer, value: 100, now: .seconds(20)) else {
            Issue.record("expected a liveness check")
            return
        }
        #expect(oldest.id == Self.id(distance: 200, tag: 0))
        #expect(table.entries(atDistance: 200).count == 16)
        #expect(table.replacements(near: newcomer).map(\.value) == [100])
        // It answered: it stays, now most recently seen; the next check is of tag 1.
        let answered = table.markAlive(oldest.id, now: .seconds(21))
        #expect(answered)
        #expect(table.entries(atDistance: 200).last?.id == oldest.id)
        guard case .checkLiveness(let next) = table.insert(Self.id(distance: 200, tag: 101), value: 101, now: .seconds(22)) else {
            Issue.record("expected a liveness check")
            return
        }
        #expect(next.id == Self.id(distance: 200, tag: 1))
        // It did not answer: it goes, the newest replacement (101) takes its place.
        let promoted = table.markDead(next.id)
        #expect(promoted?.value == 101)
        #expect(table.entry(next.id) == nil)
        #expect(table.entry(Self.id(distance: 200, tag: 101)) != nil)
        #expect(table.replacements(near: newcomer).map(\.value) == [100])
        #expect(table.entries(atDistance: 200).count == 16)
        // Another failure promotes 100; a third promotes none.
        let second = table.markDead(Self.id(distance: 200, tag: 2))
        #expect(second?.value == 100)
        let third = table.markDead(Self.id(distance: 200, tag: 3))
        #expect(third == nil)
        #expect(table.entries(atDistance: 200).count == 15)
        let gone = table.markAlive(Self.id(distance: 200, tag: 3), now: .seconds(30))
        #expect(!gone)
    }

    @Test func theReplacementListIsBounded() {
        var table = NodeTable<Int>(localID: Self.local, bucketSize: 2, replacementSize: 3)
        for tag in 0..<10 { table.insert(Self.id(distance: 50, tag: UInt16(tag)), value: tag, now: .seconds(Int64(tag))) }
        #expect(table.entries(atDistance: 50).map(\.value) == [0, 1])
        #expect(table.replacements(near: Self.id(distance: 50)).map(\.value) == [7, 8, 9])
        table.remove(Self.id(distance: 50, tag: 8))
        #expect(table.replacements(near: Self.id(distance: 50)).map(\.value) == [7, 9])
    }

    @Test func closestIsOrderedByXORDistance() {
        var random = SeededRandom(seed: 77)
        let local = NodeID(bytes: random.bytes(32))!
        var table = NodeTable<Int>(localID: local)
        var ids: [NodeID] = []
        for index in 0..<300 {
            let id = NodeID(bytes: random.bytes(32))!
            if table.insert(id, value: index, now: .zero).isAdded { ids.append(id) }
        }
        #expect(table.count == ids.count)
        for _ in 0..<20 {
            let target = NodeID(bytes: random.bytes(32))!
            let expected = ids.sorted { $0.isCloser(to: target, than: $1) }.prefix(16)
            #expect(table.closest(to: target).map(\.id) == Array(expected))
        }
        #expect(table.closest(to: local, count: 0).isEmpty)
    }

    @Test func theStalestEntryIsOfferedForRevalidation() {
        var table = NodeTable<Int>(localID: Self.local)
        table.insert(Self.id(distance: 10), value: 1, now: .seconds(100))
        table.insert(Self.id(distance: 20), value: 2, now: .seconds(50))
        table.insert(Self.id(distance: 30), value: 3, now: .seconds(80))
        #expect(table.staleEntry(now: .seconds(55), interval: .seconds(10)) == nil)
        #expect(table.staleEntry(now: .seconds(100), interval: .seconds(10))?.value == 2)
        table.markAlive(Self.id(distance: 20), now: .seconds(100))
        #expect(table.staleEntry(now: .seconds(100), interval: .seconds(10))?.value == 3)
    }
}

extension NodeTable.InsertOutcome {
    var isAdded: Bool { if case .added = self { true } else { false } }
    var isUpdated: Bool { if case .updated = self { true } else { false } }
    var isIgnoredSelf: Bool { if case .ignoredSelf = self { true } else { false } }
    var isRefused: Bool { if case .refusedIPLimit = self { true } else { false } }
}

/// go-ethereum's subnet limits (2 nodes of a /24 per bucket, 10 per table; LAN exempt).
@Suite struct NodeTableIPLimitTests {
    static func ip(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func aBucketTakesTwoNodesOfOneSubnet() {
        var table = NodeTable<Int>(localID: NodeTableTests.local)
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 1), value: 1, ip: Self.ip("203.0.113.1"), now: .zero).isAdded)
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 2), value: 2, ip: Self.ip("203.0.113.2"), now: .zero).isAdded)
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 3), value: 3, ip: Self.ip("203.0.113.200"), now: .zero).isRefused)
        #expect(table.entry(NodeTableTests.id(distance: 200, tag: 3)) == nil)
        #expect(table.replacements(near: NodeTableTests.id(distance: 200, tag: 3)).isEmpty)
        // Another /24, another bucket, a refresh of a node already counted: all fine.
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 4), value: 4, ip: Self.ip("203.0.114.1"), now: .zero).isAdded)
        #expect(table.insert(NodeTableTests.id(distance: 201, tag: 5), value: 5, ip: Self.ip("203.0.113.3"), now: .zero).isAdded)
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 1), value: 9, ip: Self.ip("203.0.113.1"), now: .seconds(1)).isUpdated)
        // Moving a node into the full subnet is refused and keeps it where it was.
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 4), value: 4, ip: Self.ip("203.0.113.9"), now: .seconds(1)).isRefused)
        #expect(table.entry(NodeTableTests.id(distance: 200, tag: 4))?.ip == Self.ip("203.0.114.1"))
        // A removed node frees its place.
        table.remove(NodeTableTests.id(distance: 200, tag: 2))
        #expect(table.insert(NodeTableTests.id(distance: 200, tag: 3), value: 3, ip: Self.ip("203.0.113.200"), now: .zero).isAdded)
    }

    @Test func theTableTakesTenNodesOfOneSubnetAndReplacementsCount() {
        var table = NodeTable<Int>(localID: NodeTableTests.local, bucketSize: 1, replacementSize: 1)
        // Buckets of one entry and one replacement: two nodes per bucket, five buckets.
        for index in 0..<10 {
            let outcome = table.insert(
                NodeTableTests.id(distance: 200 + index / 2, tag: UInt16(index)), value: index, ip: Self.ip("198.51.100.\(index)"), now: .zero)
            #expect(index % 2 == 0 ? outcome.isAdded : !outcome.isRefused)
        }
        #expect(table.count == 5)
        #expect(table.insert(NodeTableTests.id(distance: 210, tag: 1), value: 10, ip: Self.ip("198.51.100.99"), now: .zero).isRefused)
        #expect(table.insert(NodeTableTests.id(distance: 210, tag: 1), value: 10, ip: Self.ip("198.51.101.99"), now: .zero).isAdded)
        #expect(table.insert(NodeTableTests.id(distance: 211, tag: 1), value: 11, ip: nil, now: .zero).isAdded)
    }

    @Test func lanAddressesAreExemptUnlessTheSwitchIsOff() {
        var table = NodeTable<Int>(localID: NodeTableTests.local)
        for tag in 1...5 {
            #expect(table.insert(NodeTableTests.id(distance: 200, tag: UInt16(tag)), value: tag, ip: Self.ip("127.0.0.\(tag)"), now: .zero).isAdded)
        }
        var strict = NodeTable<Int>(localID: NodeTableTests.local)
        strict.ipLimits?.exemptsLAN = false
        let outcomes = (1...3).map {
            strict.insert(NodeTableTests.id(distance: 200, tag: UInt16($0)), value: $0, ip: Self.ip("127.0.0.\($0)"), now: .zero)
        }
        #expect(outcomes.map(\.isRefused) == [false, false, true])
        var unlimited = NodeTable<Int>(localID: NodeTableTests.local)
        unlimited.ipLimits = nil
        for tag in 1...5 {
            #expect(unlimited.insert(NodeTableTests.id(distance: 200, tag: UInt16(tag)), value: tag, ip: Self.ip("8.8.8.\(tag)"), now: .zero).isAdded)
        }
        for lan in ["127.1.2.3", "0.1.2.3", "10.9.9.9", "172.16.0.1", "172.31.255.1", "192.168.1.1", "::1", "fe80::1", "fd00::1"] {
            #expect(Self.ip(lan).isLAN, "\(lan)")
        }
        for wan in ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "fec0::1"] { #expect(!Self.ip(wan).isLAN, "\(wan)") }
        #expect(Self.ip("203.0.113.77").masked(toPrefix: 24) == Self.ip("203.0.113.0"))
        #expect(Self.ip("203.0.113.77").masked(toPrefix: 20) == Self.ip("203.0.112.0"))
        #expect(Self.ip("2001:db8:abcd::1").masked(toPrefix: 24) == Self.ip("2001:d00::"))
    }
}
