// SPDX-License-Identifier: Apache-2.0

/// Every way key material or an encrypted message can be wrong. Carries no secrets.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public let code: String
    /// What was wrong, for people.
    public let reason: String

    init(_ code: String, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "CryptoError.\(code): \(reason)" }
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A private key is not 32 bytes in 1 ..< n.
    public static let invalidPrivateKey = CryptoError("invalidPrivateKey", "not a valid secp256k1 private key")
    /// A public key is not a point on the curve, or has the wrong length or prefix.
    public static let invalidPublicKey = CryptoError("invalidPublicKey", "not a valid secp256k1 public key")
    /// A signature is malformed or recovers no key.
    public static let invalidSignature = CryptoError("invalidSignature", "not a valid recoverable signature")
    /// An ECIES message is shorter than its fixed parts.
    public static let eciesTruncated = CryptoError("eciesTruncated", "ECIES message shorter than its fixed parts")
    /// An ECIES message's HMAC-SHA256 tag does not match.
    public static let eciesTagMismatch = CryptoError("eciesTagMismatch", "ECIES message authentication failed")
    /// An argument of the wrong size (an ECIES IV that is not 16 bytes): the caller's mistake.
    public static let invalidArgument = CryptoError("invalidArgument", "argument of the wrong size")
}
