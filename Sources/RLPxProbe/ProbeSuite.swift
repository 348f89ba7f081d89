// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxMultiplexing

/// The probe's tests and how to run them against a node.
public enum ProbeSuite {
    /// Every test, in the order they run.
    public static let all: [ProbeTest] = BaseProtocolTests.all + EthTests.all + KnownChainTests.all + GethEthSuite.all + GethTransactionSuite.all + SnapTests.all + GethSnapSuite.all

    /// The tests whose identifier, or go-ethereum's name for the test, matches the regular expression `pattern`
    /// anywhere (all for nil).
    public static func select(_ pattern: String?) throws -> [ProbeTest] {
        guard let pattern else { return all }
        let regex = try Regex(pattern)
        return all.filter { $0.id.contains(regex) || ($0.gethName?.contains(regex) ?? false) }
    }

    /// The client ID the probe's Hello carries.
    public static let clientID = "rlpx-tool-probe/0.2"

    /// Runs `tests` one after another, each on fresh connections, calling `report` after each.
    /// - Parameters:
    ///   - timeout: seconds to wait for each expected reaction.
    ///   - strict: SHOULD tests count as MUST (a miss is FAILED, not NON-STRICT).
    ///   - known: the chain the node holds, for the known-answer tests (they are UNSUPPORTED without it).
    ///   - engine: the node's Engine API, for the transaction tests (they are UNSUPPORTED without it).
    ///   - keyLog: receives the key log line of every connection (for replay with `rlpx-tool conformance`).
    ///   - keepEvents: each result keeps its connections' events (``ProbeResult/events``), for an HTML report.
    public static func run(
        _ tests: [ProbeTest], against target: ProbeTarget, introduction: ProbeIntroduction, timeout: Double = 5, strict: Bool = false,
        known: KnownChain? = nil, engine: EngineTarget? = nil, dialer: ProbeDialer = .network, keyLog: ((String) -> Void)? = nil,
        keepEvents: Bool = false, report: (ProbeResult) -> Void
    ) {
        var random = SystemRandom()
        // Each connection replaces the key with a fresh one (ProbeContext.connect).
        let configuration = SessionConfiguration(staticKey: .random(using: &random), protocols: introduction.announced, clientID: clientID)
        let clock = ContinuousClock()
        for test in tests {
            var context = ProbeContext(
                target: target, timeout: timeout, configuration: configuration, known: known, engine: engine, dialer: dialer)
            context.keepEvents = keepEvents
            let start = clock.now
            let check: Check
            do throws(ProbeError) {
                check = try test.body(&context)
            } catch {
                // A connection the node refused or let time out is the node's doing; anything else is the probe's.
                check = Check(result: error.blamesNode ? .failed : .unsupported, observed: "could not run: \(error)")
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
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, events: context.events))
        }
    }
}
