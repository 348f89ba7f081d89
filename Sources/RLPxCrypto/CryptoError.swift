// SPDX-License-Identifier: Apache-2.0

/// Every way key material or an encrypted message can be wrong. Carries no secrets.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A private key is not 32 bytes in 1 ..< n.
        public static let invalidPrivateKey = Code("invalidPrivateKey")
        /// A public key is not a point on the curve, or has the wrong length or prefix.
        public static let invalidPublicKey = Code("invalidPublicKey")
        /// A signature is malformed or recovers no key.
        public static let invalidSignature = Code("invalidSignature")
        /// An ECIES message is shorter than its fixed parts.
        public static let eciesTruncated = Code("eciesTruncated")
        /// An ECIES message's HMAC-SHA256 tag does not match.
        public static let eciesTagMismatch = Code("eciesTagMismatch")
        /// An argument of the wrong size (an ECIES IV that is not 16 bytes): the caller's mistake.
        public static let invalidArgument = Code("invalidArgument")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "CryptoError.\(code.name): \(reason)" }
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public static let invalidPrivateKey = CryptoError(.invalidPrivateKey, "not a valid secp256k1 private key")
    public static let invalidPublicKey = CryptoError(.invalidPublicKey, "not a valid secp256k1 public key")
    public static let invalidSignature = CryptoError(.invalidSignature, "not a valid recoverable signature")
    public static let eciesTruncated = CryptoError(.eciesTruncated, "ECIES message shorter than its fixed parts")
    public static let eciesTagMismatch = CryptoError(.eciesTagMismatch, "ECIES message authentication failed")
    public static let invalidArgument = CryptoError(.invalidArgument, "argument of the wrong size")
}
