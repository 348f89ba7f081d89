// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `rlpx-tool probe --format html` against `rlpx-tool serve`: a section per test with its verdict, requirement and
/// accepted reactions, and the ladders of its connections; the same run's JSON matches the report schema.
@Suite struct ProbeHTMLReportTests {
    @Test func aSectionPerTestWithItsLadders() async throws {
        let (server, enode) = try PingCommandTests.serve(["--cap", "eth/68:17"])
        defer { server.stop() }
        let tests = "^(p2p/hello/exchange|p2p/ping/pong|p2p/hello/unexpected-identity|eth/status/mirror)$"
        let html = try await Tool.runDetached(["probe", enode, "--run", tests, "--format", "html", "--timeout", "3"])
        let json = try await Tool.runDetached(["probe", enode, "--run", tests, "--format", "json", "--timeout", "3"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let results = try #require(object["tests"] as? [[String: Any]])
        #expect(!results.isEmpty)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.hasSuffix("</html>\n"))
        #expect(html.status == json.status, "the same exit status in every format")
        for result in results {
            let id = try #require(result["id"] as? String)
            let anchor = "test-" + id  // ids keep their slashes in anchors (HTMLText.anchor)
            #expect(html.stdout.contains("<section class=\"test\" id=\"\(anchor)\">"), "\(id) has its section")
            #expect(html.stdout.contains("<a href=\"#\(anchor)\">\(id)</a>"), "\(id) in the summary")
            let passes = try #require(result["passes"] as? String)
            #expect(html.stdout.contains("<tr><th>passes (accepted reactions)</th><td>\(escape(passes))</td></tr>"), "\(id)")
        }
        // Every test here completes a session: each draws at least one ladder with both Hellos.
        #expect(html.stdout.components(separatedBy: "<svg class=\"ladder\"").count - 1 >= results.count)
        #expect(html.stdout.contains("data-name=\"Hello\""))
        // The probe JSON is what the schema's probeReport says.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UInt64.random(in: 0...UInt64.max)).json")
        try Data(json.stdout.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let python = try AnalysisEnvironment.python()
        let validate = AnalysisEnvironment.analysis.appendingPathComponent("validate.py").path
        let valid = try await Tool.detached { try Tool.run(executable: python, [validate, "--probe", file.path]) }
        #expect(valid.status == 0, "\(valid.stdout)")
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
