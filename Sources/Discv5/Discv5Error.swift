// SPDX-License-Identifier: Apache-2.0
import RLP

/// Every way a discv5 packet, message or handshake can be wrong.
///
/// The ``code`` names the rule that was broken and is stable API; ``offset`` says where in the packet (or the
/// message plaintext) it was found, and ``field`` names the part. Two errors are equal when their codes are equal,
/// so `#expect(throws: Discv5Error.packetTooShort)` works whatever the offset.
public struct Discv5Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String
        /// A code named `name`.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The packet is shorter than the smallest packet (63 bytes), or than its static parts.
        public static let packetTooShort = Code("packetTooShort")
        /// The packet is longer than 1280 bytes.
        public static let packetTooLarge = Code("packetTooLarge")
        /// The unmasked header does not start with "discv5": not a discv5 packet, or not for this node.
        public static let wrongProtocolID = Code("wrongProtocolID")
        /// The header's version is not 1.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// The header's flag is not 0 (ordinary), 1 (WHOAREYOU) or 2 (handshake).
        public static let unknownFlag = Code("unknownFlag")
        /// The authdata size runs past the packet, or does not fit the layout its flag requires.
        public static let authDataSizeWrong = Code("authDataSizeWrong")
        /// An ordinary or handshake packet has less message data than a GCM tag.
        public static let messageTooShort = Code("messageTooShort")
        /// AES-GCM authentication failed: wrong key, nonce, header or ciphertext.
        public static let decryptionFailed = Code("decryptionFailed")
        /// A decrypted message is empty (no type byte).
        public static let emptyMessage = Code("emptyMessage")
        /// A message type byte this module does not know.
        public static let unknownMessageType = Code("unknownMessageType")
        /// A message body is not the RLP its type requires; the reason carries the RLP error.
        public static let invalidRLP = Code("invalidRLP")
        /// A request ID is longer than 8 bytes.
        public static let requestIDTooLong = Code("requestIDTooLong")
        /// A well-formed field its message does not allow (an IP that is neither 4 nor 16 bytes).
        public static let invalidValue = Code("invalidValue")
        /// A public key (static or ephemeral) is not a valid secp256k1 point in the expected form.
        public static let invalidPublicKey = Code("invalidPublicKey")
        /// An ID-nonce signature has the wrong size or does not verify.
        public static let invalidIDSignature = Code("invalidIDSignature")
        /// A handshake arrived from a node this side sent no WHOAREYOU to (or the challenge expired).
        public static let unexpectedHandshake = Code("unexpectedHandshake")
        /// A WHOAREYOU answers no packet this side sent (or one whose wait has expired), or came from elsewhere.
        public static let unsolicitedChallenge = Code("unsolicitedChallenge")
        /// A handshake carries no node record and none is known for its sender.
        public static let missingRecord = Code("missingRecord")
        /// A caller passed a key, ID, nonce or IV of the wrong size, or a packet too large to send.
        public static let invalidArgument = Code("invalidArgument")
        /// A discv5 key-log line is malformed.
        public static let invalidKeyLog = Code("invalidKeyLog")
    }

    /// The rule that was broken.
    public let code: Code
    /// Where in the input, when the error comes from input bytes.
    public let offset: Int?
    /// The part of the packet or message, when one is to blame (`"authdata"`, `"pong.recipientIP"`).
    public let field: String?
    /// What was wrong, for people.
    public let reason: String

    /// Makes an error.
    public init(_ code: Code, _ reason: String, at offset: Int? = nil, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.field = field
    }

    /// An RLP error inside a message body, kept as the reason; its offset is moved by `delta` (the type byte).
    init(rlp error: RLPError, message: String, delta: Int = 1) {
        let path = error.pathDescription
        self.init(
            .invalidRLP, "\(message): \(error)", at: error.offset.map { $0 &+ delta },
            field: path.isEmpty ? message : "\(message).\(path)")
    }

    public var description: String {
        var text = "Discv5Error.\(code.name): \(reason)"
        if let offset { text += " at offset \(offset)" }
        if let field { text += " in \(field)" }
        return text
    }

    public static func == (lhs: Discv5Error, rhs: Discv5Error) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // Parameterless shorthands, for tests and callers: `Discv5Error.packetTooShort`.
    public static let packetTooShort = Discv5Error(.packetTooShort, "packet too short")
    public static let packetTooLarge = Discv5Error(.packetTooLarge, "packet too large")
    public static let wrongProtocolID = Discv5Error(.wrongProtocolID, "protocol ID is not discv5")
    public static let unsupportedVersion = Discv5Error(.unsupportedVersion, "header version is not 1")
    public static let unknownFlag = Discv5Error(.unknownFlag, "unknown packet flag")
    public static let authDataSizeWrong = Discv5Error(.authDataSizeWrong, "authdata size does not fit")
    public static let messageTooShort = Discv5Error(.messageTooShort, "message data shorter than a GCM tag")
    public static let decryptionFailed = Discv5Error(.decryptionFailed, "message authentication failed")
    public static let emptyMessage = Discv5Error(.emptyMessage, "message has no type byte")
    public static let unknownMessageType = Discv5Error(.unknownMessageType, "unknown message type")
    public static let invalidRLP = Discv5Error(.invalidRLP, "message body is not valid RLP for its type")
    public static let requestIDTooLong = Discv5Error(.requestIDTooLong, "request ID longer than 8 bytes")
    public static let invalidValue = Discv5Error(.invalidValue, "field value not allowed")
    public static let invalidPublicKey = Discv5Error(.invalidPublicKey, "not a valid secp256k1 public key")
    public static let invalidIDSignature = Discv5Error(.invalidIDSignature, "ID-nonce signature does not verify")
    public static let unexpectedHandshake = Discv5Error(.unexpectedHandshake, "handshake without a pending challenge")
    public static let unsolicitedChallenge = Discv5Error(.unsolicitedChallenge, "WHOAREYOU for no sent packet")
    public static let missingRecord = Discv5Error(.missingRecord, "no node record for the handshake's sender")
    public static let invalidArgument = Discv5Error(.invalidArgument, "argument of the wrong size")
}
