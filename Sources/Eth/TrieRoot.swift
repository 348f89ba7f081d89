// SPDX-License-Identifier: Apache-2.0
import RLP

/// The root hash of a Merkle Patricia trie (the yellow paper's appendix D) built from a set of keys and values,
/// without keeping the trie: the state root of a genesis alloc, a storage root, or a block's transactions,
/// receipts and withdrawals roots.
public enum TrieRoot {
    /// The root of the empty trie: Keccak-256 of the RLP empty string.
    public static let empty = Hash32.keccak([0x80][...])

    /// The root of a trie holding `entries`; keys must be distinct (a later duplicate is ignored).
    public static func root(of entries: [(key: [UInt8], value: [UInt8])]) -> Hash32 {
        guard !entries.isEmpty else { return empty }
        var nibbleEntries = entries.map { entry in (key: nibbles(entry.key), value: entry.value) }
        nibbleEntries.sort { $0.key.lexicographicallyPrecedes($1.key) }
        var unique: [(key: [UInt8], value: [UInt8])] = []
        unique.reserveCapacity(nibbleEntries.count)
        for entry in nibbleEntries where unique.last?.key != entry.key { unique.append(entry) }
        return .keccak(node(unique[...], depth: 0)[...])
    }

    /// The root of a secure trie (state and storage): each key is replaced by its Keccak-256.
    public static func secureRoot(of entries: [(key: [UInt8], value: [UInt8])]) -> Hash32 {
        root(of: entries.map { (key: Hash32.keccak($0.key[...]).bytes, value: $0.value) })
    }

    /// The root of a list keyed by RLP-encoded index (transactions, receipts, withdrawals): `values` are the items'
    /// encodings (typed transactions and receipts as `type || payload`).
    public static func orderedRoot(of values: [[UInt8]]) -> Hash32 {
        root(of: values.enumerated().map { index, value in (key: UInt64(index).rlpEncoded(), value: value) })
    }

    /// The RLP encoding of the node holding `entries` (sorted, distinct, all at least `depth` nibbles long).
    private static func node(_ entries: ArraySlice<(key: [UInt8], value: [UInt8])>, depth: Int) -> [UInt8] {
        guard let first = entries.first, let last = entries.last else { return [0x80] }
        if entries.count == 1 {
            return RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(bytes: compact(first.key[depth...], leaf: true))
                    list.write(bytes: first.value)
                }
            }
        }
        // Sorted keys share a prefix exactly when the first and last do.
        var shared = 0
        while depth &+ shared < first.key.count, depth &+ shared < last.key.count,
            first.key[depth &+ shared] == last.key[depth &+ shared]
        {
            shared &+= 1
        }
        if shared > 0 {
            let child = node(entries, depth: depth &+ shared)
            return RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(bytes: compact(first.key[depth..<(depth &+ shared)], leaf: false))
                    reference(child, into: &list)
                }
            }
        }
        // A branch: a key that ends here is the branch's value (it sorts first); the rest split by their next nibble.
        var rest = entries
        var value: [UInt8] = []
        if first.key.count == depth {
            value = first.value
            rest = rest.dropFirst()
        }
        var children: [[UInt8]] = Array(repeating: [0x80], count: 16)
        var start = rest.startIndex
        while start < rest.endIndex {
            let nibble = rest[start].key[depth]
            var end = start &+ 1
            while end < rest.endIndex, rest[end].key[depth] == nibble { end &+= 1 }
            children[Int(nibble)] = node(rest[start..<end], depth: depth &+ 1)
            start = end
        }
        return RLPWriter.encode { writer in
            writer.writeList { list in
                for child in children { reference(child, into: &list) }
                list.write(bytes: value)
            }
        }
    }

    /// A child as its parent holds it: inline when its encoding is shorter than 32 bytes, else its hash.
    private static func reference(_ child: [UInt8], into writer: inout RLPWriter) {
        if child.count < 32 {
            writer.write(encoded: child)
        } else {
            writer.write(bytes: Hash32.keccak(child[...]).bytes)
        }
    }

    /// Hex-prefix encoding of a nibble path with its leaf flag.
    private static func compact(_ path: ArraySlice<UInt8>, leaf: Bool) -> [UInt8] {
        let odd = path.count % 2 == 1
        let flag: UInt8 = (leaf ? 2 : 0) | (odd ? 1 : 0)
        var output: [UInt8] = []
        output.reserveCapacity(path.count / 2 &+ 1)
        var index = path.startIndex
        if odd {
            output.append(flag << 4 | path[index])
            index &+= 1
        } else {
            output.append(flag << 4)
        }
        while index < path.endIndex {
            output.append(path[index] << 4 | path[index &+ 1])
            index &+= 2
        }
        return output
    }

    private static func nibbles(_ key: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(key.count &* 2)
        for byte in key {
            output.append(byte >> 4)
            output.append(byte & 0x0f)
        }
        return output
    }
}
