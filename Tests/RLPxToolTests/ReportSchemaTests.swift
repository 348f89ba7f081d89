// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// Every committed capture's JSON Lines report is valid against Schemas/report-v1.schema.json (Python jsonschema,
/// pinned), and a report that breaks it is not.
@Suite struct ReportSchemaTests {
    @Test func everyCommittedReportMatchesTheSchema() async throws {
        let directory = try AnalysisEnvironment.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try await AnalysisEnvironment.reports(in: directory)
        let validate = AnalysisEnvironment.analysis.appendingPathComponent("validate.py").path
        let valid = try await AnalysisEnvironment.run([validate] + files.map(\.path))
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        // A report that breaks the schema is caught, line by line: an unknown severity, a renamed field, a number
        // where a string belongs, and a report cut before its summary.
        let original = try #require(try files.map { try String(contentsOf: $0, encoding: .utf8) }.first { $0.contains("\"severity\":\"breach\"") })
        let broken: [(String, String)] = [
            ("severity", original.replacingOccurrences(of: "\"severity\":\"breach\"", with: "\"severity\":\"fatal\"")),
            ("renamed", original.replacingOccurrences(of: "\"bytesFromInitiator\"", with: "\"bytesFromInitiatr\"")),
            ("retyped", original.replacingOccurrences(of: "\"size\":", with: "\"size\":\"1\",\"was\":")),
            ("cut", original.split(separator: "\n").dropLast().map { $0 + "\n" }.joined()),
        ]
        for (name, text) in broken {
            #expect(text != original, "\(name) changes the report")
            let file = directory.appendingPathComponent("broken-\(name).jsonl")
            try Data(text.utf8).write(to: file)
            let run = try await AnalysisEnvironment.run([validate, file.path])
            #expect(run.status == 1, "\(name): \(run.stdout)")
            #expect(run.stdout.contains(file.path), "\(name) says where: \(run.stdout)")
        }
    }
}
