// SPDX-License-Identifier: Apache-2.0
import RLP

/// The steps of a range check on a trie rebuilt from edge proofs. Paths are key paths in ``PartialNode`` symbols,
/// which order as keys do, so "left" and "right" of a path are "before" and "after" its key.
extension PartialNode {
    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    var isValue: Bool {
        if case .value = self { return true }
        return false
    }

    /// Opens every node along `path` from the proof, in place, and returns the value there (nil when the proof
    /// shows the path absent).
    mutating func open(along path: [UInt8], at position: Int, from database: ProofDatabase) throws(TrieError) -> [UInt8]? {
        if case .hash(let hash) = self { self = try database.resolve(hash, path: path[..<position]) }
        switch self {
        case .empty, .hash:
            return nil
        case .value(let value):
            return value
        case .short(let nodePath, var child):
            guard path[position...].starts(with: nodePath) else { return nil }
            let value = try child.open(along: path, at: position &+ nodePath.count, from: database)
            self = .short(path: nodePath, child: child)
            return value
        case .full(var children):
            guard position < path.count else { return nil }
            let value = try children[Int(path[position])].open(along: path, at: position &+ 1, from: database)
            self = .full(children)
            return value
        }
    }

    /// Whether the trie holds anything after `path` (which the proof opened): the `hasMore` of a range.
    func hasEntries(after path: [UInt8]) -> Bool {
        var node = self
        var position = 0
        while true {
            switch node {
            case .full(let children):
                guard position < path.count else { return false }
                let symbol = Int(path[position])
                for index in stride(from: symbol &+ 1, to: 17, by: 1) where !children[index].isEmpty { return true }
                node = children[symbol]
                position &+= 1
            case .short(let nodePath, let child):
                let rest = path[position...]
                guard rest.starts(with: nodePath) else { return rest.lexicographicallyPrecedes(nodePath) }
                node = child
                position &+= nodePath.count
            case .value, .empty:
                return false
            case .hash:
                return true  // not opened: there may be anything
            }
        }
    }

    /// Removes every reference strictly between the edge paths `left` and `right` (equal in length, `left` below
    /// `right`), and the edges' own values, so that the range's entries can fill them in again. Returns whether the
    /// whole trie goes (the edges enclose it all).
    mutating func removeBetween(left: [UInt8], right: [UInt8]) throws(TrieError) -> Bool {
        try removeBetween(left: left, right: right, at: 0)
    }

    /// Walks down while both edges take the same way, then cuts at the node where they part. Returns whether this
    /// node must go from its parent.
    private mutating func removeBetween(left: [UInt8], right: [UInt8], at position: Int) throws(TrieError) -> Bool {
        switch self {
        case .short(let nodePath, var child):
            let leftOrder = Self.order(left, at: position, against: nodePath)
            let rightOrder = Self.order(right, at: position, against: nodePath)
            if leftOrder == 0, rightOrder == 0 {
                guard !child.isValue else { throw Self.malformed("both edges end at one leaf") }
                if try child.removeBetween(left: left, right: right, at: position &+ nodePath.count) {
                    throw Self.malformed("an extension's child is not a branch")
                }
                self = .short(path: nodePath, child: child)
                return false
            }
            if leftOrder == rightOrder {
                throw TrieError(
                    .emptyRange,
                    "both edges pass \(leftOrder < 0 ? "left" : "right") of the node at path "
                        + "\(ProofDatabase.describe(left[..<position])): no entry lies between them")
            }
            if leftOrder != 0, rightOrder != 0 { return true }
            // One edge runs through this node: the part on the other edge's side goes.
            if child.isValue { return true }
            let (edge, removingLeft) = rightOrder != 0 ? (left, false) : (right, true)
            if try child.cut(along: edge, at: position &+ nodePath.count, removingLeft: removingLeft) {
                throw Self.malformed("an extension's child is not a branch")
            }
            self = .short(path: nodePath, child: child)
            return false
        case .full(var children):
            guard position < left.count, position < right.count else { throw Self.malformed("the edges end inside a branch") }
            let leftSymbol = Int(left[position])
            let rightSymbol = Int(right[position])
            if leftSymbol == rightSymbol, !children[leftSymbol].isEmpty {
                if try children[leftSymbol].removeBetween(left: left, right: right, at: position &+ 1) {
                    children[leftSymbol] = .empty
                }
                self = .full(children)
                return false
            }
            for index in stride(from: leftSymbol &+ 1, to: rightSymbol, by: 1) { children[index] = .empty }
            if try children[leftSymbol].cut(along: left, at: position &+ 1, removingLeft: false) {
                children[leftSymbol] = .empty
            }
            if try children[rightSymbol].cut(along: right, at: position &+ 1, removingLeft: true) {
                children[rightSymbol] = .empty
            }
            self = .full(children)
            return false
        case .empty, .value, .hash:
            throw Self.malformed("the edge paths part at no node")
        }
    }

    /// Removes along one edge the references on the range's side of it: right of `edge` for the left edge
    /// (`removingLeft` false), left of it for the right edge. Returns whether this node must go from its parent.
    private mutating func cut(along edge: [UInt8], at position: Int, removingLeft: Bool) throws(TrieError) -> Bool {
        switch self {
        case .full(var children):
            guard position < edge.count else { throw Self.malformed("an edge ends inside a branch") }
            let symbol = Int(edge[position])
            for index in removingLeft ? 0..<symbol : (symbol &+ 1)..<17 { children[index] = .empty }
            if try children[symbol].cut(along: edge, at: position &+ 1, removingLeft: removingLeft) {
                children[symbol] = .empty
            }
            self = .full(children)
            return false
        case .short(let nodePath, var child):
            let rest = edge[position...]
            guard rest.starts(with: nodePath) else {
                // The edge parts from this node: it lies wholly inside the range (goes) or outside (stays).
                return removingLeft ? nodePath.lexicographicallyPrecedes(rest) : rest.lexicographicallyPrecedes(nodePath)
            }
            if child.isValue { return true }
            if try child.cut(along: edge, at: position &+ nodePath.count, removingLeft: removingLeft) {
                throw Self.malformed("an extension's child is not a branch")
            }
            self = .short(path: nodePath, child: child)
            return false
        case .empty:
            return false
        case .value:
            return true
        case .hash:
            throw Self.malformed("an edge path runs into a node the proof does not open")
        }
    }

    /// Inserts `value` at key path `path` from `position`.
    /// - Throws: ``TrieError/Code/unprovenEntry`` (with the hash) when the path runs into a node the proof left closed.
    mutating func insert(_ value: [UInt8], at path: [UInt8], from position: Int) throws(TrieError) {
        guard position < path.count else {
            self = .value(value)
            return
        }
        switch self {
        case .empty:
            self = .short(path: Array(path[position...]), child: .value(value))
        case .short(let nodePath, var child):
            let rest = path[position...]
            var shared = 0
            while shared < nodePath.count, shared < rest.count, nodePath[shared] == rest[rest.startIndex &+ shared] {
                shared &+= 1
            }
            if shared == nodePath.count {
                try child.insert(value, at: path, from: position &+ shared)
                self = .short(path: nodePath, child: child)
                return
            }
            // The paths part inside this node: a branch where they do, under an extension for the shared part.
            var children = [PartialNode](repeating: .empty, count: 17)
            let remainder = nodePath[(shared &+ 1)...]
            children[Int(nodePath[shared])] = remainder.isEmpty ? child : .short(path: Array(remainder), child: child)
            try children[Int(rest[rest.startIndex &+ shared])].insert(value, at: path, from: position &+ shared &+ 1)
            self = shared == 0 ? .full(children) : .short(path: Array(nodePath[..<shared]), child: .full(children))
        case .full(var children):
            try children[Int(path[position])].insert(value, at: path, from: position &+ 1)
            self = .full(children)
        case .value:
            throw Self.malformed("a value node has children")
        case .hash(let hash):
            throw TrieError(
                .unprovenEntry,
                "the entry's path runs into the node at \(ProofDatabase.describe(path[..<position])) (hash \(hash)), "
                    + "which the proof does not open: the entry lies outside the proven range",
                nodeHash: hash)
        }
    }

    /// -1, 0 or 1 as the part of `key` from `position`, cut to `segment`'s length, is below, equal to or above it.
    private static func order(_ key: [UInt8], at position: Int, against segment: [UInt8]) -> Int {
        let part = key[position..<min(key.count, position &+ segment.count)]
        if part.elementsEqual(segment) { return 0 }
        return part.lexicographicallyPrecedes(segment) ? -1 : 1
    }

    private static func malformed(_ message: String) -> TrieError {
        TrieError(.malformedTrie, message)
    }
}
