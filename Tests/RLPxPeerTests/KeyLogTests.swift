// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxHandshake
import RLPxPeer
import RLPxTestSupport
import Testing

@Suite struct KeyLogTests {
    func secrets(_ seed: UInt64) -> SessionSecrets {
        var random = SeededRandom(seed: seed)
        return SessionSecrets(
            role: .initiator, aesSecret: random.bytes(32), macSecret: random.bytes(32), initiatorNonce: random.bytes(32),
            recipientNonce: random.bytes(32), authPacket: random.bytes(400), ackPacket: random.bytes(300))
    }

    @Test func ownerOnlyAndNeverInterleaved() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keylog-\(UInt32.random(in: 0...UInt32.max)).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try KeyLogWriter(path: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        await withTaskGroup(of: Void.self) { group in
            for seed in 0..<400 {
                group.addTask {
                    writer.append(self.secrets(UInt64(seed)), localID: [UInt8](repeating: 1, count: 64), remoteID: [UInt8](repeating: 2, count: 64))
                }
            }
        }
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        let entries = try KeyLogEntry.parse(text)
        #expect(entries.count == 400, "every line whole and parseable")
        let entry = try #require(
            try KeyLogEntry(
                line: KeyLogEntry(secrets: secrets(7), initiatorID: [UInt8](repeating: 1, count: 64), recipientID: [UInt8](repeating: 2, count: 64))
                    .line))
        #expect(entries[entry.authHash] == entry)
    }

    @Test func linesFromOtherClientsWithoutNodeIDs() throws {
        let line = "RLPX_SESSION " + (0..<5).map { _ in String(repeating: "ab", count: 32) }.joined(separator: " ")
        let entry = try #require(try KeyLogEntry(line: line))
        #expect(entry.initiatorID == nil && entry.aesSecret == [UInt8](repeating: 0xab, count: 32))
        #expect(throws: HandshakeError.invalidKeyLog) { try KeyLogEntry(line: "RLPX_SESSION 00") }
        #expect(try KeyLogEntry(line: "# a comment") == nil)
    }

    /// A key log may hold discv5 sessions too: their lines are skipped, other labels are still refused.
    @Test func discv5LinesAreSkipped() throws {
        let discv5 = "DISCV5_SESSION " + [32, 32, 16, 16].map { String(repeating: "cd", count: $0) }.joined(separator: " ")
        #expect(try KeyLogEntry(line: discv5) == nil)
        #expect(throws: HandshakeError.invalidKeyLog) { try KeyLogEntry(line: "OTHER_SESSION 00") }
    }
}
