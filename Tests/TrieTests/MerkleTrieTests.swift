// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxTestSupport
import Testing
import Trie

@Suite struct MerkleTrieTests {
    /// Random tries of each shape: hashed keys, short keys of mixed lengths (prefixes of one another), small values.
    static let shapes: [(name: String, keyLength: Int?, count: Int, maxValue: Int)] = [
        ("hashed keys", 32, 300, 80), ("short mixed keys", nil, 300, 40), ("tiny values", 32, 50, 3),
        ("one key", 32, 1, 10), ("two short keys", nil, 2, 2),
    ]

    @Test(arguments: 0..<5) func proofsRoundTrip(shape: Int) throws {
        var random = SeededRandom(seed: UInt64(100 + shape))
        let (_, keyLength, count, maxValue) = Self.shapes[shape]
        let pairs = randomEntries(count: count, keyLength: keyLength, maxValue: maxValue, using: &random)
        let trie = MerkleTrie(pairs)
        #expect(trie.root == MerkleTrie.root(of: pairs))
        for entry in trie.entries {
            let proof = trie.proof(for: entry.key)
            #expect(proof.first.map { keccak($0) } == trie.root.bytes)
            #expect(try Proof.verify(root: trie.root, key: entry.key, proof: proof) == entry.value)
            #expect(trie.value(for: entry.key) == entry.value)
            // The proof's nodes are the nodes at the prefixes of the key's path where a stored node starts.
            let nibbles = TriePath.nibbles(entry.key)
            #expect((0...nibbles.count).compactMap { trie.node(atPath: nibbles[..<$0]) } == proof)
        }
        for _ in 0..<50 {
            let key = random.bytes(keyLength ?? Int.random(in: 1...6, using: &random))
            guard trie.value(for: key) == nil else { continue }
            #expect(try Proof.verify(root: trie.root, key: key, proof: trie.proof(for: key)) == nil)
        }
    }

    @Test func laterDuplicatesReplaceAndEmptyValuesRemove() {
        let a: [UInt8] = [1]
        let b: [UInt8] = [2]
        let trie = MerkleTrie([(key: a, value: [9]), (key: b, value: [7]), (key: a, value: [8]), (key: b, value: [])])
        #expect(trie.entries == [MerkleTrie.Entry(key: a, value: [8])])
        #expect(trie.root == MerkleTrie([(key: a, value: [8])]).root)
        #expect(MerkleTrie.root(of: [(key: a, value: [9]), (key: a, value: [8])]) == trie.root)
    }

    @Test func entriesFromStartKey() {
        let keys: [[UInt8]] = [[1], [1, 0], [2], [3, 3], [4]]
        let trie = MerkleTrie(keys.reversed().map { (key: $0, value: [0xaa]) })
        #expect(trie.entries.map(\.key) == keys)
        #expect(trie.entries(from: [1, 0]).map(\.key) == [[1, 0], [2], [3, 3], [4]])
        #expect(trie.entries(from: [1, 1], limit: 2).map(\.key) == [[2], [3, 3]])
        #expect(trie.entries(from: [], limit: 1).map(\.key) == [[1]])
        #expect(trie.entries(from: [5]).isEmpty)
        #expect(trie.entries(from: [0], limit: 0).isEmpty)
    }

    @Test func nodesByPath() throws {
        let words = ["do", "dog", "doge", "horse"].map { Array($0.utf8) }
        let trie = MerkleTrie(words.map { (key: $0, value: Array("value of \($0)".utf8)) })
        let root = try #require(trie.node(atPath: [UInt8]()))
        #expect(keccak(root) == trie.root.bytes)
        #expect(try trie.node(atCompactPath: [0x00]) == root)
        // A path ending inside the root extension, past a leaf, or with the leaf flag names no node.
        #expect(trie.node(atPath: [6, 4, 6]) == nil)
        #expect(trie.node(atPath: [6, 4, 6, 15, 6, 7, 6, 5, 0]) == nil)
        #expect(try trie.node(atCompactPath: [0x20]) == nil)
        #expect(throws: TrieError.invalidCompactPath) { try trie.node(atCompactPath: [0x50]) }
        #expect(MerkleTrie([] as [MerkleTrie.Entry]).node(atPath: [UInt8]()) == nil)
    }

    @Test func smallRootIsStillProven() throws {
        // A root shorter than 32 bytes is referenced by its hash all the same, so it is a proof node.
        let trie = MerkleTrie([(key: [1], value: [2])])
        let proof = trie.proof(for: [1])
        #expect(proof.count == 1 && proof[0].count < 32)
        #expect(try Proof.verify(root: trie.root, key: [1], proof: proof) == [2])
        #expect(try Proof.verify(root: trie.root, key: [3], proof: proof) == nil)
        #expect(try Proof.verify(root: MerkleTrie.emptyRoot, key: [1], proof: [[UInt8]]()) == nil)
    }

    @Test func singleProofRejections() throws {
        var random = SeededRandom(seed: 7)
        let trie = MerkleTrie(randomEntries(count: 200, using: &random))
        let key = trie.entries[77].key
        let proof = trie.proof(for: key)
        #expect(proof.count >= 3)
        // A node altered in transit: named by its position.
        for index in proof.indices {
            var altered = proof
            altered[index][altered[index].count / 2] ^= 1
            let error = try #require(throws: TrieError.self) { try Proof.verify(root: trie.root, key: key, proof: altered) }
            #expect(error.code == .missingNode && error.proofIndex == index)
            #expect(error.nodeHash?.bytes == keccak(proof[index]))
        }
        // A node left out: named by its hash (its child, orphaned, is the node nothing references).
        var short = proof
        let removed = short.remove(at: 1)
        let error = try #require(throws: TrieError.self) { try Proof.verify(root: trie.root, key: key, proof: short) }
        #expect(error.code == .missingNode && error.nodeHash?.bytes == keccak(removed) && error.proofIndex == 1)
        // The last node left out: nothing is orphaned.
        let lastMissing = try #require(throws: TrieError.self) {
            try Proof.verify(root: trie.root, key: key, proof: Array(proof.dropLast()))
        }
        #expect(lastMissing.code == .missingNode && lastMissing.proofIndex == nil)
        // Not a node at all, under the right hash.
        let garbage: [UInt8] = [0xc3, 0x01, 0x02, 0x03]
        let forged = MerkleTrie([(key: [1], value: [2])])
        let invalid = try #require(throws: TrieError.self) {
            try Proof.verify(root: FixedBytes<32>(keccak(garbage)) ?? forged.root, key: [1], proof: [garbage])
        }
        #expect(invalid.code == .invalidNode && invalid.proofIndex == 0)
    }

    @Test func staticRootsMatchBuiltTries() {
        var random = SeededRandom(seed: 5)
        let values = (0..<130).map { _ in random.bytes(Int.random(in: 1...200, using: &random)) }
        let ordered = MerkleTrie(values.enumerated().map { (key: UInt64($0.offset).rlpEncoded(), value: $0.element) })
        #expect(MerkleTrie.orderedRoot(of: values) == ordered.root)
        let pairs = randomEntries(count: 40, keyLength: 20, using: &random)
        #expect(MerkleTrie.secureRoot(of: pairs) == MerkleTrie.secure(pairs).root)
    }
}
