// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxTestSupport
import Testing
import Trie

@Suite struct RangeProofTests {
    /// A random trie of 32-byte keys, as state and storage tries have.
    static func trie(count: Int, maxValue: Int = 80, seed: UInt64) -> MerkleTrie {
        var random = SeededRandom(seed: seed)
        return MerkleTrie(randomEntries(count: count, maxValue: maxValue, using: &random))
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 3), (10, 4), (300, 5), (1000, 6)])
    func acceptsEveryRange(count: Int, seed: Int) throws {
        let trie = Self.trie(count: count, maxValue: seed % 2 == 0 ? 4 : 80, seed: UInt64(seed))
        var random = SeededRandom(seed: UInt64(seed) &+ 1000)
        let keys = trie.entries.map(\.key)
        var starts = Array(0..<min(count, 40))
        starts += (0..<10).map { _ in Int.random(in: 0..<count, using: &random) }
        for start in starts {
            let limit = Int.random(in: 1...max(1, min(count - start, 150)), using: &random)
            // The origin is the first key itself, a key just below it, or zero.
            var origins = [keys[start]]
            if let below = predecessor(keys[start]), start == 0 || below != keys[start - 1] { origins.append(below) }
            if start == 0 { origins.append([UInt8](repeating: 0, count: 32)) }
            for origin in origins {
                let answer = rangeAnswer(trie, from: origin, limit: limit)
                #expect(answer.keys.count == limit)
                let hasMore = try RangeProof.verify(
                    root: trie.root, firstKey: origin, keys: answer.keys, values: answer.values, proof: answer.proof)
                #expect(hasMore == (start + limit < count), "start \(start) limit \(limit)")
            }
        }
        // The whole trie without a proof.
        #expect(try RangeProof.verify(root: trie.root, keys: keys, values: trie.entries.map(\.value)) == false)
    }

    @Test func emptyRanges() throws {
        let trie = Self.trie(count: 100, seed: 9)
        let keys = trie.entries.map(\.key)
        // Past the last key: nothing follows.
        let after = [UInt8](repeating: 0xff, count: 32)
        let none: [[UInt8]] = []
        #expect(try verifyRange(trie.root, from: after, none, none, trie.rangeProof(origin: after, last: nil)) == false)
        // Before or at a key: the proof shows entries there.
        for origin in [keys[50], predecessor(keys[50]) ?? keys[50], [UInt8](repeating: 0, count: 32)] {
            #expect(throws: TrieError.moreEntries) {
                try verifyRange(trie.root, from: origin, none, none, trie.rangeProof(origin: origin, last: nil))
            }
        }
        // The empty trie needs no nodes.
        #expect(try verifyRange(MerkleTrie.emptyRoot, from: after, none, none, none) == false)
        #expect(try RangeProof.verify(root: MerkleTrie.emptyRoot, keys: none, values: none) == false)
    }

    @Test func rejectsTamperedAndMissingNodes() throws {
        let trie = Self.trie(count: 500, seed: 21)
        let keys = trie.entries.map(\.key)
        let origin = try #require(predecessor(keys[100]))
        let answer = rangeAnswer(trie, from: origin, limit: 60)
        #expect(try verifyRange(trie.root, from: origin, answer.keys, answer.values, answer.proof))
        for index in answer.proof.indices {
            var altered = answer.proof
            altered[index][altered[index].count - 1] ^= 0x40
            let error = try #require(throws: TrieError.self) {
                try verifyRange(trie.root, from: origin, answer.keys, answer.values, altered)
            }
            #expect(error.code == .missingNode && error.proofIndex == index, "\(error)")
            #expect(error.nodeHash?.bytes == keccak(answer.proof[index]))

            var short = answer.proof
            let removed = short.remove(at: index)
            let missing = try #require(throws: TrieError.self) {
                try verifyRange(trie.root, from: origin, answer.keys, answer.values, short)
            }
            #expect(missing.code == .missingNode && missing.nodeHash?.bytes == keccak(removed), "\(missing)")
        }
    }

    @Test func rejectsWrongEntries() throws {
        let trie = Self.trie(count: 400, seed: 33)
        let keys = trie.entries.map(\.key)
        let origin = keys[40]
        let answer = rangeAnswer(trie, from: origin, limit: 30)
        let verify = { (keys: [[UInt8]], values: [[UInt8]], proof: [[UInt8]], root: FixedBytes<32>) throws(TrieError) in
            try verifyRange(root, from: origin, keys, values, proof)
        }
        // A gap: an entry left out of the middle.
        var keysWithGap = answer.keys
        var valuesWithGap = answer.values
        keysWithGap.remove(at: 12)
        valuesWithGap.remove(at: 12)
        #expect(throws: TrieError.rootMismatch) { try verify(keysWithGap, valuesWithGap, answer.proof, trie.root) }
        // An altered value.
        var altered = answer.values
        altered[5][0] ^= 1
        #expect(throws: TrieError.rootMismatch) { try verify(answer.keys, altered, answer.proof, trie.root) }
        // Another root: its node is not in the proof.
        let other = Self.trie(count: 10, seed: 34).root
        let wrongRoot = try #require(throws: TrieError.self) { try verify(answer.keys, answer.values, answer.proof, other) }
        #expect(wrongRoot.code == .missingNode && wrongRoot.nodeHash == other)
        // An extra entry past the proven last key, whichever key the right edge is taken to be.
        let extraKeys = answer.keys + [keys[70]]
        let extraValues = answer.values + [trie.entries[70].value]
        #expect(throws: TrieError.self) { try verify(extraKeys, extraValues, answer.proof, trie.root) }
        #expect(throws: TrieError.self) {
            try RangeProof.verify(
                root: trie.root, firstKey: origin, lastKey: answer.keys[answer.keys.count - 1], keys: extraKeys,
                values: extraValues, proof: answer.proof)
        }
        // The last entry dropped: the proof of the right edge no longer matches the entries.
        #expect(throws: TrieError.self) {
            try verify(Array(answer.keys.dropLast()), Array(answer.values.dropLast()), answer.proof, trie.root)
        }
        // Entry rules.
        #expect(throws: TrieError.keysNotIncreasing) {
            try verify([answer.keys[1], answer.keys[0]], [answer.values[1], answer.values[0]], answer.proof, trie.root)
        }
        var emptied = answer.values
        emptied[3] = []
        #expect(throws: TrieError.emptyValue) { try verify(answer.keys, emptied, answer.proof, trie.root) }
        #expect(throws: TrieError.countMismatch) {
            try verify(answer.keys, Array(answer.values.dropLast()), answer.proof, trie.root)
        }
        // Without a proof the entries must be the whole trie.
        #expect(throws: TrieError.rootMismatch) {
            try RangeProof.verify(root: trie.root, keys: answer.keys, values: answer.values)
        }
    }

    @Test func singleEntryRanges() throws {
        let trie = Self.trie(count: 200, seed: 44)
        let entry = trie.entries[120]
        let proof = trie.rangeProof(origin: entry.key, last: entry.key)
        #expect(proof == trie.proof(for: entry.key))
        #expect(try verifyRange(trie.root, from: entry.key, [entry.key], [entry.value], proof))
        #expect(throws: TrieError.valueMismatch) { try verifyRange(trie.root, from: entry.key, [entry.key], [[1]], proof) }
        // The key below the first entry is absent: with it as the only key, the proof says so.
        let absent = try #require(predecessor(entry.key))
        #expect(throws: TrieError.absentKey) {
            try RangeProof.verify(
                root: trie.root, firstKey: absent, lastKey: absent, keys: [absent], values: [[1]],
                proof: trie.proof(for: absent))
        }
        let last = trie.entries[199]
        #expect(try verifyRange(trie.root, from: last.key, [last.key], [last.value], trie.proof(for: last.key)) == false)
    }

    @Test func keysOfMixedLengths() throws {
        // Keys that are prefixes of others sort before them, in the range check as in bytes: ranges whose edge keys
        // are equal in length are accepted whatever lies between, and hasMore sees longer keys after a prefix.
        var random = SeededRandom(seed: 88)
        var checked = 0
        for _ in 0..<400 {
            let symbols = UInt8.random(in: 1...4, using: &random)
            let pairs = (0..<Int.random(in: 2...30, using: &random)).map { _ in
                let key = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    UInt8.random(in: 0..<symbols, using: &random) * 0x11
                }
                return (key: key, value: random.bytes(Int.random(in: 1...40, using: &random)))
            }
            let trie = MerkleTrie(pairs)
            let first = Int.random(in: 0..<trie.count, using: &random)
            let last = Int.random(in: first..<trie.count, using: &random)
            let entries = trie.entries[first...last]
            guard entries.first?.key.count == entries.last?.key.count else { continue }
            let proof = trie.rangeProof(origin: trie.entries[first].key, last: trie.entries[last].key)
            let hasMore = try RangeProof.verify(
                root: trie.root, firstKey: trie.entries[first].key, keys: entries.map(\.key), values: entries.map(\.value),
                proof: proof)
            #expect(hasMore == (last < trie.count - 1))
            checked += 1
        }
        #expect(checked > 150)
    }

    @Test func edgeKeyRules() throws {
        let trie = Self.trie(count: 50, seed: 55)
        let keys = trie.entries.map(\.key)
        let answer = rangeAnswer(trie, from: keys[10], limit: 5)
        #expect(throws: TrieError.invalidEdgeKeys) {
            try verifyRange(trie.root, from: keys[20], answer.keys, answer.values, answer.proof)
        }
        #expect(throws: TrieError.edgeKeyLengths) {
            try verifyRange(trie.root, from: [0], answer.keys, answer.values, answer.proof)
        }
    }

    @Test func extraProofNodesAreIgnored() throws {
        let trie = Self.trie(count: 300, seed: 66)
        let keys = trie.entries.map(\.key)
        let answer = rangeAnswer(trie, from: keys[30], limit: 20)
        let bloated = answer.proof + trie.proof(for: keys[200]) + [[0xc0], [0x01, 0x02]]
        #expect(try verifyRange(trie.root, from: keys[30], answer.keys, answer.values, bloated))
    }

    @Test func malformedProofNodesDoNotCrash() throws {
        // Single-byte changes (the headers, then every fifth byte) and truncations of each proof node, under its own
        // hash as the root: errors only.
        let trie = Self.trie(count: 20, maxValue: 20, seed: 77)
        let keys = trie.entries.map(\.key)
        let answer = rangeAnswer(trie, from: keys[3], limit: 8)
        for node in answer.proof {
            for index in Set(Array(0..<4) + Array(stride(from: 4, to: node.count, by: 5))).sorted() {
                for mutation in [node[index] ^ 0x80, 0] {
                    var bad = node
                    bad[index] = mutation
                    let root = FixedBytes<32>(keccak(bad)) ?? trie.root
                    _ = try? verifyRange(root, from: keys[3], answer.keys, answer.values, [bad] + answer.proof)
                    _ = try? Proof.verify(root: root, key: keys[5], proof: [bad])
                }
            }
            let cut = Array(node.prefix(node.count / 2))
            _ = try? Proof.verify(root: FixedBytes<32>(keccak(cut)) ?? trie.root, key: keys[5], proof: [cut])
        }
    }
}
