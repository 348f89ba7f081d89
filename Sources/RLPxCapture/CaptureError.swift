// SPDX-License-Identifier: Apache-2.0

/// Every way a capture cannot be read or written. The description is the reason alone: it is the line a person
/// reads (`rlpx-tool` prints it after `error:`); programs match the ``code``.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The capture file cannot be opened as pcap or pcapng.
        public static let unreadableCapture = Code("unreadableCapture")
        /// The capture file breaks off or is corrupt after its start.
        public static let damagedCapture = Code("damagedCapture")
        /// A live capture cannot start: no permission, no such interface, a bad filter, an unwritable file.
        public static let liveCaptureFailed = Code("liveCaptureFailed")
    }

    public let code: Code
    /// What was wrong, for people (libpcap's words included).
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
    public static func == (lhs: CaptureError, rhs: CaptureError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
