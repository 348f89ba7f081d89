// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxMultiplexing

/// The probe's tests and how to run them against a node.
public enum ProbeSuite {
    /// Every test, in the order they run.
    public static let all: [ProbeTest] =
        BaseProtocolTests.all + EthTests.all + KnownChainTests.all + GethEthSuite.all + GethTransactionSuite.all + SnapTests.all + GethSnapSuite.all

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
        let clock = dialer.clock
        for test in tests {
            var context = ProbeContext(
                target: target, timeout: timeout, configuration: configuration, known: known, engine: engine, dialer: dialer)
            context.keepEvents = keepEvents
            let start = clock.now
            let observation: Observation
            do throws(ProbeError) {
                observation = try test.run(&context)
            } catch {
                // A connection the node refused or let time out is the node's doing; anything else is the probe's.
                observation = error.blamesNode ? .problem("could not run: \(error)") : .unsupported("could not run: \(error)")
            }
            let elapsed = clock.seconds(since: start)
            let verdict = test.verdict(observation, strict: strict)
            for line in context.keyLog { keyLog?(line) }
            report(
                ProbeResult(
                    test: test, verdict: verdict, observed: observation.note, transcript: context.transcript,
                    seconds: elapsed, events: context.events))
        }
    }
}
