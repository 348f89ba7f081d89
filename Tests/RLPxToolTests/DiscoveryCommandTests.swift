// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `rlpx-tool enr` on EIP-778's example and eth-enr's records; `rlpx-tool discv4` against `discv4 listen`.
@Suite struct DiscoveryCommandTests {
    static let example =
        "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8"

    static func vectors() throws -> [String: Any] {
        try #require(try Vectors.project("discovery/enr.json") as? [String: Any])
    }

    @Test func theEIPExamplePrintsEveryFieldAndItsEnode() throws {
        let run = try Tool.run(["enr", Self.example])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("signature valid (v4)"))
        #expect(lines.contains("node id 0xa448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7"))
        #expect(lines.contains("  ip 127.0.0.1") && lines.contains("  udp 30303") && lines.contains("  id v4"))
        #expect(lines.contains { $0.hasPrefix("enode enode://ca634cae0d49acb4") && $0.hasSuffix("@127.0.0.1:0?discport=30303") })
    }

    @Test func jsonCarriesEthENRsFieldsAndHexAndFilesWork() throws {
        let record = try #require((try Self.vectors()["valid"] as? [[String: Any]])?.first { $0["name"] as? String == "every-key" })
        let rlp = try #require(record["rlp"] as? String)
        let run = try Tool.run(["enr", "--format", "json", rlp])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["text"] as? String == record["text"] as? String)
        #expect(json["nodeId"] as? String == "0x" + (record["nodeId"] as? String ?? ""))
        #expect(json["signatureValid"] as? Bool == true)
        let fields = try #require(json["fields"] as? [String: String])
        #expect(fields["ip6"] == "fe80::1:2:3:4" && fields["udp6"] == "30306" && fields["snap"] == "present")
        #expect(fields["eth"] == "forkHash 0x00000000 forkNext 18446744073709551615")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UInt64.random(in: 0...UInt64.max)).txt")
        try Data((record["text"] as? String ?? "").utf8).write(to: file)
        #expect(try Tool.run(["enr", file.path]).status == 0)
    }

    @Test func aBadSignatureOrBadTextExitsOne() throws {
        let malformed = try #require(try Self.vectors()["malformed"] as? [[String: Any]])
        let badSignature = try #require(malformed.first { $0["name"] as? String == "bad-signature" }?["text"] as? String)
        let run = try Tool.run(["enr", badSignature])
        #expect(run.status == 1)
        #expect(run.stdout.contains("signature INVALID"))
        let bad = try Tool.run(["enr", "--json", "enr:not*base64"])
        #expect(bad.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
        #expect((json["error"] as? [String: Any])?["code"] as? String == "invalidText")
    }

    @Test(.timeLimit(.minutes(5))) func discv4CommandsAgainstListen() async throws {
        let wait = String(Double(TestTime.scaled(.seconds(2)).components.seconds))
        let (process, lines) = try Tool.start(["discv4", "listen", "--port", "0", "--duration", "600"], until: "enode://")
        defer { process.terminate() }
        let record = try #require(lines.first { $0.hasPrefix("enr:") })
        let enode = try #require(lines.first { $0.hasPrefix("enode://") })
        let ping = try await Tool.runDetached(["discv4", "ping", enode, "--timeout", wait])
        #expect(ping.status == 0, "\(ping.stderr)")
        #expect(ping.stdout.hasPrefix("pong from 127.0.0.1:"))
        let resolve = try await Tool.runDetached(["discv4", "resolve", record, "--timeout", wait])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(resolve.stdout.split(separator: "\n").first.map(String.init) == record)
        let answer = String(Double(TestTime.scaled(.seconds(3)).components.seconds))
        let silence = String(Double(TestTime.scaled(.seconds(1)).components.seconds) / 3)
        let test = try await Tool.runDetached(["discv4", "test", record, "--timeout", answer, "--silence", silence])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("15 passed, 0 failed"))
    }

    /// A crawl's waits end with its --duration, however long --timeout is; its bounds must be positive.
    @Test(.timeLimit(.minutes(2))) func aCrawlEndsAtItsDuration() async throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32)).publicKey.description
        let silent = "enode://\(key)@127.0.0.1:9"
        let started = ContinuousClock.now
        let run = try await Tool.runDetached(["discv4", "crawl", silent, "--duration", "1", "--timeout", "60"])
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1) && elapsed < TestTime.scaled(.seconds(10)), "\(elapsed)")
        #expect(run.status == 1 && run.stdout.isEmpty, "\(run.stderr)")
        for bad in [["--rate", "0"], ["--duration", "0"], ["--limit", "0"]] {
            #expect(try await Tool.runDetached(["discv4", "crawl", silent] + bad).status == 64, "\(bad)")
        }
    }
}
