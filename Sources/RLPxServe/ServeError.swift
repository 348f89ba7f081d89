// SPDX-License-Identifier: Apache-2.0

/// Why chain files could not be loaded: a file that cannot be read, or one that is not what it must be. The
/// reason names the file (and the field or block) as the command line prints it.
public struct ServeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A file that is missing, a directory or not readable.
        public static let unreadableFile = Code("unreadableFile")
        /// Text that is not JSON (the line and column say where, when the parser did).
        public static let invalidJSON = Code("invalidJSON")
        /// A genesis file without a usable `config`, header field or `alloc`.
        public static let invalidGenesis = Code("invalidGenesis")
        /// A chain file whose blocks do not decode, or do not follow its genesis.
        public static let invalidChain = Code("invalidChain")
        /// A receipts file that does not decode, or has receipts for blocks the chain lacks.
        public static let invalidReceipts = Code("invalidReceipts")
        /// An `accounts.json` or `txinfo.json` not in go-ethereum's form.
        public static let invalidTestData = Code("invalidTestData")
        /// A state dump that does not parse or verify.
        public static let invalidStateDump = Code("invalidStateDump")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String
    /// Where in a JSON text, from 1, when the parser said.
    public let line: Int?
    public let column: Int?

    init(_ code: Code, _ reason: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// The same error with `prefix` (a file's path) before its reason.
    func prefixed(_ prefix: String) -> ServeError { ServeError(code, "\(prefix): \(reason)", line: line, column: column) }

    public var description: String { reason }
    public static func == (lhs: ServeError, rhs: ServeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
