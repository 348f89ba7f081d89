// SPDX-License-Identifier: Apache-2.0

/// Why a token or a secret was refused. Carries the reason, never the secret or the signature.
public struct JWTError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// No `Authorization: Bearer <token>` header.
        public static let missingToken = Code("missingToken")
        /// Not three base64url parts, or a header or claims part that is not a JSON object.
        public static let malformed = Code("malformed")
        /// An `alg` other than `HS256` (`none` included), or a `crit` header this verifier cannot honour.
        public static let unsupportedAlgorithm = Code("unsupportedAlgorithm")
        /// The signature is not the HMAC-SHA256 of the first two parts under the shared secret.
        public static let badSignature = Code("badSignature")
        /// No numeric `iat` claim.
        public static let missingIssuedAt = Code("missingIssuedAt")
        /// `iat` more than the allowed drift before now.
        public static let staleToken = Code("staleToken")
        /// `iat` more than the allowed drift after now.
        public static let futureToken = Code("futureToken")
        /// An `exp` claim (optional) that has passed.
        public static let expired = Code("expired")
        /// A secret that is not 32 bytes of hex.
        public static let invalidSecret = Code("invalidSecret")
        /// A secret file that cannot be read.
        public static let unreadableSecretFile = Code("unreadableSecretFile")
    }

    public let code: Code
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "JWTError.\(code.name): \(reason)" }
    public static func == (lhs: JWTError, rhs: JWTError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
