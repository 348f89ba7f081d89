// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxMultiplexing

/// The probe's tests and how to run them against a node.
public enum ProbeSuite {
    /// Every test, in the order they run.
    public static let all: [ProbeTest] = BaseProtocolTests.all + EthTests.all + KnownChainTests.all + SnapTests.all

    /// The tests whose identifier matches the regular expression `pattern` anywhere (all for nil).
    public static func select(_ pattern: String?) throws -> [ProbeTest] {
        guard let pattern else { return all }
        let regex = try Regex(pattern)
        return all.filter { $0.id.contains(regex) }
    }

    /// Runs `tests` one after another, each on fresh connections, calling `report` after each.
    /// - Parameters:
    ///   - timeout: seconds to wait for each expected reaction.
    ///   - strict: SHOULD tests count as MUST (a miss is FAILED, not NON-STRICT).
    ///   - known: the chain the node holds, for the known-answer tests (they are UNSUPPORTED without it).
    ///   - keyLog: receives the key log line of every connection (for replay with `rlpx-tool conformance`).
    public static func run(
        _ tests: [ProbeTest], against target: ProbeTarget, timeout: Double = 5, strict: Bool = false,
        known: KnownChain? = nil, keyLog: ((String) -> Void)? = nil, report: (ProbeResult) -> Void
    ) {
        var random = SystemRandom()
        let configuration = SessionConfiguration(
            staticKey: .random(using: &random), protocols: [
                ProtocolSpec(name: "eth", version: 68, length: 17), ProtocolSpec(name: "eth", version: 69, length: 18),
                ProtocolSpec(name: "snap", version: 1, length: 8),
            ], clientID: "rlpx-tool-probe/0.1")
        let clock = ContinuousClock()
        for test in tests {
            var context = ProbeContext(target: target, timeout: timeout, configuration: configuration, known: known)
            let start = clock.now
            let check: Check
            do throws(ProbeError) {
                check = try test.body(&context)
            } catch {
                check = .fail("could not run: \(error)")
            }
            let elapsed = clock.now - start
            let verdict: Verdict
            switch check.result {
            case .passed: verdict = .ok
            case .informational: verdict = .informational
            case .unsupported: verdict = .unsupported
            case .failed: verdict = test.level == .must || strict ? .failed : .nonStrict
            }
            for line in context.keyLog { keyLog?(line) }
            report(ProbeResult(
                test: test, verdict: verdict, observed: check.observed, transcript: context.transcript,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
    }
}
