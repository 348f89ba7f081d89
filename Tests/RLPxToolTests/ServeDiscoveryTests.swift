// SPDX-License-Identifier: Apache-2.0
import Discv5
import Foundation
import Keccak
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `serve --discovery v4`: its record (printed beside the enode), bootnodes, and go-ethereum's discv4 suite against it.
@Suite struct ServeDiscoveryTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-serve-\(name)-\(UInt64.random(in: 0...UInt64.max))")
    }

    /// A key file for the key of 32 bytes `byte`, and the node ID (hex) it gives.
    static func key(_ byte: UInt8) throws -> (file: String, id: String) {
        let hex = Hex.encode([UInt8](repeating: byte, count: 32))
        let file = temporary("key").path
        try Data((hex + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let publicKey = try Secp256k1.PrivateKey(rawRepresentation: Hex.decode(hex)).publicKey.nodeID
        return (file, Hex.encode(Keccak256.hash(publicKey)))
    }

    /// The `listening` object serve writes first with --format json, once it is there.
    static func listening(_ output: URL) async throws -> [String: Any] {
        #expect(await eventually(within: .seconds(60)) { !Tool.lines(of: output).isEmpty })
        let first = try #require(Tool.lines(of: output).first)
        return try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    }

    @Test func discoveryOptionsAreCheckedAsUsage() async throws {
        for (arguments, message) in [
            (["--discovery", "v5"], "discv5 runs beside discv4"),
            (["--discovery", "v6"], "--discovery takes"), (["--udp", "30303"], "go with --discovery"),
            (["--discovery", "v4", "--bootnodes", "enode://nothing"], "--bootnodes"), (["--discovery", "v4", "--udp", "70000"], "--udp"),
        ] {
            let run = try await Tool.runDetached(["serve", "--listen", "127.0.0.1:0"] + arguments)
            #expect(run.status == 64 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    /// A is the bootnode of B and C: B's table gets C (serve's "node-added" event), the record each prints carries its
    /// address and ports, and a crawl from A finds all three records.
    @Test(.timeLimit(.minutes(5))) func twoServersFindEachOtherThroughABootnodeAndACrawlFindsAll() async throws {
        let keys = try [0x61, 0x62, 0x63].map { try Self.key(UInt8($0)) }
        defer { for key in keys { try? FileManager.default.removeItem(atPath: key.file) } }
        let outputs = (0..<3).map { Self.temporary("out\($0)") }
        defer { for output in outputs { try? FileManager.default.removeItem(at: output) } }
        let base = ["serve", "--listen", "127.0.0.1:0", "--discovery", "v4", "--format", "json", "--nodekey"]
        let a = try Tool.start(base + [keys[0].file], output: outputs[0])
        defer { a.stop() }
        let listeningA = try await Self.listening(outputs[0])
        let recordA = try #require(listeningA["enr"] as? String)
        let enode = try #require(listeningA["enode"] as? String)
        #expect(recordA.hasPrefix("enr:-") && enode.hasPrefix("enode://"), "\(listeningA)")
        let decoded = try await Tool.runDetached(["enr", "--format", "json", recordA])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
        #expect(json["signatureValid"] as? Bool == true && json["nodeId"] as? String == "0x" + keys[0].id)
        let fields = try #require(json["fields"] as? [String: String])
        #expect(fields["ip"] == "127.0.0.1" && fields["udp"] != nil && enode.hasSuffix(":" + (fields["tcp"] ?? "none")), "\(fields) \(enode)")
        let b = try Tool.start(base + [keys[1].file, "--bootnodes", recordA], output: outputs[1])
        defer { b.stop() }
        let c = try Tool.start(base + [keys[2].file, "--bootnodes", enode + "?discport=\(fields["udp"] ?? "")"], output: outputs[2])
        defer { c.stop() }
        let added = "\"event\":\"node-added\",\"id\":\"\(keys[2].id)\""
        let found = await eventually(within: .seconds(60)) { Tool.lines(of: outputs[1]).contains { $0.contains(added) } }
        #expect(found, "\(Tool.lines(of: outputs[1]).suffix(20))")
        #expect(Tool.lines(of: outputs[1]).contains { $0.contains("\"event\":\"discv4\"") })
        let wait = String(Double(TestTime.scaled(.seconds(2)).components.seconds))
        let crawl = try await Tool.runDetached(["discv4", "crawl", recordA, "--duration", "60", "--rate", "20", "--timeout", wait])
        #expect(crawl.status == 0, "\(crawl.stderr)")
        let nodes = crawl.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(Set(nodes.compactMap { $0["id"] as? String }).isSuperset(of: keys.map(\.id)), "\(crawl.stdout)\(crawl.stderr)")
        let first = try #require(nodes.first { $0["id"] as? String == keys[0].id })
        #expect(first["enr"] as? String == recordA && first["ip"] as? String == "127.0.0.1" && first["seq"] as? String == "1")
        #expect(first["udp"] as? Int == Int(fields["udp"] ?? "") && first["tcp"] as? Int == Int(fields["tcp"] ?? "") && first["firstSeen"] is String)
        #expect(crawl.stderr.contains("queried"))
    }

    /// go-ethereum's 15 discv4 tests and 7 discv5 tests pass against serve (both protocols on one socket), serving a
    /// chain puts its fork ID (and snap) in the record, and --keylog gets a line per discv5 session.
    @Test(.timeLimit(.minutes(5))) func theDiscoverySuitesPassAgainstServe() async throws {
        let data = Vectors.sharedDirectory.appendingPathComponent("ethtest")
        let output = Self.temporary("suite")
        let keyLog = Self.temporary("keylog")
        defer { for file in [output, keyLog] { try? FileManager.default.removeItem(at: file) } }
        let server = try Tool.start(
            [
                "serve", "--eth", "--listen", "127.0.0.1:0", "--discovery", "v4,v5", "--keylog", keyLog.path, "--genesis",
                data.appendingPathComponent("genesis.json").path, "--chain-file", data.appendingPathComponent("chain.rlp").path,
            ], output: output)
        defer { server.stop() }
        #expect(await eventually(within: .seconds(120)) { Tool.lines(of: output).count > 2 })
        let lines = Tool.lines(of: output)
        #expect(lines.first?.hasPrefix("enode://") == true)
        let record = try #require(lines.dropFirst().first, "\(lines)")
        #expect(record.hasPrefix("enr:-"))
        let decoded = try await Tool.runDetached(["enr", "--format", "json", record])
        let fields = try #require(
            (try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])?["fields"] as? [String: String])
        #expect(fields["eth"] == "forkHash 0x377aaa78 forkNext 0" && fields["snap"] == "present", "\(fields)")
        let answer = String(Double(TestTime.scaled(.seconds(3)).components.seconds))
        let silence = String(Double(TestTime.scaled(.seconds(1)).components.seconds) / 3)
        let test = try await Tool.runDetached(["discv4", "test", record, "--timeout", answer, "--silence", silence])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("15 passed, 0 failed"))
        let v5 = try await Tool.runDetached(["discv5", "test", record, "--timeout", answer, "--silence", silence])
        #expect(v5.status == 0 && v5.stdout.contains("7 passed, 0 failed"), "\(v5.stdout)\(v5.stderr)")
        let sessions = try Discv5KeyLogEntry.parse(String(contentsOf: keyLog, encoding: .utf8))
        #expect(!sessions.isEmpty)
    }
}
