// SPDX-License-Identifier: Apache-2.0
import RLP
import Trie

/// The root hash of a Merkle Patricia trie (the yellow paper's appendix D) built from a set of keys and values,
/// without keeping the trie: the state root of a genesis alloc, a storage root, or a block's transactions,
/// receipts and withdrawals roots. The `Trie` module computes them (one implementation, also behind snap's proofs).
public enum TrieRoot {
    /// The root of the empty trie: Keccak-256 of the RLP empty string.
    public static let empty: Hash32 = MerkleTrie.emptyRoot

    /// The root of a trie holding `entries`; keys are distinct and values non-empty (the trie's rules otherwise: a
    /// later duplicate replaces an earlier one, an empty value removes its key).
    public static func root(of entries: [(key: [UInt8], value: [UInt8])]) -> Hash32 { MerkleTrie.root(of: entries) }

    /// The root of a secure trie (state and storage): each key is replaced by its Keccak-256.
    public static func secureRoot(of entries: [(key: [UInt8], value: [UInt8])]) -> Hash32 { MerkleTrie.secureRoot(of: entries) }

    /// The root of a list keyed by RLP-encoded index (transactions, receipts, withdrawals): `values` are the items'
    /// encodings (typed transactions and receipts as `type || payload`).
    public static func orderedRoot(of values: [[UInt8]]) -> Hash32 { MerkleTrie.orderedRoot(of: values) }
}
