// SPDX-License-Identifier: Apache-2.0
import RLP

extension MerkleTrie {
    /// The nodes a proof for `key` is made of, as go-ethereum's `Prove` emits them: the RLP encoding of every node on
    /// the path from the root that its parent references by hash, the root always included. For a key the trie does
    /// not hold, the path ends with the node that shows it absent. Empty for the empty trie.
    public func proof(for key: some Collection<UInt8>) -> [[UInt8]] {
        pathNodes(to: TriePath.nibbles(key)).compactMap { index in
            nodes[index].hash == nil ? nil : encoding(ofNode: index)
        }
    }

    /// The proof a snap server sends with a range: the proof for `origin` and then for `last` (the last key
    /// answered, nil when none was), each node once, in that order.
    public func rangeProof(origin: some Collection<UInt8>, last: [UInt8]?) -> [[UInt8]] {
        var seen = Set<FixedBytes<32>>()
        var proof: [[UInt8]] = []
        for key in [TriePath.nibbles(origin)] + (last.map { [TriePath.nibbles($0)] } ?? []) {
            for index in pathNodes(to: key) {
                guard let hash = nodes[index].hash, seen.insert(hash).inserted else { continue }
                proof.append(encoding(ofNode: index))
            }
        }
        return proof
    }

    /// The RLP encoding of the node at nibble path `path` (the root at the empty path), as snap's GetTrieNodes
    /// answers: nil when no node starts exactly there, or when the node there is embedded in its parent (shorter
    /// than 32 bytes, so not stored on its own).
    public func node(atPath path: some Collection<UInt8>) -> [UInt8]? {
        let path = Array(path)
        guard var current = rootIndex else { return nil }
        var position = 0
        while position < path.count {
            let node = nodes[current]
            switch node.kind {
            case .leaf:
                return nil
            case .extensionNode:
                guard path.count &- position >= node.length, matches(node, path, at: position) else { return nil }
                position &+= node.length
                current = node.link
            case .branch:
                guard path[position] < 16 else { return nil }
                let child = slots[node.link &+ Int(path[position])]
                guard child >= 0 else { return nil }
                position &+= 1
                current = child
            }
        }
        return nodes[current].hash == nil ? nil : encoding(ofNode: current)
    }

    /// ``node(atPath:)`` for a hex-prefix encoded path, as GetTrieNodes names nodes. A path with the leaf flag names
    /// no stored node.
    /// - Throws: ``TrieError/Code/invalidCompactPath`` when `compactPath` is not hex-prefix encoded.
    public func node(atCompactPath compactPath: some Collection<UInt8>) throws(TrieError) -> [UInt8]? {
        let (path, leaf) = try TriePath.decodeCompact(compactPath)
        return leaf ? nil : node(atPath: path)
    }

    /// The index of the root node, nil for the empty trie.
    var rootIndex: Int? { nodes.isEmpty ? nil : nodes.count &- 1 }

    /// The nodes from the root along `key` (nibbles), down to the one holding its value or showing it absent.
    func pathNodes(to key: [UInt8]) -> [Int] {
        guard var current = rootIndex else { return [] }
        var visited: [Int] = []
        var position = 0
        while true {
            visited.append(current)
            let node = nodes[current]
            switch node.kind {
            case .leaf:
                return visited
            case .extensionNode:
                guard key.count &- position >= node.length, matches(node, key, at: position) else { return visited }
                position &+= node.length
                current = node.link
            case .branch:
                guard position < key.count else { return visited }
                let child = slots[node.link &+ Int(key[position])]
                guard child >= 0 else { return visited }
                position &+= 1
                current = child
            }
        }
    }

    /// Whether `path` holds the extension's path at `position` (the caller checked the length).
    private func matches(_ node: NodeRecord, _ path: [UInt8], at position: Int) -> Bool {
        let key = entries[node.entry].key
        for offset in 0..<node.length where TriePath.nibble(of: key, at: node.depth &+ offset) != path[position &+ offset] {
            return false
        }
        return true
    }

    /// The RLP encoding of node `index`, rebuilt from the entries and the children's hashes.
    func encoding(ofNode index: Int) -> [UInt8] {
        let node = nodes[index]
        switch node.kind {
        case .leaf:
            let entry = entries[node.entry]
            let path = TriePath.compact(key: entry.key, from: node.depth, to: node.depth &+ node.length, leaf: true)
            return NodeEncoding.leaf(path: path, value: entry.value)
        case .extensionNode:
            let key = entries[node.entry].key
            let path = TriePath.compact(key: key, from: node.depth, to: node.depth &+ node.length, leaf: false)
            return NodeEncoding.extensionNode(path: path, child: reference(toNode: node.link))
        case .branch:
            let children = (0..<16).map { reference(toNode: slots[node.link &+ $0]) }
            return NodeEncoding.branch(children: children, value: node.entry >= 0 ? entries[node.entry].value : [])
        }
    }

    /// How node `index`'s parent holds it.
    private func reference(toNode index: Int) -> NodeReference {
        guard index >= 0 else { return .empty }
        if let hash = nodes[index].hash { return .hash(hash) }
        return .inline(encoding(ofNode: index))
    }
}
