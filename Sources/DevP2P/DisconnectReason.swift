// SPDX-License-Identifier: Apache-2.0
import RLP

/// Why a peer ends a session (devp2p rlpx.md, "Disconnect"), with go-ethereum's names.
public struct DisconnectReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let requested = DisconnectReason(rawValue: 0x00)
    public static let networkError = DisconnectReason(rawValue: 0x01)
    public static let protocolError = DisconnectReason(rawValue: 0x02)
    public static let uselessPeer = DisconnectReason(rawValue: 0x03)
    public static let tooManyPeers = DisconnectReason(rawValue: 0x04)
    public static let alreadyConnected = DisconnectReason(rawValue: 0x05)
    public static let incompatibleVersion = DisconnectReason(rawValue: 0x06)
    public static let invalidIdentity = DisconnectReason(rawValue: 0x07)
    public static let quitting = DisconnectReason(rawValue: 0x08)
    public static let unexpectedIdentity = DisconnectReason(rawValue: 0x09)
    public static let connectedToSelf = DisconnectReason(rawValue: 0x0a)
    public static let readTimeout = DisconnectReason(rawValue: 0x0b)
    public static let subprotocolError = DisconnectReason(rawValue: 0x10)
    /// go-ethereum's marker for a Disconnect whose reason could not be read (never sent).
    public static let invalid = DisconnectReason(rawValue: 0xff)

    /// Every reason the spec defines.
    public static let known: [DisconnectReason] = [
        .requested, .networkError, .protocolError, .uselessPeer, .tooManyPeers, .alreadyConnected,
        .incompatibleVersion, .invalidIdentity, .quitting, .unexpectedIdentity, .connectedToSelf, .readTimeout,
        .subprotocolError,
    ]

    /// Whether the spec defines this reason.
    public var isKnown: Bool { Self.known.contains(self) }

    /// The name and the code: `too many peers (0x04)`.
    public var debugDescription: String {
        let hex = String(rawValue, radix: 16)
        return "\(description) (0x\(hex.count < 2 ? "0" : "")\(hex))"
    }

    public var description: String {
        switch self {
        case .requested: "disconnect requested"
        case .networkError: "network error"
        case .protocolError: "breach of protocol"
        case .uselessPeer: "useless peer"
        case .tooManyPeers: "too many peers"
        case .alreadyConnected: "already connected"
        case .incompatibleVersion: "incompatible p2p protocol version"
        case .invalidIdentity: "invalid node identity"
        case .quitting: "client quitting"
        case .unexpectedIdentity: "unexpected identity"
        case .connectedToSelf: "connected to self"
        case .readTimeout: "read timeout"
        case .subprotocolError: "subprotocol error"
        case .invalid: "invalid disconnect reason"
        default: "unknown reason 0x\(String(rawValue, radix: 16))"
        }
    }

    /// The payload we send: `[reason]`.
    public var payload: [UInt8] { RLPWriter.encode { $0.writeList { $0.write(rawValue) } } }

    /// Reads a Disconnect payload as go-ethereum does: `[reason, ...]` (extra elements ignored) or, from old
    /// clients, the bare reason; anything unreadable is ``invalid``.
    public init(payload: [UInt8]) {
        var reader = RLPReader(payload)
        do throws(RLPError) {
            if try reader.peekKind() == .list {
                var list = try reader.listReader()
                self.init(rawValue: try list.read(UInt8.self))
            } else {
                self.init(rawValue: try reader.read(UInt8.self))
            }
        } catch {
            self = .invalid
        }
    }
}
