// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// Every way a handshake message, a key-log line or a secrets text can be wrong. Carries sizes, codes and line
/// numbers, never keys or plaintext.
public struct HandshakeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The packet is shorter than its fixed parts (an EIP-8 size below the ECIES overhead, a short plaintext).
        public static let truncated = Code("truncated")
        /// An EIP-8 size prefix above ``Handshake/maximumPacketSize`` (checked before anything is allocated).
        public static let tooLarge = Code("tooLarge")
        /// ECIES authentication failed: encrypted to another key, or altered on the way.
        public static let decryptionFailed = Code("decryptionFailed")
        /// The decrypted body is not a well-formed auth or ack (bad RLP, wrong field sizes).
        public static let malformedMessage = Code("malformedMessage")
        /// The auth signature is malformed or does not match the keys it claims.
        public static let invalidSignature = Code("invalidSignature")
        /// A public key in the message (ECIES ephemeral, initiator static, recipient ephemeral) is not on the curve.
        public static let invalidPublicKey = Code("invalidPublicKey")
        /// A call out of order (receiving before sending the auth, after completion) or an argument the handshake
        /// cannot use (a nonce that is not 32 bytes): the caller's mistake, reported instead of stopping the process.
        public static let misuse = Code("misuse")
        /// A key-log line that is not `RLPX_SESSION` followed by five or seven hex fields of the right sizes
        /// (``KeyLogEntry``).
        public static let invalidKeyLog = Code("invalidKeyLog")
        /// A secrets text with an unknown name, bad hex, or a missing or wrongly sized field
        /// (``SessionSecrets/init(text:role:)``).
        public static let invalidSecretsText = Code("invalidSecretsText")
    }

    public let code: Code
    public let reason: String
    /// The line of a key log or secrets text, from 1, where one applies.
    public let line: Int?

    init(_ code: Code, _ reason: String, line: Int? = nil) {
        self.code = code
        self.reason = reason
        self.line = line
    }

    public var description: String { "HandshakeError.\(code.name): " + (line.map { "line \($0): " } ?? "") + reason }
    public static func == (lhs: HandshakeError, rhs: HandshakeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public static let truncated = HandshakeError(.truncated, "packet shorter than its fixed parts")
    public static let tooLarge = HandshakeError(.tooLarge, "packet larger than the limit")
    public static let decryptionFailed = HandshakeError(.decryptionFailed, "ECIES authentication failed")
    public static let malformedMessage = HandshakeError(.malformedMessage, "not a well-formed handshake body")
    public static let invalidSignature = HandshakeError(.invalidSignature, "auth signature is invalid")
    public static let invalidPublicKey = HandshakeError(.invalidPublicKey, "public key is not on the curve")
    public static let misuse = HandshakeError(.misuse, "a call out of order or an unusable argument")
    public static let invalidKeyLog = HandshakeError(.invalidKeyLog, "not a key-log line")
    public static let invalidSecretsText = HandshakeError(.invalidSecretsText, "not a secrets text")
    static let alreadyComplete = HandshakeError(.misuse, "the handshake is already complete")

    /// The handshake error for a cryptographic failure while opening or reading a message.
    static func from(_ error: CryptoError, context: String) -> HandshakeError {
        switch error.code {
        case CryptoError.eciesTruncated.code: HandshakeError(.truncated, "\(context): \(error.reason)")
        case CryptoError.eciesTagMismatch.code: HandshakeError(.decryptionFailed, "\(context): \(error.reason)")
        case CryptoError.invalidPublicKey.code: HandshakeError(.invalidPublicKey, "\(context): \(error.reason)")
        case CryptoError.invalidSignature.code: HandshakeError(.invalidSignature, "\(context): \(error.reason)")
        default: HandshakeError(.malformedMessage, "\(context): \(error.reason)")
        }
    }

    static func malformed(_ error: RLPError, _ what: String) -> HandshakeError {
        HandshakeError(.malformedMessage, "\(what) body: \(error)")
    }
}
