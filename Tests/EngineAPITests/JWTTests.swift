// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import Testing

@testable import EngineAPI

@Suite struct JWTTests {
    /// RFC 7515 appendix A.1: the HS256 example (its key is 64 bytes, so it goes through the key-level verifier).
    enum RFC7515 {
        static let key =
            Base64URL.decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            ?? []
        static let token =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        /// The example's `exp`.
        static let expiry = 1_300_819_380.0
    }

    static let secret = (try? JWTSecret(bytes: Array(0..<32))) ?? JWTSecret.generate()
    static let now = 1_700_000_000.0

    @Test func rfc7515SignatureMatches() throws {
        #expect(RFC7515.key.count == 64)
        let parts = RFC7515.token.split(separator: ".")
        let mac = HMACSHA256.authenticate(key: RFC7515.key, data: Array((parts[0] + "." + parts[1]).utf8))
        #expect(Base64URL.encode(mac) == String(parts[2]))
        // The signature holds; the example has no iat, which an Engine API token needs.
        #expect(
            jwtErrorCode { try JWT.verify(RFC7515.token, key: RFC7515.key, now: RFC7515.expiry - 1, drift: 60) }
                == .missingIssuedAt)
        // Past its exp it is refused as expired, before iat is looked at.
        #expect(
            jwtErrorCode { try JWT.verify(RFC7515.token, key: RFC7515.key, now: RFC7515.expiry + 1, drift: 60) }
                == .expired)
        // Any other key fails the signature.
        #expect(
            jwtErrorCode {
                try JWT.verify(RFC7515.token, key: Array(RFC7515.key.dropLast()), now: RFC7515.expiry - 1, drift: 60)
            } == .badSignature)
    }

    /// The token for secret 0x00…1f at iat 1700000000, computed independently with Python's hmac and base64 modules.
    @Test func makesTheExpectedToken() {
        let expected =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDB9.uAxdaUtr1_HpYPtNDLNlQ_sHMiP5eBV-ra8EjL3ScS8"
        #expect(JWT.make(secret: Self.secret, issuedAt: 1_700_000_000) == expected)
    }

    @Test func roundTrips() throws {
        let token = JWT.make(secret: Self.secret, issuedAt: Int64(Self.now))
        let claims = try JWT.verify(token, secret: Self.secret, now: Self.now)
        #expect(claims.issuedAt == Self.now)
        #expect(claims.expiresAt == nil)
    }

    @Test func acceptsDriftUpToSixtySeconds() throws {
        for offset in [-60.0, -1, 0, 1, 60] {
            let token = JWT.make(secret: Self.secret, issuedAt: Int64(Self.now + offset))
            _ = try JWT.verify(token, secret: Self.secret, now: Self.now)
        }
    }

    @Test func refusesStaleAndFutureTokens() {
        let stale = JWT.make(secret: Self.secret, issuedAt: Int64(Self.now) - 61)
        #expect(jwtErrorCode { try JWT.verify(stale, secret: Self.secret, now: Self.now) } == .staleToken)
        let future = JWT.make(secret: Self.secret, issuedAt: Int64(Self.now) + 61)
        #expect(jwtErrorCode { try JWT.verify(future, secret: Self.secret, now: Self.now) } == .futureToken)
    }

    @Test func refusesTamperedTokens() throws {
        let token = JWT.make(secret: Self.secret, issuedAt: Int64(Self.now))
        let other = try JWTSecret(bytes: [UInt8](repeating: 7, count: 32))
        #expect(jwtErrorCode { try JWT.verify(token, secret: other, now: Self.now) } == .badSignature)
        // Claims swapped for others (a later iat) under the original signature.
        let parts = token.split(separator: ".")
        let forged = parts[0] + "." + Base64URL.encode(Array(#"{"iat":1700000030}"#.utf8)) + "." + parts[2]
        #expect(jwtErrorCode { try JWT.verify(forged, secret: Self.secret, now: Self.now) } == .badSignature)
        // One signature character changed.
        var signature = Array(parts[2])
        signature[0] = signature[0] == "A" ? "B" : "A"
        let flipped = parts[0] + "." + parts[1] + "." + String(signature)
        #expect(jwtErrorCode { try JWT.verify(flipped, secret: Self.secret, now: Self.now) } == .badSignature)
    }

    @Test func refusesOtherAlgorithms() {
        let claims = #"{"iat":1700000000}"#
        let none =
            Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
            + "."
        #expect(jwtErrorCode { try JWT.verify(none, secret: Self.secret, now: Self.now) } == .unsupportedAlgorithm)
        // Signed with the right key, but declaring another algorithm.
        let hs512 = JWT.signed(header: #"{"alg":"HS512"}"#, claims: claims, key: Self.secret.bytes)
        #expect(jwtErrorCode { try JWT.verify(hs512, secret: Self.secret, now: Self.now) } == .unsupportedAlgorithm)
        let critical = JWT.signed(header: #"{"alg":"HS256","crit":["exp"]}"#, claims: claims, key: Self.secret.bytes)
        #expect(jwtErrorCode { try JWT.verify(critical, secret: Self.secret, now: Self.now) } == .unsupportedAlgorithm)
    }

    @Test func readsOptionalClaimsAndIgnoresUnknownOnes() throws {
        let claims = #"{"iat":1700000000.5,"id":"lighthouse-1","clv":"v5.0","exp":1700000100,"x":[1]}"#
        let token = JWT.signed(header: JWT.header, claims: claims, key: Self.secret.bytes)
        let parsed = try JWT.verify(token, secret: Self.secret, now: Self.now)
        #expect(parsed.issuedAt == 1_700_000_000.5)
        #expect(parsed.id == "lighthouse-1")
        #expect(parsed.clientVersion == "v5.0")
        #expect(parsed.expiresAt == 1_700_000_100)
    }

    @Test(arguments: [#"{}"#, #"{"iat":"1700000000"}"#, #"{"iat":true}"#, #"{"iat":null}"#])
    func refusesMissingOrNonNumericIssuedAt(claims: String) {
        let token = JWT.signed(header: JWT.header, claims: claims, key: Self.secret.bytes)
        #expect(jwtErrorCode { try JWT.verify(token, secret: Self.secret, now: Self.now) } == .missingIssuedAt)
    }

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "!.!.!", "e30.e30", "W10.e30.AAAA"])
    func refusesMalformedTokens(token: String) {
        #expect(jwtErrorCode { try JWT.verify(token, secret: Self.secret, now: Self.now) } == .malformed)
    }

    @Test func refusesMalformedClaimsOnlyAfterTheSignature() {
        let token = JWT.signed(header: JWT.header, claims: "[1]", key: Self.secret.bytes)
        #expect(jwtErrorCode { try JWT.verify(token, secret: Self.secret, now: Self.now) } == .malformed)
        let unsigned = JWT.signed(header: JWT.header, claims: "[1]", key: [1])
        #expect(jwtErrorCode { try JWT.verify(unsigned, secret: Self.secret, now: Self.now) } == .badSignature)
    }
}
