// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP

/// The claims of a verified Engine API token.
public struct JWTClaims: Hashable, Sendable {
    /// `iat`: when the token was made, in seconds since 1970 (fractions allowed, as RFC 7519 allows).
    public var issuedAt: Double
    /// `exp`, when present.
    public var expiresAt: Double?
    /// `id`, the optional name a consensus client gives itself.
    public var id: String?
    /// `clv`, the optional consensus client version.
    public var clientVersion: String?
}

/// Engine API tokens: HS256 JSON Web Tokens whose one required claim is `iat` (issued-at). Pure: the caller gives
/// the time.
public enum JWT {
    /// How far `iat` may be from now, either way, in seconds: the Engine API spec's ±60 s.
    public static let allowedDrift: Double = 60

    /// The header of every token made here.
    static let header = #"{"alg":"HS256","typ":"JWT"}"#

    /// A token for `secret` issued at `issuedAt` (seconds since 1970): claims `{"iat":issuedAt}`.
    public static func make(secret: JWTSecret, issuedAt: Int64) -> String {
        signed(header: header, claims: #"{"iat":\#(issuedAt)}"#, key: secret.bytes)
    }

    /// `header` and `claims` (JSON texts) encoded and signed with HMAC-SHA256 under `key`, whatever they say.
    static func signed(header: String, claims: String, key: [UInt8]) -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = HMACSHA256.authenticate(key: key, data: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The claims of `token` if it is a well-formed HS256 token signed with `secret`, not expired, and issued
    /// within `drift` seconds of `now` (seconds since 1970). Checks run in that order, so a forged token is
    /// reported as ``JWTError/Code/badSignature`` whatever its claims say.
    public static func verify(
        _ token: some StringProtocol, secret: JWTSecret, now: Double, drift: Double = allowedDrift
    ) throws(JWTError) -> JWTClaims {
        try verify(token, key: secret.bytes, now: now, drift: drift)
    }

    /// ``verify(_:secret:now:drift:)`` with a key of any length (RFC 7515's example key is 64 bytes).
    static func verify(
        _ token: some StringProtocol, key: [UInt8], now: Double, drift: Double
    ) throws(JWTError) -> JWTClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw JWTError(.malformed, "a JWT has 3 parts, found \(parts.count)") }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = jsonObject(headerBytes) else {
            throw JWTError(.malformed, "the header is not a base64url-encoded JSON object")
        }
        guard let algorithm = header["alg"] as? String else { throw JWTError(.malformed, "the header has no alg") }
        guard algorithm == "HS256" else { throw JWTError(.unsupportedAlgorithm, "alg \(algorithm) is not HS256") }
        guard header["crit"] == nil else {
            throw JWTError(.unsupportedAlgorithm, "crit header parameters are not supported")
        }
        guard let signature = Base64URL.decode(parts[2]) else {
            throw JWTError(.malformed, "the signature is not base64url")
        }
        let signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard HMACSHA256.constantTimeEqual(signature, HMACSHA256.authenticate(key: key, data: signingInput)) else {
            throw JWTError(.badSignature, "the signature does not match the secret")
        }
        guard let claimBytes = Base64URL.decode(parts[1]), let claims = jsonObject(claimBytes) else {
            throw JWTError(.malformed, "the claims are not a base64url-encoded JSON object")
        }
        var result = JWTClaims(issuedAt: 0)
        if let exp = claims["exp"] {
            guard let expiry = numericDate(exp) else { throw JWTError(.malformed, "exp is not a number") }
            guard now <= expiry else { throw JWTError(.expired, "the token expired \(Int64(now - expiry)) s ago") }
            result.expiresAt = expiry
        }
        guard let issued = claims["iat"].flatMap(numericDate) else {
            throw JWTError(.missingIssuedAt, "no numeric iat claim")
        }
        guard now - issued <= drift else { throw JWTError(.staleToken, "iat is \(Int64(now - issued)) s in the past") }
        guard issued - now <= drift else {
            throw JWTError(.futureToken, "iat is \(Int64(issued - now)) s in the future")
        }
        result.issuedAt = issued
        result.id = claims["id"] as? String
        result.clientVersion = claims["clv"] as? String
        return result
    }

    /// `bytes` as a JSON object, or nil.
    private static func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// A JSON number (not a boolean) as seconds, or nil.
    private static func numericDate(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !JSONValue.isBoolean(number) else { return nil }
        let seconds = number.doubleValue
        return seconds.isFinite ? seconds : nil
    }
}
