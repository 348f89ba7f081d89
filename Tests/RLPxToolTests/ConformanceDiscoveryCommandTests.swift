// SPDX-License-Identifier: Apache-2.0
import Discovery
import Foundation
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `rlpx-tool conformance` on discovery traffic: a discv4 packet with a wrong hash is a breach in JSON Lines, on
/// connection 0 with no side.
@Suite struct ConformanceDiscoveryCommandTests {
    @Test func aWrongDiscv4HashIsABreachInJSONLines() async throws {
        var random = SeededRandom(seed: 9)
        let key = Secp256k1.PrivateKey.random(using: &random)
        let endpoint = Discv4.Endpoint(ip: [127, 0, 0, 1], udp: 30303, tcp: 30303)
        var bytes = Discv4Packet(message: .ping(.init(from: endpoint, to: endpoint, expiration: 4_000_000_000)), key: key).bytes
        bytes[1] ^= 1
        var writer = PcapWriter(link: .ethernet)
        writer.datagram(time: 1_800_000_000, source: ([127, 0, 0, 1], 30301), destination: ([127, 0, 0, 1], 30303), payload: bytes)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("discv4-\(UInt64.random(in: 0...UInt64.max)).pcap")
        try writer.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await Tool.runDetached(["conformance", file.path, "--format", "jsonl"])
        #expect(run.status == 1, "\(run.stderr)")
        let lines = try run.stdout.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let findings = lines.filter { $0["type"] as? String == "finding" }
        #expect(findings.count == 1)
        #expect(findings.first?["rule"] as? String == "discv4/packet" && findings.first?["connection"] as? Int == 0)
        #expect(findings.first?["side"] is NSNull)
        #expect((findings.first?["detail"] as? String)?.contains("hashMismatch") == true)
    }
}
