// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxConformance
import RLPxEvents
import RLPxMultiplexing
import RLPxProbe

/// The HTML report of a probe run: the node and the verdicts at the top, then one section per test with its
/// verdict, requirement, what it sends, the reactions that pass, what was observed, and the ladder of each of its
/// connections. The conformance rules run over each test's traffic too: a finding on the initiator's side is
/// usually the probe's own deliberate fault, one on the recipient's the node's.
public enum ProbeHTMLReport {
    /// What one test draws at most.
    public static let testBudget = ReportBudget(steps: 400, edge: 40, neighbourhood: 3, findings: 200, ladders: 20)

    /// The page; `results` must keep their events (`ProbeSuite.run` with `keepEvents: true`).
    public static func render(_ results: [ProbeResult], introduction: ProbeIntroduction?, target: String) -> String {
        var page = HTMLPage()
        let descriptors = RuleRegistry.all.map { $0.descriptor }
        for rule in descriptors { page.rules[rule.id] = rule }
        var body = "<h2 id=\"tests\">Tests</h2>\n"
        var findingCounts: [String: [Severity: Int]] = [:]
        var messagesPerProtocol: [String: Int] = [:]
        var messages = 0
        for result in results {
            var engine = RuleEngine()
            var recorder = LadderRecorder(budget: testBudget)
            for event in ordered(result.events) { recorder.record(event, findings: engine.consume(event)) }
            let ladders = recorder.finish()
            for (rule, counts) in recorder.findingCounts {
                for (severity, count) in counts { findingCounts[rule, default: [:]][severity, default: 0] += count }
            }
            for (label, count) in recorder.messagesPerProtocol { messagesPerProtocol[label, default: 0] += count }
            messages += recorder.messages
            body += section(result, ladders: ladders, recorder: recorder, page: &page)
        }
        var summary = "<h2 id=\"summary\">Summary</h2>\n<p>Node <code>\(HTMLText.escape(target))</code>"
        if let hello = introduction?.hello {
            summary += ": \(HTMLText.escape(TextClip.clip(hello.clientID))), p2p v\(hello.protocolVersion), "
            summary += "caps \(HTMLText.escape(hello.capabilities.map(\.description).joined(separator: ",")))"
        }
        summary += ".</p>\n"
        if let introduction {
            summary += "<p>Announcing: \(HTMLText.escape(introduction.announced.map(\.description).joined(separator: ", ")))</p>\n"
            for note in introduction.notes { summary += "<p class=\"note\">\(HTMLText.escape(note))</p>\n" }
        }
        summary +=
            "<p><b>\(results.count)</b> tests: "
            + Verdict.allCases.compactMap { verdict -> String? in
                let count = results.filter { $0.verdict == verdict }.count
                return count == 0 ? nil : "<span class=\"verdict v-\(verdict.rawValue)\">\(count) \(verdict.rawValue)</span>"
            }.joined(separator: " ") + "; \(HTMLText.count(messages)) messages.</p>\n"
        summary += "<table><tr><th>test</th><th>verdict</th><th>level</th><th>observed</th></tr>\n"
        for result in results {
            summary += "<tr><td><a href=\"#\(HTMLText.anchor("test", result.test.id))\">\(HTMLText.escape(result.test.id))</a></td>"
            summary += "<td><span class=\"verdict v-\(result.verdict.rawValue)\">\(result.verdict.rawValue)</span></td>"
            summary += "<td>\(result.test.level.rawValue)</td><td>\(HTMLText.escape(result.observed))</td></tr>\n"
        }
        summary += "</table>\n<h3>Messages per protocol</h3>\n"
        summary += HTMLPage.countTable(["protocol"], messagesPerProtocol.map { ([$0.key], $0.value) })
        summary += "<h3>Findings per rule and severity (the rules over every test's traffic)</h3>\n"
        summary += page.rulesTable(descriptors.filter { findingCounts[$0.id] != nil }, counts: findingCounts)
        return page.document(title: "RLPx probe: \(target)", summary: summary, body: body)
    }

    /// Events by connection, each connection's in the order it raised them.
    static func ordered(_ events: [ConnectionEvent]) -> [ConnectionEvent] {
        events.enumerated().sorted { ($0.element.connection, $0.offset) < ($1.element.connection, $1.offset) }.map(\.element)
    }

    private static func section(_ result: ProbeResult, ladders: [Ladder], recorder: LadderRecorder, page: inout HTMLPage) -> String {
        let test = result.test
        var out = "<section class=\"test\" id=\"\(HTMLText.anchor("test", test.id))\">\n"
        out += "<h3><span class=\"verdict v-\(result.verdict.rawValue)\">\(result.verdict.rawValue)</span> \(HTMLText.escape(test.id))</h3>\n"
        out += "<table class=\"requirement\">"
        out += "<tr><th>requirement</th><td>\(test.level.rawValue), \(HTMLText.escape(test.section))</td></tr>"
        out += "<tr><th>sends</th><td>\(HTMLText.escape(test.sends))</td></tr>"
        out += "<tr><th>passes (accepted reactions)</th><td>\(HTMLText.escape(test.passes))</td></tr>"
        out += "<tr><th>observed</th><td>\(HTMLText.escape(result.observed))</td></tr>"
        out += "<tr><th>seconds</th><td>\(HTMLText.seconds(result.seconds))</td></tr>"
        if let geth = test.gethName { out += "<tr><th>go-ethereum</th><td>\(HTMLText.escape(geth))</td></tr>" }
        out += "</table>\n"
        if ladders.isEmpty { out += "<p>No connection drawn (the test ran below the session, or made none).</p>\n" }
        let base = page.reserveFindings(recorder.findings.count)
        for ladder in ladders {
            out += page.ladder(ladder, findings: recorder.findings, base: base, origin: 0, title: "\(test.id) connection \(ladder.connection)")
        }
        return out + "</section>\n"
    }
}
