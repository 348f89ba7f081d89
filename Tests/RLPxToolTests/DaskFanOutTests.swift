// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// Tools/analysis/fanout.py: the Dask job over shards finds exactly what single runs find.
@Suite struct DaskFanOutTests {
    /// The Dask job on a LocalCluster of two workers, every capture split in two shards: the merged findings are
    /// exactly those of one plain run per capture.
    @Test func theDaskFanOutFindsWhatSingleRunsFind() async throws {
        let directory = try AnalysisEnvironment.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let singles = try await AnalysisEnvironment.reports(in: AnalysisEnvironment.creatingDirectory(directory.appendingPathComponent("single")))
        let captures = AnalysisEnvironment.captures.map { Vectors.projectRoot.appendingPathComponent("Vectors/captures/\($0)/capture.pcap").path }
        let run = try await AnalysisEnvironment.run(
            [
                AnalysisEnvironment.analysis.appendingPathComponent("fanout.py").path, "--tool", try Tool.url.path, "--out",
                directory.appendingPathComponent("fanout").path,
                "--workers", "2", "--shards", "2", "--json",
            ] + captures)
        try #require(run.status == 0, "\(run.stderr.suffix(2000))")
        let job = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((job["tasks"] as? [Any])?.count == captures.count * 2)
        func key(_ capture: String, _ finding: [String: Any]) -> String {
            let time =
                (finding["time"] as? Double).map { String(format: "%.6f", $0) } ?? (finding["time"] as? String).flatMap(Double.init).map {
                    String(format: "%.6f", $0)
                } ?? "?"
            let parts: [Any?] = [capture, finding["rule"], finding["severity"], finding["connection"], finding["side"], time, finding["detail"]]
            return parts.map { "\($0 ?? "-")" }.joined(separator: "|")
        }
        let merged = (job["findings"] as? [[String: Any]] ?? []).map {
            key(URL(fileURLWithPath: $0["capture"] as? String ?? "").deletingLastPathComponent().lastPathComponent, $0)
        }
        var single: [String] = []
        for (name, file) in zip(AnalysisEnvironment.captures, singles) {
            single += try AnalysisEnvironment.lines(file).filter { $0["type"] as? String == "finding" }.map { key(name, $0) }
        }
        #expect(merged.sorted() == single.sorted())
        #expect(!single.isEmpty)
        let messages = try singles.flatMap(AnalysisEnvironment.lines).filter { $0["type"] as? String == "message" }.count
        #expect(job["messages"] as? Int == messages, "each message reported by exactly one shard")
    }
}
