// SPDX-License-Identifier: Apache-2.0
import Discovery
import Foundation
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `ping`, `send`, `load` and `probe` take a node record (`enr:…`) wherever they take an enode URL: its signature is
/// verified and its IP address and TCP port are where they connect.
@Suite struct NodeRecordArgumentTests {
    static let keyBytes = [UInt8](repeating: 0x42, count: 32)

    /// A record signed by `key` with the given IPv4 address and TCP port (each left out when nil).
    static func record(_ key: Secp256k1.PrivateKey, ip: [UInt8]?, tcp: UInt16?) throws -> String {
        var pairs: [ENR.Pair] = []
        if let ip { pairs.append(ENR.Pair(key: Array("ip".utf8), value: RLPWriter.encode { $0.write(bytes: ip) })) }
        if let tcp { pairs.append(ENR.Pair(key: Array("tcp".utf8), value: RLPWriter.encode { $0.write(integer: tcp) })) }
        return try ENR.signed(seq: 1, pairs: pairs, key: key).text
    }

    @Test func pingTakesANodeRecord() async throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: Self.keyBytes)
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-record-key-\(UInt32.random(in: 0...UInt32.max))")
        try (Self.keyBytes.map { String(format: "%02x", $0) }.joined() + "\n").write(to: keyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let (server, enode) = try PingCommandTests.serve(["--cap", "eth/69", "--nodekey", keyFile.path])
        defer { server.stop() }
        let port = try #require(UInt16(enode.split(separator: ":").last ?? ""), "\(enode)")

        let record = try Self.record(key, ip: [127, 0, 0, 1], tcp: port)
        let run = try await Tool.runDetached(["ping", record])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("round trip  "), "\(run.stdout)")

        // No TCP port: nothing to connect to, which is bad usage, as is a record whose signature does not verify.
        let noPort = try await Tool.runDetached(["ping", try Self.record(key, ip: [127, 0, 0, 1], tcp: nil)])
        #expect(noPort.status == 64 && noPort.stderr.contains("no IP address and TCP port"), "\(noPort.stderr)")
        let signed = try ENR(text: record)
        var signature = signed.signature
        signature[0] ^= 1
        let forged = ENR(signature: signature, seq: signed.seq, pairs: signed.pairs)
        let bad = try await Tool.runDetached(["send", forged.text, "--cap", "eth/69"])
        #expect(bad.status == 64 && bad.stderr.contains("not a valid node record"), "\(bad.stderr)")
    }
}
