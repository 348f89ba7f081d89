// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `rlpx-tool conformance` exit codes on committed captures.
@Suite struct ConformanceCommandTests {
    func capture(_ name: String) -> (String, String) {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        return (directory.appendingPathComponent("capture.pcap").path, directory.appendingPathComponent("keylog.txt").path)
    }

    @Test func exitCodesSayWhatHappened() async throws {
        let (clean, cleanKeys) = capture("swift-swift-v5")
        // The recording speaks valid eth: every rule finds nothing to breach.
        let all = try await Tool.runDetached(["conformance", clean, "--keylog", cleanKeys])
        #expect(all.status == 0 && all.stdout.contains("0 breaches,"), "\(all.stdout)")
        #expect(try await Tool.runDetached(["conformance", clean, "--run", "("]).status == 64, "not a regular expression")
        #expect(try await Tool.runDetached(["conformance", clean, "--run", "nothing-matches"]).status == 2, "selects no rule")
        let (broken, brokenKeys) = capture("fault-bad-mac")
        let run = try await Tool.runDetached(["conformance", broken, "--keylog", brokenKeys, "--format", "tap"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("not ok 6 - frame/mac"))
        #expect(try await Tool.runDetached(["conformance", broken, "--keylog", brokenKeys, "--run", "mux"]).status == 0, "--run selects rules")
        #expect(try await Tool.runDetached(["conformance", "/nonexistent.pcap"]).status == 2)
        // A capture that cannot be read (missing, or not a capture) leaves no partial report behind, in any format.
        for format in ["text", "json", "jsonl", "tap", "junit"] {
            for unreadable in ["/nonexistent.pcap", cleanKeys] {
                let failed = try await Tool.runDetached(["conformance", unreadable, "--keylog", cleanKeys, "--format", format])
                #expect(failed.status == 2 && failed.stdout.isEmpty, "\(format) on \(unreadable): \(failed.stdout)")
                #expect(failed.stderr.hasPrefix("error: cannot read capture"), "\(failed.stderr)")
            }
        }
        #expect(try await Tool.runDetached(["conformance", clean, "--keylog", clean]).status == 2, "a capture is not a key log")
    }

    /// A genesis file that cannot be used is unusable input (2), as a capture or key log is; broken JSON says where.
    @Test func anUnusableGenesisIsExit2() async throws {
        let (clean, cleanKeys) = capture("swift-swift-v5")
        let missing = try await Tool.runDetached(["conformance", clean, "--keylog", cleanKeys, "--genesis", "/nonexistent.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: cannot read genesis file /nonexistent.json: no such file\n")
        #expect(missing.stdout.isEmpty)
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("genesis-\(UInt64.random(in: 0...UInt64.max)).json")
        try Data("{\n  \"config\": {\n    \"chainId\": 1,,\n  }\n}\n".utf8).write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let run = try await Tool.runDetached(["conformance", clean, "--keylog", cleanKeys, "--genesis", broken.path])
        #expect(run.status == 2)
        #expect(run.stderr == "error: \(broken.path): not JSON: line 3, column 18: invalid value\n")
    }

    /// Without the key log nothing is checked: the report says so, and that is no pass (2) unless accepted. A key
    /// log that misses some sessions is reported the same way, but what was checked decides the status.
    @Test func undecryptedSessionsAreNotAPass() async throws {
        let (clean, _) = capture("swift-swift-v5")
        let run = try await Tool.runDetached(["conformance", clean])
        #expect(run.status == 2)
        #expect(run.stdout.contains("\nnothing was checked: 1 of 1 RLPx session could not be decrypted (no key log line)\n"), "\(run.stdout)")
        #expect(run.stderr.hasPrefix("error: nothing was checked: 1 of 1 RLPx session could not be decrypted"), "\(run.stderr)")
        let allowed = try await Tool.runDetached(["conformance", clean, "--allow-undecrypted"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout == run.stdout)
        #expect(allowed.stderr.isEmpty)
        // Every other format runs the same check.
        #expect(try await Tool.runDetached(["conformance", clean, "--format", "jsonl"]).status == 2)
    }

    /// Text findings are printed once, as they happen.
    @Test func textFindingsArePrintedOnce() async throws {
        let (clean, cleanKeys) = capture("swift-swift-v5")
        let run = try await Tool.runDetached(["conformance", clean, "--keylog", cleanKeys])
        let json = try DecodeEthCommandTests.json(try await Tool.runDetached(["conformance", clean, "--keylog", cleanKeys, "--json"]).stdout)
        let expected = try #require(json["findings"] as? [Any]).count
        let lines = run.stdout.split(separator: "\n").filter { $0.contains(" eth/fork-id #") }  // one note a side: no --chain
        #expect(expected > 0 && lines.count == expected, "\(lines.count) lines for \(expected) findings")
        #expect(lines.allSatisfy { $0.hasPrefix("finding ") })
    }
}
