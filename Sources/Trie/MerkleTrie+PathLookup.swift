// SPDX-License-Identifier: Apache-2.0
import RLP

extension MerkleTrie {
    /// What stands at a nibble path of the trie, told apart as a node database resolving the path sees it.
    public enum PathLookup: Sendable, Hashable {
        /// A node its parent references by hash (or the root): its RLP encoding.
        case node([UInt8])
        /// No node starts there: the path leaves the trie, or ends inside a node's own path.
        case absent
        /// A node starts there, but its parent holds it inline (an encoding under 32 bytes): it has no hash to be
        /// stored or asked for under.
        case embedded
        /// The path, terminator included, spells a key: it ends on a value, which is no node.
        case value
    }

    /// The outcome of ``lookup(path:)``: what is at the path, and the hashed nodes passed on the way there.
    public struct PathResolution: Sendable, Hashable {
        /// What is at the path.
        public let result: PathLookup
        /// The hashes of the nodes above the target that were opened to reach it (or to find it absent), root first:
        /// the database reads a server makes on the way, before reading the target itself.
        public let opened: [FixedBytes<32>]
    }

    /// Resolves `path` (nibbles 0 to 15, optionally ending in the terminator 16, as a leaf-flagged hex-prefix path
    /// decodes) from the root, telling an absent node from one embedded in its parent and from a value.
    ///
    /// Unlike ``node(atPath:)``, which answers nil for all three, this keeps them apart, as go-ethereum's trie does
    /// when a snap peer asks for a node: an absent node is answered empty, an embedded one or a value not at all.
    public func lookup(path: some Collection<UInt8>) -> PathResolution {
        let path = Array(path)
        var opened: [FixedBytes<32>] = []
        guard var current = rootIndex else { return PathResolution(result: .absent, opened: []) }
        var position = 0
        while position < path.count {
            let node = nodes[current]
            if let hash = node.hash { opened.append(hash) }
            switch node.kind {
            case .leaf:
                // The leaf's path with its terminator must come next; past it is only the value.
                guard path.count &- position > node.length, spells(node, path, at: position),
                    path[position &+ node.length] == 16
                else { return PathResolution(result: .absent, opened: opened) }
                let end = position &+ node.length &+ 1
                return PathResolution(result: end == path.count ? .value : .absent, opened: opened)
            case .extensionNode:
                guard path.count &- position >= node.length, spells(node, path, at: position) else {
                    return PathResolution(result: .absent, opened: opened)
                }
                position &+= node.length
                current = node.link
            case .branch:
                let nibble = path[position]
                if nibble == 16 {
                    let result: PathLookup = node.entry >= 0 && position &+ 1 == path.count ? .value : .absent
                    return PathResolution(result: result, opened: opened)
                }
                guard nibble < 16, slots[node.link &+ Int(nibble)] >= 0 else {
                    return PathResolution(result: .absent, opened: opened)
                }
                current = slots[node.link &+ Int(nibble)]
                position &+= 1
            }
        }
        let result: PathLookup = nodes[current].hash == nil ? .embedded : .node(encoding(ofNode: current))
        return PathResolution(result: result, opened: opened)
    }

    /// Whether `path` holds the node's own path (its first `length` nibbles) at `position`; the caller checked
    /// that enough nibbles are left.
    private func spells(_ node: NodeRecord, _ path: [UInt8], at position: Int) -> Bool {
        let key = entries[node.entry].key
        for offset in 0..<node.length where TriePath.nibble(of: key, at: node.depth &+ offset) != path[position &+ offset] {
            return false
        }
        return true
    }
}
