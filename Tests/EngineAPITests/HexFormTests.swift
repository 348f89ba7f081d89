// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Testing

/// The Engine API's hex (RLP's codec): `0x` out, a blank inside a secret or a hash refused.
@Suite struct HexFormTests {
    static let digits = String(repeating: "ab", count: 32)

    @Test func hashesAndSecretsRoundTripWithThePrefix() throws {
        #expect(BlockHash(hex: "0x" + Self.digits)?.hex == "0x" + Self.digits)
        #expect(try JWTSecret(hex: "0x" + Self.digits.uppercased() + "\n").hex == "0x" + Self.digits)
    }

    @Test func blanksInsideAreRefused() {
        let spaced = "0x" + Self.digits.prefix(32) + " " + Self.digits.dropFirst(32)
        #expect(BlockHash(hex: spaced) == nil)
        #expect(BlockHash(hex: Self.digits) == nil, "DATA carries its prefix")
        let error = #expect(throws: JWTError.self) { try JWTSecret(hex: spaced) }
        #expect(error?.code == .invalidSecret)
    }
}
