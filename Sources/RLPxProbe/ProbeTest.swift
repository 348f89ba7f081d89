// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxEvents
import RLPxMultiplexing

/// One probe test: a stable identifier, the requirement it checks, what it sends, and the reactions that pass as
/// values. Each runs on fresh connections of its own, so one failure cannot poison the next.
public struct ProbeTest: Sendable {
    /// How strongly the specification asks for the behaviour (RFC 2119).
    public enum Level: String, Sendable {
        case must = "MUST"
        case should = "SHOULD"
    }

    public let id: String
    /// The specification section it checks.
    public let section: String
    public let level: Level
    /// What it sends.
    public let sends: String
    /// The reactions that pass: the runner gives OK to no other.
    public let expected: [ExpectedReaction]
    /// What an accepted reaction must hold besides its kind (the body checks it), if anything.
    public let content: String?
    /// The go-ethereum devp2p suite's test that checks the same, if any.
    public let gethName: String?
    /// Opens the test's stage and runs its body.
    let run: @Sendable (inout ProbeContext) throws(ProbeError) -> Observation

    /// The reactions that pass, as reports and `--list` print them: the expected reactions, then the content.
    public var passes: String { expected.map(\.description).joined(separator: ", or ") + (content.map { ": " + $0 } ?? "") }

    /// A test whose `body` starts from what `stage` opens (a bare transport, a session, an eth session, ...) and
    /// returns what it observed; the verdict comes from matching that against `expected`.
    init<Input>(
        _ id: String, section: String, level: Level = .must, sends: String, expects expected: [ExpectedReaction], content: String? = nil,
        geth: String? = nil, from stage: ProbeStage<Input>,
        body: @escaping @Sendable (inout ProbeContext, inout Input) throws(ProbeError) -> Observation
    ) {
        self.id = id
        self.section = section
        self.level = level
        self.sends = sends
        self.expected = expected
        self.content = content
        gethName = geth
        run = { context throws(ProbeError) in
            var input: Input
            switch try stage.open(&context) {
            case .failure(let stopped): return stopped.observation
            case .success(let opened): input = opened
            }
            defer { stage.keep(&context, input) }
            var observation = try body(&context, &input)
            stage.annotate(input, &observation)
            return observation
        }
    }

    /// The verdict on `observation`: OK (or INFORMATIONAL) only for a reaction this test expects.
    func verdict(_ observation: Observation, strict: Bool) -> Verdict {
        let missed: Verdict = level == .must || strict ? .failed : .nonStrict
        switch observation.kind {
        case .unsupported: return .unsupported
        case .problem: return missed
        case .reaction(let reaction, let informational):
            guard expected.contains(where: { $0.accepts(reaction) }) else { return missed }
            return informational ? .informational : .ok
        }
    }
}

/// Autobahn's verdicts.
public enum Verdict: String, Sendable, CaseIterable {
    case ok = "OK"
    /// A SHOULD not met.
    case nonStrict = "NON-STRICT"
    case informational = "INFORMATIONAL"
    /// The node does not offer what the test needs.
    case unsupported = "UNSUPPORTED"
    /// A MUST not met.
    case failed = "FAILED"
}

/// One test's result.
public struct ProbeResult: Sendable {
    public let test: ProbeTest
    public let verdict: Verdict
    public let observed: String
    /// The decoded transcripts of the test's connections (kept for failures and `--strict` non-strict ones).
    public let transcript: [String]
    public let seconds: Double
    /// Every event of the test's connections, in order per connection (kept when the run asks: HTML reports).
    public var events: [ConnectionEvent] = []
}
