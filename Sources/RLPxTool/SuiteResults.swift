// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DiscoveryPeer
import RLPxInspect

/// Prints a discovery suite's results (`discv4 test`, `discv5 test`): a line per test and a summary, or one JSON
/// object; exits 1 when a test failed or none ran. A skipped test (it could not run, our fault) is no failure.
func report(_ results: [DiscoveryTestResult], json: Bool) throws {
    let failed = results.filter { $0.verdict == .fail }.count
    let skipped = results.filter { $0.verdict == .skip }.count
    let passed = results.count - failed - skipped
    if json {
        let tests = results.map { result -> JSONValue in
            .object([("name", .string(result.name)), ("verdict", .string(result.verdict.rawValue)), ("detail", .string(result.detail))])
        }
        print(
            JSONValue.object([("passed", .int(passed)), ("failed", .int(failed)), ("skipped", .int(skipped)), ("tests", .array(tests))]).rendered())
    } else {
        for result in results { print("\(result.verdict.rawValue.uppercased()) \(result.name): \(result.detail)") }
        print("\(passed) passed, \(failed) failed" + (skipped > 0 ? ", \(skipped) skipped" : ""))
    }
    if failed > 0 || results.isEmpty { throw ExitCode(1) }
}
