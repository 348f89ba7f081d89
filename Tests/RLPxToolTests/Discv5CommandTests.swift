// SPDX-License-Identifier: Apache-2.0
import Discv5
import Foundation
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// `rlpx-tool discv5 ping|resolve|test|crawl` against `discv5 listen` over loopback, with key logs on both sides.
@Suite struct Discv5CommandTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-discv5-\(name)-\(UInt64.random(in: 0...UInt64.max)).log")
    }

    @Test(.timeLimit(.minutes(5))) func discv5CommandsAgainstListen() async throws {
        let wait = String(Double(TestTime.scaled(.seconds(2)).components.seconds))
        let listenLog = Self.temporary("listen")
        let pingLog = Self.temporary("ping")
        defer { for file in [listenLog, pingLog] { try? FileManager.default.removeItem(at: file) } }
        let (process, lines) = try Tool.start(
            ["discv5", "listen", "--port", "0", "--duration", "600", "--keylog", listenLog.path], until: "enode://")
        defer { process.terminate() }
        let record = try #require(lines.first { $0.hasPrefix("enr:") })
        let enode = try #require(lines.first { $0.hasPrefix("enode://") })

        let ping = try await Tool.runDetached(["discv5", "ping", enode, "--timeout", wait, "--keylog", pingLog.path, "--format", "json"])
        #expect(ping.status == 0, "\(ping.stderr)")
        let pong = try #require(try JSONSerialization.jsonObject(with: Data(ping.stdout.utf8)) as? [String: Any])
        #expect((pong["to"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(pong["enrSeq"] as? Int == 2)

        let resolve = try await Tool.runDetached(["discv5", "resolve", enode, "--timeout", wait])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        #expect(resolve.stdout.split(separator: "\n").first.map(String.init) == record)

        // Both sides logged the ping's session with the same keys; the listener logged every session.
        let ours = try Discv5KeyLogEntry.parse(try String(contentsOf: pingLog, encoding: .utf8))
        let theirs = try Discv5KeyLogEntry.parse(try String(contentsOf: listenLog, encoding: .utf8))
        #expect(ours.count == 1)
        #expect(theirs.contains(try #require(ours.first)))
        #expect(theirs.count >= 2)

        let answer = String(Double(TestTime.scaled(.seconds(3)).components.seconds))
        let silence = String(Double(TestTime.scaled(.seconds(1)).components.seconds) / 3)
        let test = try await Tool.runDetached(["discv5", "test", record, "--timeout", answer, "--silence", silence])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("7 passed, 0 failed"))

        // The listener's table now holds the test's bystanders: a crawl lists records as JSON Lines.
        let crawl = try await Tool.runDetached(["discv5", "crawl", record, "--duration", "2", "--rate", "5", "--timeout", wait])
        #expect(crawl.status == 0, "\(crawl.stderr)")
        for line in crawl.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((object["enr"] as? String)?.hasPrefix("enr:") == true)
        }
    }

    @Test func aSilentNodeExitsOne() async throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [0x5c])
        let silent = "enode://\(Hex.encode(key.publicKey.nodeID))@127.0.0.1:9"
        let ping = try await Tool.runDetached(["discv5", "ping", silent, "--timeout", "0.3"])
        #expect(ping.status == 1, "\(ping.stderr)")
        let bad = try await Tool.runDetached(["discv5", "ping", "enr:not*base64"])
        #expect(bad.status == 64)
        let huge = try await Tool.runDetached(["discv5", "crawl", silent, "--duration", "1e300"])
        #expect(huge.status == 64)
    }
}
