// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxProtocols

/// A side of an RLPx connection, by its role in the handshake.
public enum Side: String, Sendable, Hashable, CaseIterable {
    case initiator
    case recipient

    @inlinable public var other: Side { self == .initiator ? .recipient : .initiator }

    /// The direction this side sends in, as reports print it.
    public var direction: String { self == .initiator ? "initiator→recipient" : "recipient→initiator" }
}

/// What a parser saw on one connection, in order: the one stream that rules consume, whether it comes from a
/// replayed capture or a live session (Zeek's split between parsers that raise events and policies that read them).
public struct ConnectionEvent: Sendable {
    /// The connection's number in its capture or run (from 1).
    public var connection: Int
    /// Seconds, on the capture's or the session's clock.
    public var time: Double
    public var kind: Kind

    public init(connection: Int, time: Double, kind: Kind) {
        self.connection = connection
        self.time = time
        self.kind = kind
    }

    public enum Kind: Sendable {
        /// A TCP connection began.
        case opened(initiator: String, recipient: String)
        /// An auth (from the initiator) or ack (from the recipient) packet: its format and size.
        case handshake(Side, format: HandshakeFormat, size: Int)
        /// The node IDs each side's handshake proved, when the keys are known (a key log, or the live session).
        case identities(initiator: [UInt8]?, recipient: [UInt8]?)
        /// A frame, before its message is read; `offset` is its position in the side's decrypted stream.
        case frame(Side, size: Int, headerData: [UInt8], offset: Int)
        /// A message, decoded as far as its protocol is known.
        case message(Side, DecodedMessage)
        /// Bytes the parser could not read as the protocol requires.
        case fault(Side, Fault)
        /// The connection (or the capture holding it) ended at ``ConnectionEvent/time``.
        case closed
    }
}

/// One message of a connection: its protocol, code and payload, and the typed value where the protocol is known.
/// A class, immutable: every rule that reads an event shares the one message instead of copying it.
public final class DecodedMessage: Sendable {
    /// `p2p`, `eth`, `snap`, another matched capability's name, or `?` when no matched range holds the code.
    public let protocolName: String
    /// The matched version (nil for p2p and for unplaced codes).
    public let version: UInt?
    /// The code inside its protocol (the wire code for p2p and unplaced codes).
    public let code: UInt64
    /// The code on the wire, after the multiplexing offset.
    public let wireCode: UInt64
    /// The specification's name, or `code N`.
    public let name: String
    /// The payload after decompression.
    public let payload: [UInt8]
    public let value: Value
    /// What the parser adds that the value does not hold (a Pong's round trip, why a code cannot be placed); it
    /// replaces the summary derived from the value.
    public let note: String?

    public init(
        protocolName: String, version: UInt?, code: UInt64, wireCode: UInt64, name: String, payload: [UInt8],
        value: Value, note: String? = nil
    ) {
        self.protocolName = protocolName
        self.version = version
        self.code = code
        self.wireCode = wireCode
        self.name = name
        self.payload = payload
        self.value = value
        self.note = note
    }

    /// The large payloads are indirect: reading one shares its box instead of copying it. The small ones are
    /// stored in place, so a message carrying one costs no box (an allocation per message).
    public enum Value: Sendable {
        indirect case hello(Hello)
        case disconnect(DisconnectReason)
        case ping
        case pong
        /// An eth or snap message.
        indirect case decoded(ProtocolMessage)
        /// The payload does not follow its message's layout.
        case malformed(RLPError)
        /// A protocol this toolkit does not decode.
        case undecoded
    }

    /// Whether the payload decoded to its protocol's typed value (an eth or snap message).
    public var isDecoded: Bool {
        if case .decoded = value { return true }
        return false
    }

    /// The request id, for eth and snap requests and responses.
    public var requestID: UInt64? {
        if case .decoded(let message) = value { return message.requestID }
        return nil
    }

    /// A matched subprotocol's message: typed when the protocol is eth or snap, malformed (with the reason) when its
    /// payload breaks that message's layout, undecoded for other protocols.
    public static func subprotocol(
        _ protocolName: String, version: UInt, code: UInt64, wireCode: UInt64, payload: [UInt8]
    ) -> DecodedMessage {
        let name: String
        let value: Value
        do throws(RLPError) {
            if let decoded = try ProtocolMessage.decode(protocolName: protocolName, version: version, code: code, payload: payload) {
                (name, value) = (decoded.name, .decoded(decoded))
            } else {
                (name, value) = (codeName(code), .undecoded)
            }
        } catch {
            name = KnownProtocols.messageName(protocolName: protocolName, version: version, code: code) ?? codeName(code)
            value = .malformed(error)
        }
        return DecodedMessage(
            protocolName: protocolName, version: version, code: code, wireCode: wireCode, name: name, payload: payload,
            value: value)
    }

    /// `code N`, the name of a message whose protocol names none: made once for the first 256 codes, which a
    /// replay names per message.
    public static func codeName(_ code: UInt64) -> String {
        code < UInt64(codeNames.count) ? codeNames[Int(code)] : "code \(code)"
    }

    private static let codeNames: [String] = (0..<256).map { "code \($0)" }

    /// One line for people (the transcript): the fields that matter, or why the payload is malformed. Made when
    /// asked, so a replay without a transcript never builds it.
    public var summary: String {
        if let note { return note }
        switch value {
        case .hello(let hello):
            return "\(TextClip.clip(hello.clientID)) v\(hello.protocolVersion) caps \(hello.capabilities.map(\.description).joined(separator: ","))"
        case .disconnect(let reason): return "reason \(reason.rawValue) (\(reason))"
        case .decoded(let decoded): return String(decoded.summary.dropFirst(decoded.name.count + 1))
        case .malformed(let error) where protocolName != "p2p": return "malformed: " + error.summary
        case .ping, .pong, .malformed, .undecoded: return ""
        }
    }

    /// Whether this is the base protocol's message `code` (Hello 0, Disconnect 1, Ping 2, Pong 3).
    public func isBase(_ code: UInt64) -> Bool { protocolName == "p2p" && self.code == code }

    /// `p2p`, or the protocol with its version (`eth/69`), as the transcript prints it.
    public var protocolLabel: String { version.map { "\(protocolName)/\($0)" } ?? protocolName }
}

/// Bytes a parser could not read as the protocol requires. After ``frame(_:offset:)`` and
/// ``handshakeSize(prefix:)`` nothing more is read from that side.
public enum Fault: Sendable, Hashable {
    /// An EIP-8 size prefix outside what an auth or ack can be.
    case handshakeSize(prefix: Int)
    /// A frame that does not authenticate or decode; the error's code says which (a MAC mismatch, a size past
    /// the limit).
    case frame(FramingError, offset: Int)
    /// A frame with no message code in it.
    case emptyFrame
    /// Frame data that does not start with a canonical RLP integer.
    case messageCode
    /// A compressed payload that declares more than 16 MiB − 1 bytes (not decompressed).
    case snappyTooLarge(code: UInt64, declared: Int)
    /// A compressed payload that does not decompress, and why (``FramingError/Code/snappyCorrupt``).
    case snappy(code: UInt64, FramingError)
    /// An uncompressed payload after both sides announced p2p version 5.
    case uncompressed(code: UInt64)
    /// A code outside the base protocol and every matched protocol's range.
    case codeOutOfRange(code: UInt64)
}

/// One value per side of a connection, read and changed in place (no copy of the other side's value).
public struct BothSides<Value> {
    public var initiator: Value
    public var recipient: Value

    @inlinable
    public init(initiator: Value, recipient: Value) {
        self.initiator = initiator
        self.recipient = recipient
    }

    @inlinable
    public init(repeating value: Value) {
        self.init(initiator: value, recipient: value)
    }

    /// Inlinable, so a caller's accesses to it can be proven exclusive at compile time (no run-time check).
    @inlinable
    public subscript(side: Side) -> Value {
        _read {
            if side == .initiator { yield initiator } else { yield recipient }
        }
        _modify {
            if side == .initiator { yield &initiator } else { yield &recipient }
        }
    }
}

extension BothSides: Sendable where Value: Sendable {}
