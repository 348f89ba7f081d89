// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCapture
import RLPxConformance
import RLPxTestSupport
import Testing

/// Every capture under Vectors/captures (recorded by Tools/record-captures.sh from real sessions over loopback:
/// Swift and trinity in both directions, snappy on and off, and peers breaking rules on purpose) replays to exactly
/// the findings committed beside it. The recordings carry eth codes with filler payloads, so the RLPx-layer rules
/// are the ones whose findings are committed (the eth rules would rightly flag the filler).
@Suite struct CommittedCaptureTests {
    static var names: [String] {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func theRecordedSetIsPresent() throws {
        #expect(Self.names.count == 15)
    }

    @Test(arguments: names) func replaysToTheCommittedFindings(name: String) throws {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        let keyLog = String(decoding: try Vectors.projectData("captures/\(name)/keylog.txt"), as: UTF8.self)
        let expected = try #require(try Vectors.project("captures/\(name)/expected-findings.json") as? [String: Any])
        let report = try ConformanceReport.run(capture: directory.appendingPathComponent("capture.pcap").path, keyLogText: keyLog, rules: baseRules)
        #expect(report.connections.map(\.status) == expected["connections"] as? [String])
        let findings = Set(report.findings.filter { $0.severity != .informational }.map { [$0.ruleID, $0.side?.rawValue ?? ""] })
        let wanted = Set(try #require(expected["findings"] as? [[String]]))
        #expect(findings == wanted, "\(report.findings)")
        #expect(!report.transcript.isEmpty, "decrypted and decoded")
    }
}
