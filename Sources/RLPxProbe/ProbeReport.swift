import DevP2P
// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxEvents
import RLPxInspect

/// The probe's results as text (one line per test, h2spec-like, with the requirement, observation and transcript
/// of each failure), JSON, TAP v13 (as go-ethereum's devp2p suites write it, which hive reads) or JUnit XML. What
/// passes is printed from each test's expected reactions (``ProbeTest/expected``, ``ProbeTest/passes``).
/// HTML is rendered by the RLPxHTMLReport module.
public enum ProbeReport {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, tap, junit, html
    }

    /// One test's text block, written as soon as it ran.
    public static func text(_ result: ProbeResult, strict: Bool = false) -> String {
        var out = result.verdict.rawValue.padding(toLength: 15) + result.test.id + " — " + result.observed + "\n"
        if result.verdict == .failed || (strict && result.verdict == .nonStrict) {
            out += "    requirement: \(result.test.level.rawValue), \(result.test.section)\n"
            out += "    sends: \(result.test.sends)\n    passes: \(result.test.passes)\n    observed: \(result.observed)\n"
            if !result.transcript.isEmpty { out += "    transcript:\n" + result.transcript.map { "      \($0)\n" }.joined() }
        }
        return out
    }

    /// The closing line of a text report.
    public static func summary(_ results: [ProbeResult]) -> String {
        let counts = Verdict.allCases.compactMap { verdict -> String? in
            let count = results.filter { $0.verdict == verdict }.count
            return count == 0 ? nil : "\(count) \(verdict.rawValue)"
        }
        return "\n\(results.count) tests: \(counts.joined(separator: ", "))\n"
    }

    /// The opening lines of a text report: the node's Hello and what the tests announce.
    public static func introduction(_ introduction: ProbeIntroduction) -> String {
        var out = ""
        if let hello = introduction.hello {
            out +=
                "node: \(TextClip.clip(hello.clientID)) p2p v\(hello.protocolVersion) caps \(hello.capabilities.map(\.description).joined(separator: ","))\n"
        }
        out += "announcing: \(introduction.announced.map(\.description).joined(separator: ", "))\n"
        for note in introduction.notes { out += "note: \(note)\n" }
        return out + "\n"
    }

    public static func json(_ results: [ProbeResult], introduction: ProbeIntroduction? = nil) -> String {
        var node: [(String, JSONValue)] = []
        if let introduction {
            if let hello = introduction.hello {
                node.append(("clientId", .string(hello.clientID)))
                node.append(("p2pVersion", .int(Int(hello.protocolVersion))))
                node.append(("capabilities", .array(hello.capabilities.map { .string($0.description) })))
            }
            node.append(("announced", .array(introduction.announced.map { .string($0.description) })))
            node.append(("notes", .array(introduction.notes.map(JSONValue.string))))
        }
        return JSONValue.object([
            ("node", .object(node)),
            (
                "tests",
                .array(
                    results.map { result in
                        .object([
                            ("id", .string(result.test.id)), ("section", .string(result.test.section)),
                            ("level", .string(result.test.level.rawValue)), ("geth", result.test.gethName.map(JSONValue.string) ?? .null),
                            ("sends", .string(result.test.sends)), ("passes", .string(result.test.passes)),
                            ("expects", .array(result.test.expected.map { .string($0.description) })),
                            ("content", result.test.content.map(JSONValue.string) ?? .null),
                            ("verdict", .string(result.verdict.rawValue)), ("observed", .string(result.observed)),
                            ("seconds", .string(decimal(result.seconds))), ("transcript", .array(result.transcript.map(JSONValue.string))),
                        ])
                    })
            ),
            ("counts", .object(Verdict.allCases.map { verdict in (verdict.rawValue, .int(results.filter { $0.verdict == verdict }.count)) })),
        ]).rendered() + "\n"
    }

    public static func tap(_ results: [ProbeResult]) -> String {
        var out = "TAP version 13\n1..\(results.count)\n"
        for (index, result) in results.enumerated() {
            let ok = result.verdict != .failed
            var line = "\(ok ? "ok" : "not ok") \(index + 1) \(result.test.id)"
            if result.verdict == .unsupported { line += " # SKIP \(result.observed)" }
            out += line + "\n"
            if !ok || result.verdict == .nonStrict {
                out += "  ---\n  verdict: \(result.verdict.rawValue)\n  passes: \(yaml(result.test.passes))\n  observed: \(yaml(result.observed))\n"
                if !result.transcript.isEmpty { out += "  transcript:\n" + result.transcript.map { "    - \(yaml($0))\n" }.joined() }
                out += "  ...\n"
            }
        }
        return out
    }

    public static func junit(_ results: [ProbeResult]) -> String {
        let failures = results.filter { $0.verdict == .failed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"rlpx-probe\" tests=\"\(results.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"probe\" tests=\"\(results.count)\" failures=\"\(failures)\">\n"
        for result in results {
            out += "    <testcase classname=\"rlpx.probe\" name=\"\(ReportWriter.xml(result.test.id))\" time=\"\(decimal(result.seconds))\">\n"
            switch result.verdict {
            case .failed:
                out += "      <failure message=\"\(ReportWriter.xml(result.observed))\" type=\"\(result.test.level.rawValue)\">"
                out += ReportWriter.xml((["passes: \(result.test.passes)"] + result.transcript).joined(separator: "\n")) + "</failure>\n"
            case .unsupported: out += "      <skipped message=\"\(ReportWriter.xml(result.observed))\"/>\n"
            default: out += "      <system-out>\(result.verdict.rawValue): \(ReportWriter.xml(result.observed))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }

    static func yaml(_ text: String) -> String { "'" + text.replacingOccurrences("'", "''") + "'" }

    static func decimal(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String { count >= length ? self + " " : self + String(repeating: " ", count: length - count) }
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        reduce(into: "") { $0 += $1 == target ? replacement : String($1) }
    }
}
