// SPDX-License-Identifier: Apache-2.0

/// Every way a message code can miss the code space of a connection. Carries the code and the protocol.
public struct MultiplexingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A wire code no matched protocol owns, or a local code at or beyond its protocol's length.
        public static let codeOutOfRange = Code("codeOutOfRange")
    }

    public let code: Code
    /// The message code refused: a wire code inbound, a local code outbound.
    public let messageCode: UInt64
    /// The protocol an outbound code was meant for (nil for an inbound wire code).
    public let protocolName: String?

    /// What was wrong, for people.
    public var reason: String {
        protocolName.map { "code \(messageCode) is out of range for \($0)" }
            ?? "wire code \(messageCode) belongs to no matched protocol"
    }

    public var description: String { "MultiplexingError.\(code.name): \(reason)" }
    public static func == (lhs: MultiplexingError, rhs: MultiplexingError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func codeOutOfRange(_ messageCode: UInt64, protocol name: String?) -> MultiplexingError {
        MultiplexingError(code: .codeOutOfRange, messageCode: messageCode, protocolName: name)
    }
}
