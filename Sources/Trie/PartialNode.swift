// SPDX-License-Identifier: Apache-2.0
import RLP

/// A trie node decoded from a proof, in the form the range check works on. Paths are written in symbols that sort
/// as keys do: 0 ends a key, 1 to 16 stand for nibbles 0 to 15 (so a key sorts before the keys it is a prefix of,
/// as bytes do). A leaf is a short node whose path ends with 0 and whose child is its value. Children the proof does
/// not open stay as their hashes.
indirect enum PartialNode: Sendable {
    case empty
    /// An extension (path without the end symbol) or a leaf (path ending in it, child ``value(_:)``).
    case short(path: [UInt8], child: PartialNode)
    /// A branch: at index 0 the value of the key that ends here (``empty`` for none), then the children for nibbles
    /// 0 to 15.
    case full([PartialNode])
    case value([UInt8])
    case hash(FixedBytes<32>)

    /// The symbol that ends every key's path.
    static let end: UInt8 = 0

    /// A key's path: a symbol per nibble, then the end symbol.
    static func path(of key: some Collection<UInt8>) -> [UInt8] {
        var path: [UInt8] = []
        path.reserveCapacity(key.count &* 2 &+ 1)
        for byte in key {
            path.append((byte >> 4) &+ 1)
            path.append((byte & 0x0f) &+ 1)
        }
        path.append(end)
        return path
    }

    /// Nibbles as path symbols.
    static func symbols(_ nibbles: [UInt8]) -> [UInt8] { nibbles.map { $0 &+ 1 } }

    /// The node's root hash when it is the root: Keccak-256 of its encoding, whatever its length.
    var rootHash: FixedBytes<32> {
        switch self {
        case .empty: NodeReference.emptyRoot
        case .hash(let hash): hash
        default: NodeReference.keccak(encoding)
        }
    }

    /// The node's RLP encoding (values and hashes have none of their own: they are only written by their parent).
    var encoding: [UInt8] {
        switch self {
        case .short(let path, let child):
            let leaf = path.last == Self.end
            let compact = TriePath.compact((leaf ? path.dropLast() : path[...]).map { $0 &- 1 }, leaf: leaf)
            if case .value(let value) = child { return NodeEncoding.leaf(path: compact, value: value) }
            return NodeEncoding.extensionNode(path: compact, child: child.reference)
        case .full(let children):
            var value: [UInt8] = []
            if case .value(let bytes) = children[0] { value = bytes }
            return NodeEncoding.branch(children: children[1...].map(\.reference), value: value)
        case .empty, .value, .hash:
            return [0x80]
        }
    }

    /// How the node's parent holds it.
    var reference: NodeReference {
        switch self {
        case .empty: .empty
        case .hash(let hash): .hash(hash)
        case .value(let value): .inline(RLPWriter.encode { $0.write(bytes: value) })
        case .short, .full: NodeReference(encoding: encoding)
        }
    }
}
