// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import Foundation
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `rlpx-tool decode --discv4` and `--discv5 --node-id` (with and without a key log).
@Suite struct DecodeDiscoveryTests {
    static func ping() -> Discv4Packet {
        var random = SeededRandom(seed: 44)
        let key = Secp256k1.PrivateKey.random(using: &random)
        let endpoint = Discv4.Endpoint(ip: [127, 0, 0, 1], udp: 30303, tcp: 30303)
        return Discv4Packet(message: .ping(.init(from: endpoint, to: endpoint, expiration: 1_800_000_000, enrSeq: 3)), key: key)
    }

    @Test func aDiscv4PingPrintsItsFields() async throws {
        let packet = Self.ping()
        let run = try await Tool.runDetached(["decode", "--discv4", Hex.encode(packet.bytes)])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "discv4 PING/v4")
        #expect(lines.contains("  sender \(Hex.encode(packet.senderID.bytes))"))
        #expect(lines.contains("  expiration 1800000000") && lines.contains("  enr-seq 3"))
        let json = try await Tool.runDetached(["decode", "--discv4", "--format", "json", Hex.encode(packet.bytes)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["packet"] as? String == "discv4 PING/v4" && object["hash"] as? String == Hex.encode(packet.hash))
    }

    @Test func aDiscv4PacketWithAWrongHashIsBadInput() async throws {
        var bytes = Self.ping().bytes
        bytes[3] ^= 1
        let run = try await Tool.runDetached(["decode", "--discv4", Hex.encode(bytes)])
        #expect(run.status == 1)
        #expect(run.stderr.contains("hashMismatch at offset 0"), "\(run.stderr)")
    }

    @Test func aDiscv5HeaderUnmasksAndItsMessageOpensWithTheKeyLog() async throws {
        let (source, destination) = ([UInt8](repeating: 0xaa, count: 32), [UInt8](repeating: 0xbb, count: 32))
        let keys = SessionKeys(initiatorKey: [UInt8](repeating: 1, count: 16), recipientKey: [UInt8](repeating: 2, count: 16))
        let packet = try Packet.sealing(
            .ping(Ping(requestID: RequestID(5), enrSeq: 9)), maskingIV: [UInt8](repeating: 3, count: 16), nonce: [UInt8](repeating: 4, count: 12),
            authData: .ordinary(sourceID: source), key: keys.initiatorKey)
        let hex = Hex.encode(try packet.encoded(destinationID: destination))
        let header = try await Tool.runDetached(["decode", "--discv5", hex, "--node-id", Hex.encode(destination)])
        #expect(header.status == 0, "\(header.stderr)")
        #expect(header.stdout.hasPrefix("discv5 ordinary\n"), "\(header.stdout)")
        #expect(header.stdout.contains("  src-id \(Hex.encode(source))\n"))
        #expect(header.stdout.contains("  message-size ") && !header.stdout.contains("  message PING"))
        let keyLog = FileManager.default.temporaryDirectory.appendingPathComponent("discv5-\(UInt64.random(in: 0...UInt64.max)).txt")
        try Data((Discv5KeyLogEntry(initiatorID: source, recipientID: destination, keys: keys).line + "\n").utf8).write(to: keyLog)
        defer { try? FileManager.default.removeItem(at: keyLog) }
        let full = try await Tool.runDetached(["decode", "--discv5", hex, "--node-id", Hex.encode(destination), "--keylog", keyLog.path])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.contains("  message PING\n") && full.stdout.contains("  enr-seq 9\n"), "\(full.stdout)")
        let wrong = try await Tool.runDetached(["decode", "--discv5", hex, "--node-id", Hex.encode(source)])
        #expect(wrong.status == 1 && wrong.stderr.contains("wrongProtocolID"), "\(wrong.stderr)")
        #expect(try await Tool.runDetached(["decode", "--discv5", hex]).status == 64)
    }
}
