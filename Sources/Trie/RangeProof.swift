// SPDX-License-Identifier: Apache-2.0
import RLP

/// Range proofs as snap uses them (go-ethereum's `VerifyRangeProof`): a run of consecutive entries of a trie, with
/// the proofs of its two edges, shows that the trie holds exactly those entries between the edges.
///
/// ```swift
/// let answer = trie.entries(from: origin, limit: 100)
/// let proof = trie.rangeProof(origin: origin, last: answer.last?.key)
/// let hasMore = try RangeProof.verify(
///     root: trie.root, firstKey: origin, keys: answer.map(\.key), values: answer.map(\.value), proof: proof)
/// ```
public enum RangeProof {
    /// Checks entries with their edge proofs and returns whether the trie holds more entries after the last key.
    ///
    /// - `keys` must be strictly increasing and `values` non-empty.
    /// - No keys: the proof must show that nothing is stored at or after `firstKey` (then the result is false).
    /// - One key equal to `firstKey`: the proof must hold that entry.
    /// - Otherwise the proofs of `firstKey` (which may be absent) and of the last key (present or absent) are joined
    ///   into a partial trie, everything between them is cut out, the entries are put in, and the root must match.
    ///   `firstKey` and the last key must be equal in length (32-byte hashes in snap).
    ///
    /// `proof` holds RLP-encoded nodes in any order, looked up by hash; an empty list is a proof with no nodes (only
    /// the empty trie needs none). For a range with no proof at all, use ``verify(root:keys:values:)``.
    ///
    /// Two departures from go-ethereum, neither reachable with snap's 32-byte keys: an empty range of the empty
    /// trie needs no proof nodes, and in tries whose keys differ in length a key sorts before the keys it is a
    /// prefix of (as bytes do), where go-ethereum puts it after them and may reject or misjudge such a range.
    /// - Throws: ``TrieError``: the first node that is missing or does not decode (with its hash, and its position
    ///   in the proof), ``TrieError/Code/rootMismatch``, or the rule the entries break.
    public static func verify<Key: Collection<UInt8>, Value: Collection<UInt8>, Node: Collection<UInt8>>(
        root: FixedBytes<32>, firstKey: some Collection<UInt8>, keys: [Key], values: [Value], proof: [Node]
    ) throws(TrieError) -> Bool {
        try check(
            root: root, firstKey: Array(firstKey), lastKey: keys.last.map { Array($0) }, keys: keys.map { Array($0) },
            values: values.map { Array($0) }, proof: proof.map { ArraySlice($0) })
    }

    /// ``verify(root:firstKey:keys:values:proof:)`` with the right edge's key given apart from the entries: the
    /// proof is for `lastKey`, which may be absent from the trie and lie after the last entry.
    public static func verify<Key: Collection<UInt8>, Value: Collection<UInt8>, Node: Collection<UInt8>>(
        root: FixedBytes<32>, firstKey: some Collection<UInt8>, lastKey: some Collection<UInt8>, keys: [Key],
        values: [Value], proof: [Node]
    ) throws(TrieError) -> Bool {
        try check(
            root: root, firstKey: Array(firstKey), lastKey: Array(lastKey), keys: keys.map { Array($0) },
            values: values.map { Array($0) }, proof: proof.map { ArraySlice($0) })
    }

    /// Checks entries that must be the whole trie (a range sent without proof): always false (nothing follows).
    /// - Throws: ``TrieError/Code/rootMismatch``, or the rule the entries break.
    public static func verify<Key: Collection<UInt8>, Value: Collection<UInt8>>(
        root: FixedBytes<32>, keys: [Key], values: [Value]
    ) throws(TrieError) -> Bool {
        let keys = keys.map { Array($0) }
        let values = values.map { Array($0) }
        try checkEntries(keys, values)
        var builder = TrieBuilder(
            entries: zip(keys, values).map { MerkleTrie.Entry(key: $0, value: $1) }, keepsNodes: false)
        let built = builder.buildRoot()
        guard built == root else {
            throw TrieError(.rootMismatch, "the entries make root \(built), not \(root)", nodeHash: built)
        }
        return false
    }

    private static func check(
        root: FixedBytes<32>, firstKey: [UInt8], lastKey: [UInt8]?, keys: [[UInt8]], values: [[UInt8]],
        proof: [ArraySlice<UInt8>]
    ) throws(TrieError) -> Bool {
        try checkEntries(keys, values)
        let database = ProofDatabase(proof, root: root)
        let firstPath = PartialNode.path(of: firstKey)
        guard let lastKey, let lastValue = values.last else {
            // No entries: nothing may be stored at or after the first key.
            if root == NodeReference.emptyRoot { return false }
            var trie = PartialNode.hash(root)
            let value = try trie.open(along: firstPath, at: 0, from: database)
            guard value == nil, !trie.hasEntries(after: firstPath) else {
                throw TrieError(.moreEntries, "the range is empty, but the trie holds entries at or after the first key")
            }
            return false
        }
        if keys.count == 1, firstKey == lastKey {
            // One entry, both edges on it: its own proof.
            var trie = PartialNode.hash(root)
            guard let value = try trie.open(along: firstPath, at: 0, from: database) else {
                throw TrieError(.absentKey, "the proof shows the first key absent", entryIndex: 0)
            }
            guard keys[0] == firstKey else {
                throw TrieError(.keyMismatch, "the one entry's key is not the proven first key", entryIndex: 0)
            }
            guard value == lastValue else {
                throw TrieError(.valueMismatch, "the proof holds another value for the entry", entryIndex: 0)
            }
            return trie.hasEntries(after: firstPath)
        }
        guard firstKey.lexicographicallyPrecedes(lastKey) else {
            throw TrieError(.invalidEdgeKeys, "the first edge key is not below the last")
        }
        guard firstKey.count == lastKey.count else {
            throw TrieError(
                .edgeKeyLengths, "the edge keys have \(firstKey.count) and \(lastKey.count) bytes; they must be equal")
        }
        let lastPath = PartialNode.path(of: lastKey)
        var trie = PartialNode.hash(root)
        _ = try trie.open(along: firstPath, at: 0, from: database)
        _ = try trie.open(along: lastPath, at: 0, from: database)
        if try trie.removeBetween(left: firstPath, right: lastPath) { trie = .empty }
        for (index, key) in keys.enumerated() {
            do {
                try trie.insert(values[index], at: PartialNode.path(of: key), from: 0)
            } catch {
                throw TrieError(error.code, "entry \(index): \(error.message)", nodeHash: error.nodeHash, entryIndex: index)
            }
        }
        let built = trie.rootHash
        guard built == root else {
            throw TrieError(.rootMismatch, "the proof and entries make root \(built), not \(root)", nodeHash: built)
        }
        return trie.hasEntries(after: PartialNode.path(of: keys[keys.count &- 1]))
    }

    /// Keys and values pair up, keys strictly increase, and no value is empty.
    private static func checkEntries(_ keys: [[UInt8]], _ values: [[UInt8]]) throws(TrieError) {
        guard keys.count == values.count else {
            throw TrieError(.countMismatch, "\(keys.count) keys but \(values.count) values")
        }
        for index in keys.indices.dropFirst() where !keys[index &- 1].lexicographicallyPrecedes(keys[index]) {
            throw TrieError(.keysNotIncreasing, "key \(index) is not above key \(index &- 1)", entryIndex: index)
        }
        if let index = values.firstIndex(where: \.isEmpty) {
            throw TrieError(.emptyValue, "value \(index) is empty", entryIndex: index)
        }
    }
}
