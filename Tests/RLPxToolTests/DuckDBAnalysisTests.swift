// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// Tools/analysis/analyze.py's DuckDB queries over the committed captures' reports agree with the reports' own
/// counts; the latency query pairs requests and answers by request id.
@Suite struct DuckDBAnalysisTests {
    @Test func duckDBQueriesAgreeWithTheReports() async throws {
        let directory = try AnalysisEnvironment.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try await AnalysisEnvironment.reports(in: directory)
        let run = try await AnalysisEnvironment.run(
            [AnalysisEnvironment.analysis.appendingPathComponent("analyze.py").path, "--json"] + files.map(\.path))
        try #require(run.status == 0, "\(run.stderr)")
        let results = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String: Any]]])
        let lines = try files.flatMap(AnalysisEnvironment.lines)
        // Findings per rule: the query's sum is each report's own summary count.
        var expected: [String: Int] = [:]
        for line in lines where line["type"] as? String == "summary" {
            for rule in line["rules"] as? [[String: Any]] ?? [] {
                expected[rule["id"] as? String ?? "", default: 0] += rule["findings"] as? Int ?? 0
            }
        }
        var found: [String: Int] = [:]
        for row in try #require(results["findings_per_rule_and_client"]) {
            found[row["rule"] as? String ?? "", default: 0] += row["findings"] as? Int ?? 0
        }
        #expect(found == expected.filter { $0.value > 0 })
        #expect(!found.isEmpty, "the committed captures have findings")
        // The message mix counts every transcript line, and its bytes are their sizes.
        let messages = lines.filter { $0["type"] as? String == "message" }
        let mix = try #require(results["message_mix"])
        #expect(mix.reduce(0) { $0 + ($1["messages"] as? Int ?? 0) } == messages.count)
        #expect(mix.reduce(0) { $0 + ($1["bytes"] as? Int ?? 0) } == messages.reduce(0) { $0 + ($1["size"] as? Int ?? 0) })
        // Every breach that names a side is a peer breaking a rule.
        let breaches = lines.filter { $0["type"] as? String == "finding" && $0["severity"] as? String == "breach" && $0["side"] is String }
        #expect(try #require(results["rule_breakers"]).reduce(0) { $0 + ($1["findings"] as? Int ?? 0) } == breaches.count)
        // Latencies: each row's counts are answered requests, ordered by their bounds.
        for row in try #require(results["latencies"]) {
            let (low, median, high) = (row["min_ms"] as? Double ?? -1, row["median_ms"] as? Double ?? -1, row["max_ms"] as? Double ?? -1)
            #expect(0 <= low && low <= median && median <= high, "\(row)")
        }
    }

    /// The committed captures carry filler payloads (no request ids): a small report of two answered requests and
    /// one unanswered checks the latency query's pairing and arithmetic.
    @Test func latenciesPairRequestsWithTheirAnswers() async throws {
        let directory = try AnalysisEnvironment.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        func message(_ time: String, _ direction: String, _ name: String, _ summary: String) -> String {
            #"{"type":"message","time":"\#(time)","connection":1,"direction":"\#(direction)","protocol":"eth/68","message":"\#(name)","size":10,"summary":"\#(summary)"}"#
        }
        let out = "initiator→recipient"
        let back = "recipient→initiator"
        let lines = [
            message("10.000000", out, "GetBlockHeaders", "id=7 origin=#1 amount=1 skip=0 reverse=false"),
            message("10.020000", out, "GetBlockHeaders", "id=8 origin=#2 amount=1 skip=0 reverse=false"),
            message("10.030000", out, "GetReceipts", "id=9 1 hashes"),
            // An answer with another id, and one from the asking side, answer nothing.
            message("10.040000", back, "BlockHeaders", "id=99 1 headers"),
            message("10.045000", out, "BlockHeaders", "id=7 1 headers"),
            message("10.050000", back, "BlockHeaders", "id=7 1 headers"),
            message("10.120000", back, "BlockHeaders", "id=8 1 headers"),
            #"{"type":"summary","rules":[],"counts":{"breach":0,"non-strict":0,"informational":0}}"#,
        ]
        let file = directory.appendingPathComponent("requests.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let run = try await AnalysisEnvironment.run([
            AnalysisEnvironment.analysis.appendingPathComponent("analyze.py").path, "--json",
            "--sql", AnalysisEnvironment.analysis.appendingPathComponent("queries/latencies.sql").path, file.path,
        ])
        try #require(run.status == 0, "\(run.stderr)")
        let results = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String: Any]]])
        let rows = try #require(results["latencies"])
        #expect(rows.count == 1, "GetReceipts was never answered: \(rows)")
        let row = try #require(rows.first)
        #expect(row["request"] as? String == "GetBlockHeaders" && row["answered"] as? Int == 2)
        #expect(row["min_ms"] as? Double == 50 && row["max_ms"] as? Double == 100 && row["median_ms"] as? Double == 75)
    }
}
