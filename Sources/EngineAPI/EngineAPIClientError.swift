// SPDX-License-Identifier: Apache-2.0

/// Why a post to an Engine API got no HTTP answer.
public struct EngineAPIClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The URL is not `http://host[:port][/path]`.
        public static let invalidURL = Code("invalidURL")
        /// Nothing listens at the address (the connection was refused).
        public static let connectionRefused = Code("connectionRefused")
        /// The connection could not be made for another reason (name resolution, unreachable network).
        public static let connectionFailed = Code("connectionFailed")
        /// No complete answer within the timeout (connecting included).
        public static let timedOut = Code("timedOut")
        /// The peer answered with something that is not an HTTP/1.x response, or one over the size limit.
        public static let invalidResponse = Code("invalidResponse")
        /// The peer closed the connection before its answer was complete.
        public static let connectionClosed = Code("connectionClosed")
    }

    public let code: Code
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "EngineAPIClientError.\(code.name): \(reason)" }
    public static func == (lhs: EngineAPIClientError, rhs: EngineAPIClientError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
