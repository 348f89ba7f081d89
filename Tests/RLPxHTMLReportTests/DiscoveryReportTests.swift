// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxHTMLReport
import Testing

/// Findings on discovery datagrams have no connection to draw: the page lists them in a section of their own and
/// counts them with the rest.
@Suite struct DiscoveryReportTests {
    @Test func discoveryFindingsAreListedAndCounted() {
        var report = ConformanceHTMLReport(rules: RuleRegistry.all, title: "capture", rerun: "rlpx-tool conformance capture.pcap")
        report.add(
            discoveryFinding: Finding(
                ruleID: "discv4/packet", severity: .breach, connection: 0, side: nil, time: 1,
                detail: "127.0.0.1:30301 → 127.0.0.1:30302: hashMismatch: <bad>"))
        let page = report.render(connections: [])
        #expect(page.contains("<h2 id=\"discovery\">Discovery</h2>"))
        #expect(page.contains("hashMismatch: &lt;bad&gt;"))
        #expect(page.contains("1 breach</span>"))
        var empty = ConformanceHTMLReport(rules: RuleRegistry.all, title: "c", rerun: "r")
        #expect(!empty.render(connections: []).contains("id=\"discovery\""))
    }
}
