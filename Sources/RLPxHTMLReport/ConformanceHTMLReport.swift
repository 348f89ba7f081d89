// SPDX-License-Identifier: Apache-2.0
import RLPxCapture
import RLPxConformance
import RLPxEvents

/// The HTML report of a conformance run: one self-contained page (inline style, script and SVG) with the summary
/// (connections, messages per protocol and name, findings per rule and severity, message rates), filters, and a
/// ladder per connection whose steps open to their decoded fields and bytes. It runs the rules itself, on the
/// events in the order each connection raised them, so every finding sits on the step that raised it.
public struct ConformanceHTMLReport {
    private var engine: RuleEngine
    private var recorder: LadderRecorder
    private let descriptors: [RuleDescriptor]
    private let title: String
    /// The command that made the report, for the note on how to see what it left out.
    private let rerun: String
    /// Connections drawn at most in the connections table.
    static let connectionRows = 1000
    /// Findings on discovery datagrams (no connection, no ladder): listed in a section of their own.
    private var discoveryFindings: [Finding] = []
    private var discoveryCounts: [String: [Severity: Int]] = [:]

    /// - Parameters:
    ///   - rules: the rules to run (run here, not by the replay).
    ///   - rerun: the command line that replays the same capture (`rlpx-tool conformance capture.pcap --keylog …`).
    public init(
        rules: [any ConnectionRule.Type], configuration: RuleConfiguration = RuleConfiguration(), budget: ReportBudget = ReportBudget(),
        title: String, rerun: String
    ) {
        engine = RuleEngine(rules: rules, configuration: configuration)
        recorder = LadderRecorder(budget: budget)
        descriptors = rules.map { $0.descriptor }
        self.title = title
        self.rerun = rerun
    }

    /// Sets the capture's start (times are shown from it).
    public mutating func start(at time: Double) { recorder.start(at: time) }

    /// Reads one event (each connection's in order) and returns the findings the rules raised on it.
    public mutating func consume(_ event: ConnectionEvent) -> [Finding] {
        let found = engine.consume(event)
        recorder.record(event, findings: found)
        return found
    }

    /// Draws one event with the findings rules run elsewhere raised on it (a live session's engine).
    public mutating func record(_ event: ConnectionEvent, findings: [Finding]) {
        recorder.record(event, findings: findings)
    }

    /// Adds a finding on discovery traffic, which the replay's discovery rules raised (counted always, listed up to
    /// the budget's findings).
    public mutating func add(discoveryFinding finding: Finding) {
        discoveryCounts[finding.ruleID, default: [:]][finding.severity, default: 0] += 1
        if discoveryFindings.count < recorder.budget.findings { discoveryFindings.append(finding) }
    }

    /// The page, once the replay has ended.
    public mutating func render(connections: [ConnectionSummary]) -> String {
        let ladders = recorder.finish()
        var page = HTMLPage()
        for rule in descriptors { page.rules[rule.id] = rule }
        let base = page.reserveFindings(recorder.findings.count)
        var body = "<h2 id=\"ladders\">Connections</h2>\n"
        if ladders.isEmpty { body += "<p>No connection has a step to draw (no RLPx session was decrypted).</p>\n" }
        for ladder in ladders {
            body += page.ladder(ladder, findings: recorder.findings, base: base, origin: recorder.origin, title: "connection \(ladder.connection)")
        }
        if !discoveryFindings.isEmpty {
            let first = page.reserveFindings(discoveryFindings.count)
            body += "<h2 id=\"discovery\">Discovery</h2>\n<ol class=\"findings\">\n"
            for (index, finding) in discoveryFindings.enumerated() { body += page.findingItem(finding, number: first + index, step: nil) }
            body += "</ol>\n"
        }
        return page.document(title: title, summary: summary(connections, ladders: ladders, page: page), body: body)
    }

    private func summary(_ connections: [ConnectionSummary], ladders: [Ladder], page: HTMLPage) -> String {
        var out = "<h2 id=\"summary\">Summary</h2>\n"
        let statuses = Dictionary(grouping: connections, by: \.status.rawValue).mapValues(\.count)
        let counts = recorder.findingCounts.merging(discoveryCounts) { $0.merging($1, uniquingKeysWith: +) }
        let totals = Severity.allCases.map { severity in counts.values.reduce(0) { $0 + ($1[severity] ?? 0) } }
        out += "<p><b>\(HTMLText.count(connections.count))</b> connection\(connections.count == 1 ? "" : "s") ("
        out += statuses.sorted { $0.key < $1.key }.map { "\($0.value) \(HTMLText.escape($0.key))" }.joined(separator: ", ") + "), "
        out += "<b>\(HTMLText.count(recorder.messages))</b> messages, findings: "
        out +=
            zip(Severity.allCases, totals).map { "<span class=\"badge sev-\($0.rawValue)\">\(HTMLText.count($1)) \($0.rawValue)</span>" }
            .joined(separator: " ") + ".</p>\n"
        if let undecrypted = ReportWriter.undecryptedText(connections) { out += "<p class=\"note\">\(HTMLText.escape(undecrypted)).</p>\n" }
        out += omissions(ladders)
        out += "<h3>Findings per rule and severity</h3>\n" + page.rulesTable(descriptors, counts: counts)
        out += "<h3>Messages per protocol</h3>\n"
        out += HTMLPage.countTable(["protocol"], recorder.messagesPerProtocol.map { ([$0.key], $0.value) })
        out += "<details><summary>Messages per name</summary>\n"
        out += HTMLPage.countTable(["protocol", "message"], recorder.messagesPerName.map { ([$0.key.protocolLabel, $0.key.name], $0.value) })
        out += "</details>\n<h3>Message rate</h3>\n" + HTMLPage.timeline(recorder.timeline)
        out +=
            "<h3>Connections</h3>\n<table><tr><th>#</th><th>initiator</th><th>recipient</th><th>status</th><th>steps</th><th>findings</th><th>ladder</th></tr>\n"
        let drawn = Set(ladders.map(\.connection))
        for connection in connections.prefix(Self.connectionRows) {
            out += "<tr><td>\(connection.id)</td><td>\(HTMLText.escape(connection.initiator.description))</td>"
            out += "<td>\(HTMLText.escape(connection.recipient.description))</td><td>\(HTMLText.escape(connection.status.rawValue))</td>"
            out += "<td class=\"n\">\(HTMLText.count(recorder.stepsPerConnection[connection.id] ?? 0))</td>"
            out += "<td class=\"n\">\(HTMLText.count(recorder.findingsPerConnection[connection.id] ?? 0))</td><td>"
            out += drawn.contains(connection.id) ? "<a href=\"#c-connection_\(connection.id)\">ladder</a>" : "not drawn"
            out += "</td></tr>\n"
        }
        if connections.count > Self.connectionRows {
            out +=
                "<tr><td colspan=\"7\">… \(HTMLText.count(connections.count - Self.connectionRows)) more connections (every one is in --format jsonl)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// What the report left out, and the commands that show it.
    private func omissions(_ ladders: [Ladder]) -> String {
        let steps = recorder.stepsPerConnection.values.reduce(0, +)
        let drawnSteps = ladders.reduce(0) { $0 + $1.steps.count }
        let budget = recorder.budget
        var out = "<div class=\"note\" id=\"omissions\"><p>Drawn: \(HTMLText.count(drawnSteps)) of \(HTMLText.count(steps)) steps, "
        out += "in \(ladders.count) ladder\(ladders.count == 1 ? "" : "s"); every count above is complete.</p>"
        if drawnSteps < steps {
            out += "<p>Left out: the middle of long connections (each ladder keeps its first and last \(budget.edge) steps and "
            out += "\(budget.neighbourhood) on either side of every finding, marked ⋯ where steps were skipped)"
            if recorder.stepsPerConnection.count > ladders.count { out += ", and connections without findings past the first \(budget.ladders)" }
            out += ". To draw one connection, replay it alone: <code>\(HTMLText.escape(rerun)) --connection N --format html</code>.</p>"
        }
        if recorder.undrawnFindings > 0 {
            out += "<p>\(HTMLText.count(recorder.undrawnFindings)) findings past the first \(budget.findings) are counted but not drawn: "
            out += "select them with <code>\(HTMLText.escape(rerun)) --run 'RULE' --connection N --format html</code>, "
            out += "or list them all with <code>--format jsonl</code>.</p>"
        }
        return out + "</div>\n"
    }
}
