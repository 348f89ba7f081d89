// SPDX-License-Identifier: Apache-2.0
import DevP2P

/// Every way the runner fails: how a session ended (or why it never started), a dial that could not connect, an
/// enode URL that does not parse, a key log or node key file that cannot be used.
public struct PeerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The session ended, or ended before both Hellos: ``PeerError/disconnectReason`` says why, and who ended it.
        public static let disconnected = Code("disconnected")
        /// The TCP connection of a dial could not be made (refused, timed out, a host that does not resolve).
        public static let connectFailed = Code("connectFailed")
        /// Text that is not an enode URL; the offset is where in the text it goes wrong.
        public static let invalidEnode = Code("invalidEnode")
        /// A key log file that cannot be opened for appending.
        public static let keyLogUnavailable = Code("keyLogUnavailable")
        /// Text that is not a node key (64 hex digits of a secp256k1 private key).
        public static let invalidNodeKey = Code("invalidNodeKey")
        /// A node key file that cannot be read.
        public static let nodeKeyUnreadable = Code("nodeKeyUnreadable")
        /// A node key file that cannot be written (also when one exists: a key is never overwritten).
        public static let nodeKeyUnwritable = Code("nodeKeyUnwritable")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String
    /// The byte offset in the parsed text, when there is one.
    public let offset: Int?
    /// The reason of a session's end (``Code/disconnected``); `networkError` for every other failure.
    public let disconnectReason: DisconnectReason
    /// Which side ended the session; `local` for every failure other than ``Code/disconnected``.
    public let origin: Origin
    /// The remote Hello, when one was read before the end (also when it was the reason for it).
    public var remoteHello: Hello? = nil

    init(_ code: Code, _ reason: String, offset: Int? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        disconnectReason = .networkError
        origin = .local
    }

    /// A session's end.
    init(disconnect: DisconnectReason, origin: Origin, detail: String, remoteHello: Hello? = nil) {
        code = .disconnected
        reason = detail
        offset = nil
        disconnectReason = disconnect
        self.origin = origin
        self.remoteHello = remoteHello
    }

    public var description: String {
        switch code {
        case .disconnected:
            "disconnected (\(origin.rawValue)): \(disconnectReason) (0x\(String(disconnectReason.rawValue, radix: 16))): \(reason)"
        case .invalidEnode: "invalid enode URL: \(reason)"
        default: reason
        }
    }

    public static func == (lhs: PeerError, rhs: PeerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
