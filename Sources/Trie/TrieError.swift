// SPDX-License-Identifier: Apache-2.0
import RLP

/// Why a proof, a range or a path was rejected.
///
/// ``code`` names the rule and is stable API; ``message`` says what was wrong for people. Where the error is about
/// one node, ``nodeHash`` is its hash as the trie references it and ``proofIndex`` its position in the proof; where it
/// is about one entry of a range, ``entryIndex`` is its position in the keys. Two errors are equal when their codes
/// are, so `#expect(throws: TrieError.rootMismatch)` works whatever the details.
public struct TrieError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A node the path needs is not in the proof (``TrieError/nodeHash`` is its hash). When the proof holds a node
        /// that nothing references, ``TrieError/proofIndex`` names the first such: the likely culprit, a node altered
        /// in transit (or one orphaned by a missing parent, or from another trie).
        public static let missingNode = Code("missingNode")
        /// A proof node is not a trie node: not RLP, not a list of 2 or 17 items, a bad path or reference.
        public static let invalidNode = Code("invalidNode")
        /// The trie rebuilt from the proof and the entries does not have the expected root.
        public static let rootMismatch = Code("rootMismatch")
        /// Keys and values differ in number.
        public static let countMismatch = Code("countMismatch")
        /// A key is not greater than the one before it.
        public static let keysNotIncreasing = Code("keysNotIncreasing")
        /// A value is empty (a deletion, which a range cannot hold).
        public static let emptyValue = Code("emptyValue")
        /// An empty range was claimed, but the proof shows entries at or after the first key.
        public static let moreEntries = Code("moreEntries")
        /// The proof shows the key absent where it must be present.
        public static let absentKey = Code("absentKey")
        /// A one-entry range whose key is not the proven key.
        public static let keyMismatch = Code("keyMismatch")
        /// The proof holds another value for the key than the one given.
        public static let valueMismatch = Code("valueMismatch")
        /// The first edge key is not below the last.
        public static let invalidEdgeKeys = Code("invalidEdgeKeys")
        /// The edge keys differ in length.
        public static let edgeKeyLengths = Code("edgeKeyLengths")
        /// Both edges lie on the same side of a node on their common path: no entry can lie between them.
        public static let emptyRange = Code("emptyRange")
        /// An entry lies in a part of the trie the proof does not open (beyond the proven edges).
        public static let unprovenEntry = Code("unprovenEntry")
        /// The proof's nodes form a shape no trie has (an extension whose child is not a branch, where it matters).
        public static let malformedTrie = Code("malformedTrie")
        /// Bytes are not a hex-prefix (compact) encoded path.
        public static let invalidCompactPath = Code("invalidCompactPath")
    }

    /// The rule that was broken.
    public let code: Code
    /// What was wrong, for people.
    public let message: String
    /// The hash of the node concerned, as the trie references it (for ``Code/rootMismatch``, the root that was
    /// built instead).
    public let nodeHash: FixedBytes<32>?
    /// The position in the proof of the node concerned.
    public let proofIndex: Int?
    /// The position in the keys of the entry concerned.
    public let entryIndex: Int?

    /// Makes an error.
    public init(
        _ code: Code, _ message: String, nodeHash: FixedBytes<32>? = nil, proofIndex: Int? = nil, entryIndex: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.nodeHash = nodeHash
        self.proofIndex = proofIndex
        self.entryIndex = entryIndex
    }

    public var description: String { "\(code): \(message)" }

    public static func == (lhs: TrieError, rhs: TrieError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // Parameterless shorthands, so tests and callers can write `TrieError.rootMismatch`.
    public static let missingNode = TrieError(.missingNode, "a node the path needs is not in the proof")
    public static let invalidNode = TrieError(.invalidNode, "a proof node is not a trie node")
    public static let rootMismatch = TrieError(.rootMismatch, "the rebuilt trie has another root")
    public static let countMismatch = TrieError(.countMismatch, "keys and values differ in number")
    public static let keysNotIncreasing = TrieError(.keysNotIncreasing, "keys are not strictly increasing")
    public static let emptyValue = TrieError(.emptyValue, "a value is empty")
    public static let moreEntries = TrieError(.moreEntries, "entries follow the first key of an empty range")
    public static let absentKey = TrieError(.absentKey, "the proof shows the key absent")
    public static let keyMismatch = TrieError(.keyMismatch, "the entry is not the proven key")
    public static let valueMismatch = TrieError(.valueMismatch, "the proof holds another value")
    public static let invalidEdgeKeys = TrieError(.invalidEdgeKeys, "the first edge key is not below the last")
    public static let edgeKeyLengths = TrieError(.edgeKeyLengths, "the edge keys differ in length")
    public static let emptyRange = TrieError(.emptyRange, "no entry can lie between the edges")
    public static let unprovenEntry = TrieError(.unprovenEntry, "an entry lies outside the proven range")
    public static let malformedTrie = TrieError(.malformedTrie, "the proof nodes form a shape no trie has")
    public static let invalidCompactPath = TrieError(.invalidCompactPath, "not a hex-prefix encoded path")
}
