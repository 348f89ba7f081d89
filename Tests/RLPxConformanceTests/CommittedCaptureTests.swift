// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCapture
import RLPxConformance
import RLPxTestSupport
import Testing

/// Every capture under Vectors/captures (recorded by Tools/record-captures.sh from real sessions over loopback:
/// Swift and trinity in both directions, snappy on and off, and peers breaking rules on purpose) replays to exactly
/// the findings committed beside it, with every rule: the peers speak valid eth (or random payloads on a protocol of
/// their own), so a clean capture has no finding and a fault capture the one it was recorded for.
@Suite struct CommittedCaptureTests {
    static var names: [String] { Vectors.rlpxCaptures }

    @Test func theRecordedSetIsPresent() throws {
        #expect(Self.names.count == 15)
    }

    /// The replay blocks: it runs off the shared pool, which the suite's other tests need.
    @Test(arguments: names) func replaysToTheCommittedFindings(name: String) async throws {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        let keyLog = String(decoding: try Vectors.projectData("captures/\(name)/keylog.txt"), as: UTF8.self)
        let expected = try #require(try Vectors.project("captures/\(name)/expected-findings.json") as? [String: Any])
        let path = directory.appendingPathComponent("capture.pcap").path
        let report = try await Tool.detached { try ConformanceReport.run(capture: path, keyLogText: keyLog, rules: RuleRegistry.all) }
        #expect(report.connections.map(\.status.rawValue) == expected["connections"] as? [String])
        let findings = Set(report.findings.filter { $0.severity != .informational }.map { [$0.ruleID, $0.side?.rawValue ?? ""] })
        let wanted = Set(try #require(expected["findings"] as? [[String]]))
        #expect(findings == wanted, "\(report.findings)")
        #expect(!report.transcript.isEmpty, "decrypted and decoded")
    }
}

extension CommittedCaptureTests {
    /// Progress counts what the replay read: it only grows, and its last report is the whole capture, every
    /// message of the transcript and the one connection.
    @Test func progressEndsOnTheTotals() throws {
        let name = "swift-swift-v5"
        let path = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)/capture.pcap").path
        let keyLog = String(decoding: try Vectors.projectData("captures/\(name)/keylog.txt"), as: UTF8.self)
        var reports: [ReplayProgress] = []
        var messages = 0
        _ = try ConformanceReport.replay(
            capture: path, keyLogText: keyLog, jobs: 2, progress: { reports.append($0) }, transcript: .entries { _ in messages += 1 },
            findings: { _ in })
        let last = try #require(reports.last)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(last.bytes > size * 9 / 10 && last.bytes <= size)
        #expect(last.messages == messages && messages > 0)
        #expect(last.connections == 1)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytes <= $1.bytes && $0.messages <= $1.messages })
    }
}
