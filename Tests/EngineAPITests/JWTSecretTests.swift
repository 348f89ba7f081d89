// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Foundation
import Testing

@Suite struct JWTSecretTests {
    static let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

    @Test(arguments: [hex, "0x" + hex, "0X" + hex.uppercased(), "  0x" + hex + "\n", hex + "\r\n"])
    func parsesHex(text: String) throws {
        let secret = try JWTSecret(hex: text)
        #expect(secret.bytes == Array(0..<32))
        #expect(secret.hex == "0x" + Self.hex)
    }

    @Test(arguments: ["", "0x", String(hex.dropLast(2)), hex + "00", "0x" + String(hex.dropLast()) + "g", "0x 00"])
    func refusesOtherText(text: String) {
        #expect(jwtErrorCode { try JWTSecret(hex: text) } == .invalidSecret)
    }

    @Test func refusesOtherLengths() {
        #expect(jwtErrorCode { try JWTSecret(bytes: [UInt8](repeating: 1, count: 31)) } == .invalidSecret)
        #expect(jwtErrorCode { try JWTSecret(bytes: [UInt8](repeating: 1, count: 64)) } == .invalidSecret)
    }

    @Test func readsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwt-\(UUID().uuidString).hex").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(("0x" + Self.hex + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(try JWTSecret(contentsOfFile: path).bytes == Array(0..<32))
        try Data("not hex\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(jwtErrorCode { try JWTSecret(contentsOfFile: path) } == .invalidSecret)
        #expect(jwtErrorCode { try JWTSecret(contentsOfFile: path + ".missing") } == .unreadableSecretFile)
    }

    @Test func neverPrintsTheBytes() throws {
        let secret = try JWTSecret(hex: Self.hex)
        #expect("\(secret)" == "JWTSecret(32 bytes)")
        #expect(String(reflecting: secret) == "JWTSecret(32 bytes)")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("16"))
    }

    @Test func generatesDistinctSecrets() {
        #expect(JWTSecret.generate() != JWTSecret.generate())
        #expect(JWTSecret.generate().bytes.count == 32)
    }
}
