// SPDX-License-Identifier: Apache-2.0
import Eth

/// Why a state dump could not be loaded: a field that does not parse (named by its path from the top,
/// `accounts["0x…"].storage["0x…"]`), or contents that do not give the hashes the dump states.
public struct StateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The dump does not parse: not JSON, or a field missing or malformed (``StateError/field`` says which).
        public static let invalidDump = Code("invalidDump")
        /// An account's `key` is not Keccak-256 of its address.
        public static let hashedKeyMismatch = Code("hashedKeyMismatch")
        /// An account's `codeHash` is not Keccak-256 of its code.
        public static let codeHashMismatch = Code("codeHashMismatch")
        /// An account's storage makes another root than its `root`.
        public static let storageRootMismatch = Code("storageRootMismatch")
        /// The accounts make another state root than the dump's `root`.
        public static let stateRootMismatch = Code("stateRootMismatch")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String
    /// The path of the field that does not parse; empty for the document itself, nil when the dump parsed.
    public let field: String?
    /// The account whose hashes differ, for the mismatches of one account.
    public let address: Address?

    init(_ code: Code, _ reason: String, field: String? = nil, address: Address? = nil) {
        self.code = code
        self.reason = reason
        self.field = field
        self.address = address
    }

    /// A field of the dump that does not parse.
    static func dump(_ field: String, _ reason: String) -> StateError { StateError(.invalidDump, reason, field: field) }

    public var description: String {
        guard let field, !field.isEmpty else { return reason }
        return "\(field): \(reason)"
    }

    public static func == (lhs: StateError, rhs: StateError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
