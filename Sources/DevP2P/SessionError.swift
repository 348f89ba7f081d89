// SPDX-License-Identifier: Apache-2.0
import RLPxMultiplexing

/// A local request the session cannot carry out. Nothing was written.
public struct SessionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Messages can be sent only between the remote Hello and the end of the session.
        public static let notActive = Code("notActive")
        /// The code is at or beyond the protocol's length.
        public static let codeOutOfRange = Code("codeOutOfRange")
        /// The protocol was not matched on this connection.
        public static let protocolNotShared = Code("protocolNotShared")
        /// The message does not fit a frame, or exceeds what the peer may decompress.
        public static let messageTooLarge = Code("messageTooLarge")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "SessionError.\(code.name): \(reason)" }
    public static func == (lhs: SessionError, rhs: SessionError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Messages can be sent only between the remote Hello and the end of the session.
    public static let notActive = SessionError(.notActive, "the session is not active")
    /// The code is at or beyond the protocol's length.
    public static let codeOutOfRange = SessionError(.codeOutOfRange, "message code out of range")
    /// The protocol was not matched on this connection (the reason lists what was).
    public static let protocolNotShared = SessionError(.protocolNotShared, "protocol not shared")
    /// The message does not fit a frame, or exceeds what the peer may decompress.
    public static let messageTooLarge = SessionError(.messageTooLarge, "message too large")

    /// Why message `code` of protocol `name` cannot be sent on a connection that matched `matched`, or nil.
    package static func refusal(protocol name: String, code: UInt64, matched: [MatchedProtocol]) -> SessionError? {
        guard let owner = matched.first(where: { $0.name == name }) else {
            let shared = matched.map { "\($0.name)/\($0.version)" }
            return SessionError(
                .protocolNotShared,
                "\(name) is not shared on this connection; shared: \(shared.isEmpty ? "none" : shared.joined(separator: ", "))")
        }
        guard code < owner.length else {
            return SessionError(
                .codeOutOfRange,
                "code \(code) is past \(owner.name)/\(owner.version)'s \(owner.length) codes (0 to \(owner.length &- 1))")
        }
        return nil
    }
}
