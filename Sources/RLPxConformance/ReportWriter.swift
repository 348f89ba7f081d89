// SPDX-License-Identifier: Apache-2.0
import RLPxCapture
import RLPxEvents
import RLPxInspect

/// Writes a conformance report as the run goes: transcript lines and findings when they happen, connections and
/// counts at the end. Text, JSON Lines and TAP stream everything; JSON streams its transcript and keeps only the
/// findings for the end; JUnit XML keeps the findings (one test case per rule). HTML is written by the
/// RLPxHTMLReport module (it needs the decoded messages): this writer writes nothing for it.
public struct ReportWriter {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, jsonl, tap, junit, html
    }

    public let format: Format
    private let rules: [RuleDescriptor]
    private let includeTranscript: Bool
    private let write: ([UInt8]) -> Void
    private var findings: [Finding] = []
    /// The time text transcript lines count from: the capture's first packet when known (``start(at:)``), else the
    /// first line's.
    private var transcriptStart: Double?
    private var transcriptCount = 0
    private var opened = false

    /// - Parameter write: receives the report in pieces of UTF-8, each ending with a newline (JSON's transcript
    ///   members excepted).
    public init(format: Format, rules: [RuleDescriptor], transcript: Bool, write: @escaping ([UInt8]) -> Void) {
        self.format = format
        self.rules = rules
        includeTranscript = transcript
        self.write = write
    }

    /// Writes the report's opening once, with its first piece: a capture that cannot be read leaves no partial
    /// report on the output, only the error.
    private mutating func open() {
        guard !opened else { return }
        opened = true
        switch format {
        case .tap: emit("TAP version 13\n1..\(rules.count)\n")
        case .json: emit("{\"transcript\":[")
        case .text where includeTranscript: emit("transcript\n")
        default: break
        }
    }

    private func emit(_ text: String) { write(Array(text.utf8)) }

    /// Whether this report prints transcript entries (made with `transcript: true`, in a format that has them:
    /// TAP and JUnit XML report rules only). A caller need not make entries the writer would drop.
    public var printsTranscript: Bool { transcriptRenderer != nil }

    /// How this report renders transcript lines, when it prints them: a replay's workers render with it and hand
    /// the bytes to ``add(renderedTranscript:)``.
    public var transcriptRenderer: TranscriptRenderer? {
        includeTranscript ? TranscriptRenderer(format: format) : nil
    }

    /// Sets the capture's start, which text transcript times count from.
    public mutating func start(at time: Double) {
        open()
        if transcriptStart == nil { transcriptStart = time }
    }

    /// Writes one transcript entry (when the writer was made with `transcript: true`).
    public mutating func add(_ entry: TranscriptEntry) {
        guard let renderer = transcriptRenderer else { return }
        let start = transcriptStart ?? entry.time
        transcriptStart = start
        var line: [UInt8] = []
        renderer.append(entry, start: start, to: &line)
        add(renderedTranscript: line)
    }

    /// Writes transcript lines rendered by ``transcriptRenderer`` (counting from the start given to
    /// ``start(at:)``), one line or many at once.
    public mutating func add(renderedTranscript lines: [UInt8]) {
        guard printsTranscript, !lines.isEmpty else { return }
        open()
        // JSON's members each come after a comma: the array's first has none.
        write(format == .json && transcriptCount == 0 ? Array(lines.dropFirst()) : lines)
        transcriptCount += 1
    }

    /// Writes (or keeps) one finding.
    public mutating func add(_ finding: Finding) {
        open()
        findings.append(finding)
        switch format {
        case .text: emit("finding " + Self.line(finding) + "\n")
        case .jsonl: emit(JSONValue.object([("type", .string("finding"))] + Self.members(finding)).rendered() + "\n")
        case .tap: emit("# \(Self.line(finding))\n")
        case .json, .junit, .html: break
        }
    }

    /// Ends the report with the connections, per-rule results and counts.
    public mutating func finish(connections: [ConnectionSummary]) {
        open()
        findings.sort { ($0.connection, $0.time) < ($1.connection, $1.time) }
        let byRule = Dictionary(grouping: findings, by: \.ruleID)
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        switch format {
        case .text:
            if includeTranscript { emit("\n") }
            // Findings were written as they came; the end has the connections and the counts.
            for connection in connections { emit(Self.text(connection)) }
            emit("\n\(rules.count) rules, " + Self.countText(counts) + "\n")
            if let line = Self.undecryptedText(connections) { emit(line + "\n") }
        case .jsonl:
            for connection in connections {
                emit(JSONValue.object([("type", .string("connection"))] + Self.members(connection)).rendered() + "\n")
            }
            emit(JSONValue.object([("type", .string("summary"))] + Self.summary(rules, byRule, counts)).rendered() + "\n")
        case .json:
            var members: [(String, JSONValue)] = [("connections", .array(connections.map { .object(Self.members($0)) }))]
            members += Self.summary(rules, byRule, counts)
            members.append(("findings", .array(findings.map { .object(Self.members($0)) })))
            let rest = JSONValue.object(members).rendered().dropFirst()  // continue the open object
            emit("]," + rest + "\n")
        case .tap:
            for (index, rule) in rules.enumerated() {
                let found = byRule[rule.id] ?? []
                let breached = found.contains { $0.severity == .breach }
                var line = "\(breached ? "not ok" : "ok") \(index + 1) - \(rule.id): \(rule.statement)"
                if !found.isEmpty && !breached { line += " # \(found.count) \(found.count == 1 ? "note" : "notes")" }
                emit(line + "\n")
            }
        case .junit:
            emit(Self.junit(rules: rules, byRule: byRule))
        case .html: break
        }
    }

    // MARK: Pieces

    static func line(_ finding: Finding) -> String {
        "\(finding.severity.rawValue) \(finding.ruleID) #\(finding.connection)"
            + (finding.side.map { " (\($0.rawValue))" } ?? "") + ": \(finding.detail)"
    }

    static func text(_ connection: ConnectionSummary) -> String {
        var out = "connection \(connection.id) \(connection.initiator) → \(connection.recipient): \(connection.status)"
        if let format = connection.authFormat { out += ", auth \(format) \(connection.authSize ?? 0) B, ack \(connection.ackSize ?? 0) B" }
        out += ", \(connection.bytesFromInitiator) B → / ← \(connection.bytesFromRecipient) B\n"
        for note in connection.notes { out += "  note: \(note)\n" }
        return out
    }

    static func countText(_ counts: [Severity: Int]) -> String {
        let breaches = counts[.breach] ?? 0
        return "\(breaches) \(breaches == 1 ? "breach" : "breaches"), \(counts[.nonStrict] ?? 0) non-strict, "
            + "\(counts[.informational] ?? 0) informational"
    }

    /// What the RLPx sessions without a key log line leave unchecked; nil when every session was decrypted.
    public static func undecryptedText(_ connections: [ConnectionSummary]) -> String? {
        let undecrypted = connections.filter(\.isUndecrypted).count
        guard undecrypted > 0 else { return nil }
        let sessions = connections.filter(\.isRLPxSession).count
        let count = "\(undecrypted) of \(sessions) RLPx session\(sessions == 1 ? "" : "s")"
        return undecrypted == sessions
            ? "nothing was checked: \(count) could not be decrypted (no key log line)"
            : "\(count) could not be decrypted (no key log line) and were not checked"
    }

    static func members(_ finding: Finding) -> [(String, JSONValue)] {
        [
            ("rule", .string(finding.ruleID)), ("severity", .string(finding.severity.rawValue)),
            ("connection", .int(finding.connection)), ("side", finding.side.map { .string($0.rawValue) } ?? .null),
            ("time", .string(decimal(finding.time, 6))), ("detail", .string(finding.detail)),
        ]
    }

    static func members(_ connection: ConnectionSummary) -> [(String, JSONValue)] {
        [
            ("id", .int(connection.id)), ("initiator", .string(connection.initiator.description)),
            ("recipient", .string(connection.recipient.description)), ("status", .string(connection.status.rawValue)),
            ("authFormat", connection.authFormat.map { .string($0.rawValue) } ?? .null),
            ("bytesFromInitiator", .int(connection.bytesFromInitiator)),
            ("bytesFromRecipient", .int(connection.bytesFromRecipient)),
            ("notes", .array(connection.notes.map(JSONValue.string))),
        ]
    }

    /// Per-rule results and per-severity counts.
    static func summary(
        _ rules: [RuleDescriptor], _ byRule: [String: [Finding]], _ counts: [Severity: Int]
    ) -> [(String, JSONValue)] {
        [
            (
                "rules",
                .array(
                    rules.map { rule in
                        .object([
                            ("id", .string(rule.id)), ("statement", .string(rule.statement)), ("section", .string(rule.section)),
                            ("severity", .string(rule.severity.rawValue)), ("findings", .int(byRule[rule.id]?.count ?? 0)),
                        ])
                    })
            ),
            ("counts", .object(Severity.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) })),
        ]
    }

    /// JUnit XML: one test suite per rule family, one test case per rule; breaches are failures, other findings
    /// go to the case's output.
    static func junit(rules: [RuleDescriptor], byRule: [String: [Finding]]) -> String {
        var families: [String] = []
        for rule in rules where !families.contains(rule.family) { families.append(rule.family) }
        let failures = rules.filter { byRule[$0.id]?.contains { $0.severity == .breach } ?? false }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"rlpx-conformance\" tests=\"\(rules.count)\" failures=\"\(failures)\">\n"
        for family in families {
            let members = rules.filter { $0.family == family }
            let failed = members.filter { byRule[$0.id]?.contains { $0.severity == .breach } ?? false }.count
            out += "  <testsuite name=\"\(xml(family))\" tests=\"\(members.count)\" failures=\"\(failed)\">\n"
            for rule in members {
                let found = byRule[rule.id] ?? []
                out += "    <testcase classname=\"rlpx.\(xml(family))\" name=\"\(xml(rule.id))\">\n"
                let breaches = found.filter { $0.severity == .breach }
                if !breaches.isEmpty {
                    out += "      <failure message=\"\(xml(rule.statement))\" type=\"\(xml(rule.section))\">"
                    out += breaches.map { xml(line($0)) }.joined(separator: "\n") + "</failure>\n"
                }
                let notes = found.filter { $0.severity != .breach }
                if !notes.isEmpty { out += "      <system-out>" + notes.map { xml(line($0)) }.joined(separator: "\n") + "</system-out>\n" }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// `text` escaped for XML (control characters other than newline and tab become `?`).
    public static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 has no form for most control characters.
                out += scalar.value < 0x20 && scalar != "\n" && scalar != "\t" ? "?" : String(scalar)
            }
        }
        return out
    }
}

extension ConformanceReport {
    /// The whole report in one format, as the streaming writer would have written it.
    public func rendered(_ format: ReportWriter.Format, transcript includeTranscript: Bool) -> String {
        var out = ""
        var writer = ReportWriter(format: format, rules: rules, transcript: includeTranscript) { out += String(decoding: $0, as: UTF8.self) }
        for entry in transcript { writer.add(entry) }
        for finding in findings { writer.add(finding) }
        writer.finish(connections: connections)
        return out
    }
}
