// SPDX-License-Identifier: Apache-2.0
import RLP

extension MerkleTrie {
    /// The root of the empty trie: Keccak-256 of the RLP empty string (0x56e81f…b421).
    public static let emptyRoot: FixedBytes<32> = NodeReference.emptyRoot

    /// The root of a trie holding `pairs`, without keeping the trie; the rules of ``init(_:)-(_)`` (a later
    /// duplicate replaces an earlier one, an empty value removes the key).
    public static func root(of pairs: [(key: [UInt8], value: [UInt8])]) -> FixedBytes<32> {
        var builder = TrieBuilder(entries: normalize(pairs), keepsNodes: false)
        return builder.buildRoot()
    }

    /// The root of a secure trie (state and storage): each key is replaced by its Keccak-256.
    public static func secureRoot(of pairs: [(key: [UInt8], value: [UInt8])]) -> FixedBytes<32> {
        root(of: pairs.map { (key: NodeReference.keccak($0.key).bytes, value: $0.value) })
    }

    /// The root of a list keyed by RLP-encoded index (transactions, receipts, withdrawals): `values` are the items'
    /// encodings (typed transactions and receipts as `type || payload`).
    public static func orderedRoot(of values: [[UInt8]]) -> FixedBytes<32> {
        root(of: values.enumerated().map { index, value in (key: UInt64(index).rlpEncoded(), value: value) })
    }
}
