// SPDX-License-Identifier: Apache-2.0

/// Why a discv4 or discv5 suite test failed against the node under test.
public struct DiscoveryPeerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No answer the test waits for within the timeout.
        public static let noAnswer = Code("noAnswer")
        /// An answer that is not the one asked for (another signer, another record, a node it was not told).
        public static let wrongAnswer = Code("wrongAnswer")
        /// An answer where the node must stay silent.
        public static let unexpectedAnswer = Code("unexpectedAnswer")
        /// A test name the suite does not have.
        public static let unknownTest = Code("unknownTest")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
    public static func == (lhs: DiscoveryPeerError, rhs: DiscoveryPeerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
