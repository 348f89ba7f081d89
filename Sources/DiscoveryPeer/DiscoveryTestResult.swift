// SPDX-License-Identifier: Apache-2.0

/// One named test's outcome in a discovery suite (``Discv4Suite``, ``Discv5Suite``).
public struct DiscoveryTestResult: Sendable {
    /// What a test concluded.
    public enum Verdict: String, Sendable {
        /// The node behaved as go-ethereum's suite requires.
        case pass
        /// The node did not.
        case fail
        /// The test could not run for a reason of ours (a socket that would not bind): not the node's failure.
        case skip
    }

    public let name: String
    public let verdict: Verdict
    public let detail: String

    public init(name: String, verdict: Verdict, detail: String) {
        self.name = name
        self.verdict = verdict
        self.detail = detail
    }

    public var passed: Bool { verdict == .pass }

    /// Runs the tests of `names` that contain one of `filters` (all when empty), in order: a test passes when
    /// `body` returns (its detail), is skipped when it throws ``Skip``, and fails on any other error.
    static func run(_ names: [String], _ filters: [String], _ body: (String) async throws -> String) async -> [DiscoveryTestResult] {
        var results: [DiscoveryTestResult] = []
        for name in names where filters.isEmpty || filters.contains(where: { name.contains($0) }) {
            do {
                results.append(DiscoveryTestResult(name: name, verdict: .pass, detail: try await body(name)))
            } catch let skip as Skip {
                results.append(DiscoveryTestResult(name: name, verdict: .skip, detail: skip.description))
            } catch {
                results.append(DiscoveryTestResult(name: name, verdict: .fail, detail: "\(error)"))
            }
        }
        return results
    }

    /// Thrown by a test that could not run for our own reason.
    struct Skip: Error, CustomStringConvertible {
        let description: String
    }
}
