// SPDX-License-Identifier: Apache-2.0
import RLP

/// One node of a ``MerkleTrie``, small and without its encoding (which ``MerkleTrie`` rebuilds when asked). Paths
/// are not stored: they are nibbles of an entry's key.
struct NodeRecord: Sendable {
    enum Kind: UInt8, Sendable { case leaf, extensionNode, branch }

    let kind: Kind
    /// Nibbles from the root to the node.
    let depth: Int
    /// Nibbles of the node's own path (0 for a branch).
    let length: Int
    /// A leaf's entry; an entry below an extension (its key spells the path); a branch's entry that ends there, or -1.
    let entry: Int
    /// An extension's child; the first of a branch's sixteen slots.
    let link: Int
    /// The node's hash when its parent references it by hash (an encoding of 32 bytes or more) or it is the root.
    var hash: FixedBytes<32>?
}

/// Builds a trie bottom-up from sorted, distinct entries, one node per call: the shape depends only on the keys.
struct TrieBuilder {
    let entries: [MerkleTrie.Entry]
    /// Whether to keep the nodes (a ``MerkleTrie``) or only compute the root.
    let keepsNodes: Bool
    private(set) var nodes: [NodeRecord] = []
    private(set) var slots: [Int] = []

    init(entries: [MerkleTrie.Entry], keepsNodes: Bool) {
        self.entries = entries
        self.keepsNodes = keepsNodes
    }

    /// Builds every node and returns the root hash.
    mutating func buildRoot() -> FixedBytes<32> {
        guard !entries.isEmpty else { return NodeReference.emptyRoot }
        let (index, reference) = build(0, entries.count, depth: 0)
        let hash: FixedBytes<32>
        switch reference {
        case .hash(let digest): hash = digest
        case .inline(let encoding): hash = NodeReference.keccak(encoding)
        case .empty: hash = NodeReference.emptyRoot
        }
        if keepsNodes, index >= 0 { nodes[index].hash = hash }
        return hash
    }

    /// The node holding entries `low..<high`, whose keys share their first `depth` nibbles: its index among the
    /// nodes (-1 when not kept) and how its parent references it.
    private mutating func build(_ low: Int, _ high: Int, depth: Int) -> (Int, NodeReference) {
        let first = entries[low]
        let firstLength = first.key.count &* 2
        if high &- low == 1 {
            let path = TriePath.compact(key: first.key, from: depth, to: firstLength, leaf: true)
            let reference = NodeReference(encoding: NodeEncoding.leaf(path: path, value: first.value))
            return (record(.leaf, depth: depth, length: firstLength &- depth, entry: low, link: -1, reference), reference)
        }
        // Sorted keys share a prefix exactly when the first and last do.
        let last = entries[high &- 1]
        let lastLength = last.key.count &* 2
        var shared = 0
        while depth &+ shared < firstLength, depth &+ shared < lastLength,
            TriePath.nibble(of: first.key, at: depth &+ shared) == TriePath.nibble(of: last.key, at: depth &+ shared)
        {
            shared &+= 1
        }
        if shared > 0 {
            let (child, childReference) = build(low, high, depth: depth &+ shared)
            let path = TriePath.compact(key: first.key, from: depth, to: depth &+ shared, leaf: false)
            let reference = NodeReference(encoding: NodeEncoding.extensionNode(path: path, child: childReference))
            return (record(.extensionNode, depth: depth, length: shared, entry: low, link: child, reference), reference)
        }
        // A branch: a key that ends here is its value (it sorts first); the rest split by their next nibble.
        var start = low
        var value: [UInt8] = []
        var entryHere = -1
        if firstLength == depth {
            value = first.value
            entryHere = low
            start &+= 1
        }
        var children = [NodeReference](repeating: .empty, count: 16)
        var childIndices = [Int](repeating: -1, count: 16)
        while start < high {
            let nibble = Int(TriePath.nibble(of: entries[start].key, at: depth))
            var end = start &+ 1
            while end < high, Int(TriePath.nibble(of: entries[end].key, at: depth)) == nibble { end &+= 1 }
            (childIndices[nibble], children[nibble]) = build(start, end, depth: depth &+ 1)
            start = end
        }
        let reference = NodeReference(encoding: NodeEncoding.branch(children: children, value: value))
        let link = slots.count
        if keepsNodes { slots.append(contentsOf: childIndices) }
        return (record(.branch, depth: depth, length: 0, entry: entryHere, link: link, reference), reference)
    }

    private mutating func record(
        _ kind: NodeRecord.Kind, depth: Int, length: Int, entry: Int, link: Int, _ reference: NodeReference
    ) -> Int {
        guard keepsNodes else { return -1 }
        var hash: FixedBytes<32>? = nil
        if case .hash(let digest) = reference { hash = digest }
        nodes.append(NodeRecord(kind: kind, depth: depth, length: length, entry: entry, link: link, hash: hash))
        return nodes.count &- 1
    }
}
