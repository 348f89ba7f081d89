// SPDX-License-Identifier: Apache-2.0
import RLPxTestSupport
import Testing
import Trie

@Suite struct TriePathTests {
    @Test func compactEncoding() {
        // The yellow paper's four flag cases.
        #expect(TriePath.compact([1, 2, 3, 4, 5]) == [0x11, 0x23, 0x45])
        #expect(TriePath.compact([0, 1, 2, 3, 4, 5]) == [0x00, 0x01, 0x23, 0x45])
        #expect(TriePath.compact([0, 15, 1, 12, 11, 8], leaf: true) == [0x20, 0x0f, 0x1c, 0xb8])
        #expect(TriePath.compact([15, 1, 12, 11, 8], leaf: true) == [0x3f, 0x1c, 0xb8])
        #expect(TriePath.compact([]) == [0x00])
        #expect(TriePath.compact([], leaf: true) == [0x20])
    }

    @Test func compactRoundTrips() throws {
        var random = SeededRandom(seed: 11)
        for length in 0..<40 {
            let nibbles = (0..<length).map { _ in UInt8.random(in: 0...15, using: &random) }
            for leaf in [false, true] {
                let decoded = try TriePath.decodeCompact(TriePath.compact(nibbles, leaf: leaf))
                #expect(decoded.nibbles == nibbles && decoded.leaf == leaf)
            }
        }
    }

    @Test func invalidCompactPaths() {
        #expect(throws: TrieError.invalidCompactPath) { try TriePath.decodeCompact([UInt8]()) }
        #expect(throws: TrieError.invalidCompactPath) { try TriePath.decodeCompact([0x40]) }
        #expect(throws: TrieError.invalidCompactPath) { try TriePath.decodeCompact([0x01, 0x23]) }
        #expect(throws: TrieError.invalidCompactPath) { try TriePath.decodeCompact([0x25]) }
    }

    @Test func nibblesAndBytes() {
        #expect(TriePath.nibbles([0xab, 0x01]) == [0xa, 0xb, 0x0, 0x1])
        #expect(TriePath.bytes(fromNibbles: [0xa, 0xb, 0x0, 0x1]) == [0xab, 0x01])
        #expect(TriePath.bytes(fromNibbles: [0xa]) == nil)
        #expect(TriePath.bytes(fromNibbles: [0x10, 0]) == nil)
    }
}
