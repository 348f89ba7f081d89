// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxInspect

/// The parts every report page shares: its ladders' step details (shown on click), the findings numbered across
/// the page, the values the filters offer, and the frame around the body (style, script, filters, detail panel).
struct HTMLPage {
    /// Every drawn step's detail, by its number on the page (`data-k`).
    private(set) var details: [JSONValue] = []
    /// Findings drawn on the page so far (their `f-N` anchors count from 0).
    private(set) var findingCount = 0
    var ruleIDs: Set<String> = []
    var protocols: Set<String> = []
    var names: Set<String> = []
    /// The rules the page links findings to.
    var rules: [String: RuleDescriptor] = [:]

    /// Numbers `count` findings on the page (a recorder's): returns the number of the first.
    mutating func reserveFindings(_ count: Int) -> Int {
        findingCount += count
        return findingCount - count
    }

    /// One connection's ladder and the list of its findings. `findings` are the recorder's (steps hold indices into
    /// it), numbered on the page from `base` (``reserveFindings(_:)``).
    mutating func ladder(_ ladder: Ladder, findings: [Finding], base: Int, origin: Double, title: String) -> String {
        var svg = LadderSVG(origin: origin, findingBase: base, findings: findings)
        var out = "<section class=\"connection\" id=\"\(HTMLText.anchor("c", title))\">\n"
        out += "<h3>\(HTMLText.escape(title)): \(HTMLText.escape(ladder.initiator)) → \(HTMLText.escape(ladder.recipient))</h3>\n"
        out += "<p>\(HTMLText.count(ladder.total)) steps, \(HTMLText.count(ladder.steps.count)) drawn"
        if ladder.omitted > 0 { out += " (\(HTMLText.count(ladder.omitted)) left out: marked ⋯ where they were)" }
        if let first = ladder.firstTime, let last = ladder.lastTime {
            out += ", from +\(HTMLText.seconds(first - origin)) s to +\(HTMLText.seconds(last - origin)) s"
        }
        out += ".</p>\n"
        out += svg.render(ladder) { step in
            for index in step.findings { ruleIDs.insert(findings[index].ruleID) }
            if !step.protocolLabel.isEmpty { protocols.insert(step.protocolLabel) }
            names.insert(step.name)
            return addDetail(step, findings: step.findings.map { $0 + base })
        }
        let own = ladder.steps.flatMap(\.findings)
        if !own.isEmpty {
            out += "<ol class=\"findings\">\n"
            for index in own { out += findingItem(findings[index], number: base + index, step: svg.stepOfFinding[index]) }
            out += "</ol>\n"
        }
        return out + "</section>\n"
    }

    private mutating func addDetail(_ step: LadderStep, findings: [Int]) -> Int {
        let side = step.side.map { " · \($0.direction)" } ?? ""
        let title = [step.protocolLabel, step.name].filter { !$0.isEmpty }.joined(separator: " ") + " · \(step.size) B" + side
        details.append(
            .object([
                ("title", .string(title + (step.summary.isEmpty ? "" : " · " + step.summary))),
                ("tree", .string(step.tree)),
                ("hex", .string(step.hex + (step.hexClipped ? "\n… (\(step.size) bytes in all)" : ""))),
                ("findings", .array(findings.map { .int($0) })),
            ]))
        return details.count - 1
    }

    /// One finding: its severity, its rule (linked to the rule's statement and section), when, which side, what.
    func findingItem(_ finding: Finding, number: Int, step: Int?) -> String {
        let severity = finding.severity.rawValue
        var out = "<li class=\"finding sev-\(severity)\" id=\"f-\(number)\" data-rule=\"\(HTMLText.escape(finding.ruleID))\" "
        out += "data-sev=\"\(severity)\" data-side=\"\(finding.side?.rawValue ?? "")\">"
        out += "<span class=\"badge\">\(severity)</span> "
        out += "<a class=\"rule\" href=\"#\(HTMLText.anchor("rule", finding.ruleID))\">\(HTMLText.escape(finding.ruleID))</a> "
        if let rule = rules[finding.ruleID] { out += "<span class=\"section\">(\(HTMLText.escape(rule.section)))</span> " }
        out += "#\(finding.connection)" + (finding.side.map { " \($0.rawValue)" } ?? "") + ": \(HTMLText.escape(finding.detail))"
        if let step { out += " <a class=\"goto\" href=\"#s-\(step)\">↑ step</a>" }
        return out + "</li>\n"
    }

    /// The rules tables: the rules with findings, then (folded) those without; each rule's row, with its statement
    /// and section, is where findings link to.
    func rulesTable(_ descriptors: [RuleDescriptor], counts: [String: [Severity: Int]]) -> String {
        let found = descriptors.filter { counts[$0.id] != nil }
        let clean = descriptors.filter { counts[$0.id] == nil }
        var out = found.isEmpty ? "<p>No findings.</p>\n" : rulesRows(found, counts: counts)
        if !clean.isEmpty {
            out += "<details><summary>\(clean.count) rule\(clean.count == 1 ? "" : "s") without findings</summary>\n"
            out += rulesRows(clean, counts: counts) + "</details>\n"
        }
        return out
    }

    private func rulesRows(_ descriptors: [RuleDescriptor], counts: [String: [Severity: Int]]) -> String {
        var out = "<table class=\"rules\"><tr><th>rule</th><th>severity</th><th>statement</th><th>section</th>"
        out += Severity.allCases.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr>\n"
        for rule in descriptors {
            out += "<tr id=\"\(HTMLText.anchor("rule", rule.id))\"><td><code>\(HTMLText.escape(rule.id))</code></td>"
            out += "<td>\(rule.severity.rawValue)</td><td>\(HTMLText.escape(rule.statement))</td><td>\(HTMLText.escape(rule.section))</td>"
            out += Severity.allCases.map { "<td class=\"n\">\(HTMLText.count(counts[rule.id]?[$0] ?? 0))</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }

    /// A table of counts, largest first (at most `limit` rows, then how many more).
    static func countTable(_ header: [String], _ rows: [([String], Int)], limit: Int = 200) -> String {
        var out = "<table><tr>" + (header + ["count"]).map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>\n"
        let sorted = rows.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.lexicographicallyPrecedes($1.0) }
        for (cells, count) in sorted.prefix(limit) {
            out += "<tr>" + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "<td class=\"n\">\(HTMLText.count(count))</td></tr>\n"
        }
        if sorted.count > limit { out += "<tr><td colspan=\"\(header.count + 1)\">… \(sorted.count - limit) more rows</td></tr>\n" }
        return out + "</table>\n"
    }

    /// Messages over time, as bars.
    static func timeline(_ timeline: RateTimeline?) -> String {
        guard let timeline, !timeline.counts.isEmpty else { return "<p>No messages.</p>\n" }
        let width = 720.0
        let height = 80.0
        let peak = max(1, timeline.counts.max() ?? 1)
        // The buckets used fill the width: a short capture is drawn as wide as a long one.
        let bar = width / Double(timeline.counts.count)
        var out = "<svg class=\"timeline\" width=\"\(Int(width) + 60)\" height=\"\(Int(height) + 30)\" role=\"img\">"
        out += "<title>messages per \(HTMLText.seconds(timeline.width)) s</title>"
        for (index, count) in timeline.counts.enumerated() where count > 0 {
            let h = max(1, height * Double(count) / Double(peak))
            out += "<rect x=\(f(Double(index) * bar)) y=\(f(height - h)) width=\(f(max(1, bar - 1))) height=\(f(h))>"
            out += "<title>+\(HTMLText.seconds(Double(index) * timeline.width)) s: \(count) messages</title></rect>"
        }
        out += "<text x=\"0\" y=\"\(Int(height) + 14)\">0 s</text>"
        let span = Double(timeline.counts.count) * timeline.width
        out += "<text x=\(f(Double(timeline.counts.count) * bar)) y=\"\(Int(height) + 14)\" text-anchor=\"end\">+\(HTMLText.seconds(span)) s</text>"
        out += "<text x=\"\(Int(width) + 4)\" y=\"10\">\(peak)</text></svg>\n"
        out += "<p class=\"muted\">Messages per \(HTMLText.seconds(timeline.width)) s (tallest bar: \(peak)).</p>\n"
        return out
    }

    /// The filters, offering the values drawn on the page.
    func filters() -> String {
        func select(_ id: String, _ label: String, _ values: [String]) -> String {
            "<label>\(label) <select id=\"flt-\(id)\"><option value=\"\">all</option>"
                + values.map { "<option value=\"\(HTMLText.escape($0))\">\(HTMLText.escape($0))</option>" }.joined() + "</select></label>"
        }
        var out = "<form id=\"filters\" onsubmit=\"return false\">"
        out += select("rule", "rule", ruleIDs.sorted())
        out += select("severity", "severity", Severity.allCases.map(\.rawValue))
        out += select("side", "side", ["initiator", "recipient"])
        out += select("protocol", "protocol", protocols.sorted())
        out += select("name", "message", names.sorted())
        return out + "<button type=\"button\" id=\"flt-reset\">reset</button> <span id=\"flt-count\"></span></form>\n"
    }

    /// The whole document around `body`.
    func document(title: String, summary: String, body: String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(HTMLText.escape(title))</title>\n<style>\(ReportAssets.style)</style>\n"
        out += "<script>\(ReportAssets.errorTrap)</script>\n</head>\n<body>\n"
        out += "<h1>\(HTMLText.escape(title))</h1>\n<p>Report status: <span id=\"report-status\">loading</span></p>"
        out += "<pre id=\"script-errors\"></pre>\n"
        out += summary + filters() + body
        out += "<aside id=\"detail\" hidden><button type=\"button\" id=\"detail-close\">close</button> <b id=\"detail-title\"></b>"
        out += "<ul id=\"detail-findings\"></ul><h4>decoded</h4><pre id=\"detail-tree\"></pre><h4>bytes</h4><pre id=\"detail-hex\"></pre></aside>\n"
        out += "<script type=\"application/json\" id=\"step-data\">" + HTMLText.scriptJSON(.array(details)) + "</script>\n"
        out += "<script>\(ReportAssets.script)</script>\n</body></html>\n"
        return out
    }

    /// A number for an SVG attribute (quoted, one decimal).
    static func f(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\"\(tenths / 10).\(abs(tenths % 10))\""
    }
}
