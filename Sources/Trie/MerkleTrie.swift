// SPDX-License-Identifier: Apache-2.0
import RLP

/// A Merkle Patricia trie (the yellow paper's appendix D) built at once from its entries, keeping its nodes: the
/// root, values, single-key and range proofs, and nodes by path, as a snap server answers with them.
///
/// Keys are arbitrary byte strings (state and storage tries use 32-byte hashes: see ``secure(_:)``). Building is
/// O(n log n) in the entries; the trie is a value and does not change afterwards.
///
/// ```swift
/// let trie = MerkleTrie([(key: Array("dog".utf8), value: Array("puppy".utf8))])
/// let proof = trie.proof(for: Array("dog".utf8))
/// try Proof.verify(root: trie.root, key: Array("dog".utf8), proof: proof)   // "puppy"
/// ```
public struct MerkleTrie: Sendable {
    /// A key and its value.
    public struct Entry: Hashable, Sendable {
        public let key: [UInt8]
        public let value: [UInt8]
        public init(key: [UInt8], value: [UInt8]) {
            self.key = key
            self.value = value
        }
    }

    /// The entries, in key order, keys distinct, values non-empty.
    public let entries: [Entry]
    /// The root hash (``emptyRoot`` for no entries).
    public let root: FixedBytes<32>
    /// The nodes, children before parents; the root is the last.
    let nodes: [NodeRecord]
    /// Sixteen child slots per branch (-1 for none), at each branch's ``NodeRecord/link``.
    let slots: [Int]

    /// A trie holding `pairs`. A later pair with the same key replaces an earlier one, and an empty value removes
    /// the key (as a deletion does in Ethereum's tries).
    public init(_ pairs: [(key: [UInt8], value: [UInt8])]) {
        self.init(sortedEntries: Self.normalize(pairs))
    }

    /// A trie holding `entries`, with the same rules as ``init(_:)``.
    public init(_ entries: [Entry]) {
        self.init(entries.map { (key: $0.key, value: $0.value) })
    }

    /// A secure trie, as state and storage are: each key is replaced by its Keccak-256.
    public static func secure(_ pairs: [(key: [UInt8], value: [UInt8])]) -> MerkleTrie {
        MerkleTrie(pairs.map { (key: NodeReference.keccak($0.key).bytes, value: $0.value) })
    }

    init(sortedEntries: [Entry]) {
        var builder = TrieBuilder(entries: sortedEntries, keepsNodes: true)
        root = builder.buildRoot()
        entries = sortedEntries
        nodes = builder.nodes
        slots = builder.slots
    }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether the trie has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value stored under `key`, or nil.
    public func value(for key: some Collection<UInt8>) -> [UInt8]? {
        let key = Array(key)
        let index = firstIndex(atOrAfter: key)
        guard index < entries.count, entries[index].key == key else { return nil }
        return entries[index].value
    }

    /// Up to `limit` entries in key order, from the first whose key is `start` or after it: a range answer.
    public func entries(from start: some Collection<UInt8>, limit: Int = .max) -> ArraySlice<Entry> {
        let first = firstIndex(atOrAfter: Array(start))
        let end = limit >= entries.count &- first ? entries.count : first &+ max(limit, 0)
        return entries[first..<end]
    }

    /// The index of the first entry whose key is `key` or after it.
    func firstIndex(atOrAfter key: [UInt8]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = low &+ (high &- low) / 2
            if entries[middle].key.lexicographicallyPrecedes(key) { low = middle &+ 1 } else { high = middle }
        }
        return low
    }

    /// Entries sorted by key with later duplicates winning and empty values removed.
    static func normalize(_ pairs: [(key: [UInt8], value: [UInt8])]) -> [Entry] {
        let order = pairs.indices.sorted { left, right in
            let (a, b) = (pairs[left].key, pairs[right].key)
            if a == b { return left < right }
            return a.lexicographicallyPrecedes(b)
        }
        var sorted: [Entry] = []
        sorted.reserveCapacity(pairs.count)
        var position = 0
        while position < order.count {
            var last = position
            while last &+ 1 < order.count, pairs[order[last &+ 1]].key == pairs[order[position]].key { last &+= 1 }
            let pair = pairs[order[last]]
            if !pair.value.isEmpty { sorted.append(Entry(key: pair.key, value: pair.value)) }
            position = last &+ 1
        }
        return sorted
    }
}
