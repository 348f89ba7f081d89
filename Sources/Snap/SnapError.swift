// SPDX-License-Identifier: Apache-2.0

/// Why a snap suite cannot be built from the chain given (wire messages that do not decode are `RLPError`s).
public struct SnapError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A state's root is not the one its header gives.
        public static let stateRootMismatch = Code("stateRootMismatch")
        /// The head state lacks what a group of cases needs (accounts, storage, code, go-ethereum's storage test
        /// account).
        public static let stateLacksCase = Code("stateLacksCase")
        /// A case asks for a state the chain does not give.
        public static let missingState = Code("missingState")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
    public static func == (lhs: SnapError, rhs: SnapError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
