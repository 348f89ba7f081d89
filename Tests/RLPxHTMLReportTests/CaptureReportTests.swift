// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCapture
import RLPxConformance
import RLPxEvents
import RLPxHTMLReport
import RLPxTestSupport
import Testing

/// HTML reports of the committed captures: a ladder per decrypted connection, every finding of a plain run drawn on
/// a step and linked to its rule, nothing fetched from the network.
@Suite struct CaptureReportTests {
    static let captures = Vectors.rlpxCaptures

    /// The page for one committed capture, and the findings a plain run reports.
    static func report(_ name: String) throws -> (html: String, findings: [Finding], connections: [ConnectionSummary]) {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        let pcap = directory.appendingPathComponent("capture.pcap").path
        let keyLog = try String(contentsOf: directory.appendingPathComponent("keylog.txt"), encoding: .utf8)
        let plain = try ConformanceReport.run(capture: pcap, keyLogText: keyLog)
        let box = Box(ConformanceHTMLReport(rules: RuleRegistry.all, title: name, rerun: "rlpx-tool conformance \(name)"))
        let connections = try ConformanceReport.replay(
            capture: pcap, keyLogText: keyLog, rules: [], jobs: 2, started: { box.value.start(at: $0) },
            events: { _ = box.value.consume($0) }, transcript: nil, findings: { _ in })
        return (box.value.render(connections: connections), plain.findings, connections)
    }

    final class Box: @unchecked Sendable {
        var value: ConformanceHTMLReport
        init(_ value: ConformanceHTMLReport) { self.value = value }
    }

    static func count(_ text: String, _ pattern: String) -> Int {
        text.components(separatedBy: pattern).count - 1
    }

    /// The replays block: they run off the shared pool, which the suite's other tests need.
    @Test(arguments: CaptureReportTests.captures) func everyFindingIsDrawnAndLinked(_ name: String) async throws {
        let (html, findings, connections) = try await Tool.detached { try Self.report(name) }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let decrypted = connections.filter { $0.status.rawValue == "decrypted" }.count
        #expect(Self.count(html, "<svg class=\"ladder\"") == decrypted, "a ladder per decrypted connection")
        #expect(Self.count(html, "<li class=\"finding ") == findings.count, "every finding drawn once")
        for finding in findings {
            let anchor = "rule-" + finding.ruleID
            #expect(html.contains("href=\"#\(anchor)\""), "\(finding.ruleID) linked")
            #expect(html.contains("<tr id=\"\(anchor)\">"), "\(finding.ruleID) has its row")
            #expect(html.contains(">\(finding.ruleID)</a>"))
        }
        // Every finding sits on a step: its dot links to its entry, and its entry back to the step.
        #expect(Self.count(html, "<a href=\"#f-") == findings.count)
        #expect(Self.count(html, "class=\"goto\" href=\"#s-") == findings.count)
        // Self-contained: no external resource of any kind.
        for external in ["src=", "<link", "@import", "url(", "http://", "https://"] where external != "http://" {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http://") == false)
        // Every attribute is quoted once (a number quoted twice would end its attribute early).
        #expect(html.firstMatch(of: /=""[0-9.-]/) == nil)
    }
}
