// SPDX-License-Identifier: Apache-2.0

/// A capture or key log that a conformance run cannot use. The description is the reason alone: it is the line a
/// person reads (`rlpx-tool conformance` prints it after `error:`); programs match the ``code``.
public struct ConformanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The key log has a line that is not a key-log entry.
        public static let invalidKeyLog = Code("invalidKeyLog")
        /// The capture cannot be read (``CaptureError``).
        public static let unreadableCapture = Code("unreadableCapture")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
    public static func == (lhs: ConformanceError, rhs: ConformanceError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
