// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `conformance --format html` reports of every committed capture, opened in headless Chromium (Debian's chromium,
/// which Tools/install-deps.sh installs): the rendered DOM has a ladder per decrypted connection and every finding,
/// linked to its rule; the page's script finished (`#report-status` says `ready`) and logged nothing to the console.
/// A screenshot of one report is kept in `.build/test-artifacts/` (or `$RLPX_TEST_ARTIFACTS`).
@Suite struct HTMLReportBrowserTests {
    static let chromium = Tool.onPath("chromium")
    static let captures = Vectors.rlpxCaptures

    static var artifacts: URL {
        let directory =
            ProcessInfo.processInfo.environment["RLPX_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? Vectors.projectRoot.appendingPathComponent(".build/test-artifacts")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Chromium's flags for a root user in a container without a display or a session bus.
    static let flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
        "--enable-logging=stderr", "--v=0",
    ]

    /// The report of `name`, the JSON Lines of the same run, and the rendered DOM with Chromium's log.
    static func render(_ name: String) async throws -> (jsonl: [[String: Any]], dom: String, log: String, file: URL) {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        let arguments = [
            "conformance", directory.appendingPathComponent("capture.pcap").path, "--keylog", directory.appendingPathComponent("keylog.txt").path,
        ]
        let html = try await Tool.runDetached(arguments + ["--format", "html"])
        #expect([0, 1].contains(html.status), "\(html.stderr)")
        let lines = try await Tool.runDetached(arguments + ["--format", "jsonl"]).stdout.split(separator: "\n")
        let jsonl = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let file = artifacts.appendingPathComponent("\(name).html")
        try Data(html.stdout.utf8).write(to: file)
        let chromium = try #require(chromium)
        let run = try await Tool.detached { try Tool.run(executable: chromium, flags + ["--dump-dom", file.absoluteString]) }
        return (jsonl, run.stdout, run.stderr, file)
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (Tools/install-deps.sh installs Debian's chromium)"))
    func reportsRenderInChromium() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Chromium spends most of its start waiting, not computing: a few at once.
            var pending = Self.captures[...]
            func next() {
                guard let name = pending.popFirst() else { return }
                group.addTask { try await Self.check(name) }
            }
            for _ in 0..<4 { next() }
            while try await group.next() != nil { next() }
        }
    }

    static func check(_ name: String) async throws {
        let (jsonl, dom, log, _) = try await render(name)
        #expect(dom.contains("<span id=\"report-status\">ready</span>"), "\(name): the page's script finished")
        #expect(dom.contains("<pre id=\"script-errors\"></pre>"), "\(name): no script error")
        #expect(dom.contains("data-ready=\"1\""))
        let consoleLines = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(consoleLines.isEmpty, "\(name): console: \(consoleLines)")
        let decrypted = jsonl.filter { $0["type"] as? String == "connection" && $0["status"] as? String == "decrypted" }
        #expect(count(dom, "<svg class=\"ladder\"") == decrypted.count, "\(name): a ladder per decrypted connection")
        let findings = jsonl.filter { $0["type"] as? String == "finding" }
        #expect(count(dom, "<li class=\"finding ") == findings.count, "\(name): every finding")
        for finding in findings {
            let rule = try #require(finding["rule"] as? String)
            #expect(dom.contains("href=\"#rule-\(rule)\""), "\(name): \(rule) linked")
            #expect(dom.contains("<tr id=\"rule-\(rule)\">"), "\(name): \(rule)'s statement and section")
        }
    }

    static func count(_ text: String, _ pattern: String) -> Int { text.components(separatedBy: pattern).count - 1 }

    /// A screenshot of the report of a capture with findings, kept as an artifact (the README shows one).
    @Test(.enabled(if: chromium != nil, "chromium is not installed (Tools/install-deps.sh installs Debian's chromium)"))
    func aScreenshotIsKept() async throws {
        let (_, _, _, file) = try await Self.render("fault-bad-mac")
        let png = Self.artifacts.appendingPathComponent("html-report.png")
        try? FileManager.default.removeItem(at: png)
        let chromium = try #require(Self.chromium)
        let run = try await Tool.detached {
            try Tool.run(
                executable: chromium, Self.flags + ["--window-size=1100,1400", "--hide-scrollbars", "--screenshot=\(png.path)", file.absoluteString])
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot \(png.path): \(size) bytes; \(run.stderr.suffix(500))")
    }
}
