// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxEvents

/// One connection as a ladder diagram: the initiator's and the recipient's lifelines, a row per drawn step (an
/// arrow with its time, name and size), the steps' findings as coloured dots linked to their entries, and a marked
/// band wherever steps were left out or time passed (rows are evenly spaced: time is compressed, never to scale).
struct LadderSVG {
    let origin: Double
    /// The page number of this ladder's first finding.
    let findingBase: Int
    let findings: [Finding]
    /// The page step number (`data-k`) of each finding of this ladder, by its index in `findings`.
    private(set) var stepOfFinding: [Int: Int] = [:]

    static let width = 860.0, left = 230.0, right = 650.0, row = 36.0, gapRow = 26.0, top = 46.0
    /// Time between drawn steps past which the ladder marks the gap.
    static let gapSeconds = 1.0

    init(origin: Double, findingBase: Int, findings: [Finding]) {
        self.origin = origin
        self.findingBase = findingBase
        self.findings = findings
    }

    /// The SVG; `number` gives each drawn step its page number (and records what the filters offer).
    mutating func render(_ ladder: Ladder, number: (LadderStep) -> Int) -> String {
        var rows = ""
        var y = Self.top
        var previous: LadderStep?
        for step in ladder.steps {
            let skipped = step.index - (previous.map { $0.index + 1 } ?? 0)
            let elapsed = previous.map { step.time - $0.time } ?? 0
            if skipped > 0 || elapsed > Self.gapSeconds {
                rows += gap(at: y, skipped: skipped, elapsed: previous == nil ? nil : elapsed)
                y += Self.gapRow
            }
            y += Self.row / 2
            let k = number(step)
            for index in step.findings { stepOfFinding[index] = k }
            rows += draw(step, k: k, at: y)
            y += Self.row / 2
            previous = step
        }
        if let last = ladder.steps.last, ladder.total - 1 > last.index {
            rows += gap(at: y, skipped: ladder.total - 1 - last.index, elapsed: nil, end: true)
            y += Self.gapRow
        }
        let height = y + 8
        var out = "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(height))\" "
        out += "viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" data-connection=\"\(ladder.connection)\">\n"
        out += "<text x=\(HTMLPage.f(Self.left)) y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">initiator</text>"
        out += "<text x=\(HTMLPage.f(Self.left)) y=\"30\" text-anchor=\"middle\" class=\"summary-text\">\(HTMLText.escape(ladder.initiator))</text>"
        out += "<text x=\(HTMLPage.f(Self.right)) y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">recipient</text>"
        out +=
            "<text x=\(HTMLPage.f(Self.right)) y=\"30\" text-anchor=\"middle\" class=\"summary-text\">\(HTMLText.escape(ladder.recipient))</text>\n"
        for x in [Self.left, Self.right] {
            out += "<line class=\"lifeline\" x1=\(HTMLPage.f(x)) y1=\(HTMLPage.f(Self.top - 6)) x2=\(HTMLPage.f(x)) y2=\(HTMLPage.f(height - 4))/>"
        }
        return out + "\n" + rows + "</svg>\n"
    }

    /// A band across the lifelines saying what was left out and how long it took.
    private func gap(at y: Double, skipped: Int, elapsed: Double?, end: Bool = false) -> String {
        let mid = y + Self.gapRow / 2
        var out = "<g class=\"gapband\">"
        for x in [Self.left, Self.right] {
            out += "<polyline class=\"gap\" points=\"\(x - 8),\(mid - 4) \(x + 8),\(mid - 8) \(x - 8),\(mid + 4) \(x + 8),\(mid)\"/>"
        }
        var parts: [String] = []
        if skipped > 0 { parts.append("\(HTMLText.count(skipped)) step\(skipped == 1 ? "" : "s") left out" + (end ? " at the end" : "")) }
        if let elapsed, elapsed > 0 { parts.append("\(HTMLText.seconds(elapsed)) s") }
        out += "<text class=\"gaptext\" x=\(HTMLPage.f((Self.left + Self.right) / 2)) y=\(HTMLPage.f(mid + 4)) text-anchor=\"middle\">⋯ "
        return out + HTMLText.escape(parts.joined(separator: ", ")) + "</text></g>\n"
    }

    /// One step's row: its time, its arrow (or bar, for steps of the whole connection), its label and findings.
    private func draw(_ step: LadderStep, k: Int, at y: Double) -> String {
        let own = step.findings.map { findings[$0] }
        let worst = own.map(\.severity).min()
        var classes = "step kind-\(step.kind.rawValue)"
        if let worst { classes += " sev-\(worst.rawValue)" }
        var out = "<g class=\"\(classes)\" id=\"s-\(k)\" data-k=\"\(k)\" data-side=\"\(step.side?.rawValue ?? "")\" "
        out += "data-proto=\"\(HTMLText.escape(step.protocolLabel))\" data-name=\"\(HTMLText.escape(step.name))\" "
        out += "data-rules=\"\(HTMLText.escape(Set(own.map(\.ruleID)).sorted().joined(separator: " ")))\" "
        out += "data-sevs=\"\(Set(own.map(\.severity.rawValue)).sorted().joined(separator: " "))\">"
        out += "<rect class=\"hit\" x=\"0\" y=\(HTMLPage.f(y - Self.row / 2)) width=\(HTMLPage.f(Self.width)) height=\(HTMLPage.f(Self.row))/>"
        out += "<text class=\"time\" x=\"4\" y=\(HTMLPage.f(y + 4))>+\(HTMLText.seconds(step.time - origin))</text>"
        let mid = (Self.left + Self.right) / 2
        var label = (step.protocolLabel.isEmpty ? "" : step.protocolLabel + " ") + step.name
        if step.kind == .message || step.kind == .handshake || step.kind == .frame { label += " (\(step.size) B)" }
        if let side = step.side {
            let (from, to) = side == .initiator ? (Self.left, Self.right) : (Self.right, Self.left)
            let tip = to + (from < to ? -1 : 1)
            let back = tip + (from < to ? -9 : 9)
            out += "<line class=\"arrow\" x1=\(HTMLPage.f(from)) y1=\(HTMLPage.f(y)) x2=\(HTMLPage.f(back)) y2=\(HTMLPage.f(y))/>"
            out += "<path class=\"head\" d=\"M\(tip),\(y) L\(back),\(y - 4.5) L\(back),\(y + 4.5) Z\"/>"
        } else {
            out += "<line class=\"bar\" x1=\(HTMLPage.f(Self.left - 20)) y1=\(HTMLPage.f(y)) x2=\(HTMLPage.f(Self.right + 20)) y2=\(HTMLPage.f(y))/>"
        }
        out += "<text x=\(HTMLPage.f(mid)) y=\(HTMLPage.f(y - 5)) text-anchor=\"middle\">\(HTMLText.escape(label))</text>"
        if !step.summary.isEmpty {
            let summary = step.summary.count > 70 ? String(step.summary.prefix(70)) + "…" : step.summary
            out +=
                "<text class=\"summary-text\" x=\(HTMLPage.f(mid)) y=\(HTMLPage.f(y + 13)) text-anchor=\"middle\">\(HTMLText.escape(summary))</text>"
        }
        for (offset, index) in step.findings.enumerated() {
            let finding = findings[index]
            let x = Self.right + 24 + Double(offset % 12) * 14
            out +=
                "<a href=\"#f-\(findingBase + index)\"><circle class=\"sev-\(finding.severity.rawValue)\" cx=\(HTMLPage.f(x)) cy=\(HTMLPage.f(y)) r=\"5.5\">"
            out += "<title>\(HTMLText.escape(finding.severity.rawValue + " " + finding.ruleID + ": " + finding.detail))</title></circle></a>"
        }
        if step.findings.count > 12 {
            out += "<text x=\(HTMLPage.f(Self.right + 24 + 12 * 14)) y=\(HTMLPage.f(y + 4))>+\(step.findings.count - 12)</text>"
        }
        return out + "</g>\n"
    }
}
