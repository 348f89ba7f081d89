// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxCrypto
import RLPxPeer
import Testing

/// Node key files as go-ethereum writes and reads them: 64 hex digits on one line, mode 0600.
@Suite struct NodeKeyFileTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nodekey-\(UInt64.random(in: 0...UInt64.max))").path
    }

    @Test func aWrittenKeyIsReadBackAndPrivate() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        try NodeKeyFile.write(key, to: path)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self) == Hex.encode(key.rawRepresentation) + "\n")
        #expect(try NodeKeyFile.read(path).rawRepresentation == key.rawRepresentation)
        // A node key is never overwritten.
        let refusal = #expect(throws: PeerError.self) { try NodeKeyFile.write(Secp256k1.PrivateKey.random(using: &random), to: path) }
        #expect(refusal?.code == .nodeKeyUnwritable)
        #expect(try NodeKeyFile.read(path).rawRepresentation == key.rawRepresentation)
    }

    /// go-ethereum's SaveECDSA writes the digits without a newline; a 0x prefix and surrounding blanks are taken too.
    @Test func goEthereumsFormAndBlanksAreRead() throws {
        let hex = String(repeating: "11", count: 32)
        for text in [hex, hex + "\n", "0x" + hex, "  \(hex) \r\n"] {
            #expect(try NodeKeyFile.parse(text).rawRepresentation == [UInt8](repeating: 0x11, count: 32), "\(text)")
        }
    }

    @Test func whatIsNoKeyIsRefusedWithAReason() {
        let hex = String(repeating: "11", count: 32)
        for text in [
            "", "zz", hex + hex, String(hex.dropLast(2)), hex + "\n" + hex, String(repeating: "0", count: 64), String(repeating: "f", count: 64),
        ] {
            let error = #expect(throws: PeerError.self, "\(text)") { try NodeKeyFile.parse(text) }
            #expect(error?.code == .invalidNodeKey, "\(text)")
        }
        let missing = #expect(throws: PeerError.self) { try NodeKeyFile.read("/nonexistent/nodekey") }
        #expect(missing?.code == .nodeKeyUnreadable)
        let directory = #expect(throws: PeerError.self) { try NodeKeyFile.read("/") }
        #expect(directory?.code == .nodeKeyUnreadable)
    }
}
