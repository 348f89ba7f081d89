// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// What the tests of Tools/analysis share: its Python (the venv Tools/analysis/setup.sh makes, with the pinned
/// DuckDB, Dask and jsonschema; Tools/install-deps.sh runs it) and the committed captures' JSON Lines reports.
enum AnalysisEnvironment {
    static let analysis = Vectors.projectRoot.appendingPathComponent("Tools/analysis")
    static let captures = Vectors.rlpxCaptures

    /// The analysis venv's Python (made by setup.sh if missing).
    static func python() throws -> URL {
        let setup = try Tool.run(executable: URL(fileURLWithPath: "/bin/bash"), [analysis.appendingPathComponent("setup.sh").path])
        try #require(setup.status == 0, "Tools/analysis/setup.sh: \(setup.stderr)")
        return analysis.appendingPathComponent(".venv/bin/python")
    }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-analysis-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func arguments(_ name: String) -> [String] {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)")
        return [
            "conformance", directory.appendingPathComponent("capture.pcap").path, "--keylog", directory.appendingPathComponent("keylog.txt").path,
        ]
    }

    /// Every committed capture's `--format jsonl --transcript` report, written into `directory`.
    static func reports(in directory: URL) async throws -> [URL] {
        var files: [URL] = []
        for name in captures {
            let run = try await Tool.runDetached(arguments(name) + ["--format", "jsonl", "--transcript"])
            #expect([0, 1].contains(run.status), "\(name): \(run.stderr)")
            let file = directory.appendingPathComponent("\(name).jsonl")
            try Data(run.stdout.utf8).write(to: file)
            files.append(file)
        }
        return files
    }

    static func lines(_ file: URL) throws -> [[String: Any]] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    static func run(_ arguments: [String]) async throws -> Tool.Run {
        let python = try python()
        return try await Tool.detached { try Tool.run(executable: python, arguments) }
    }

    static func creatingDirectory(_ url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
