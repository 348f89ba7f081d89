// SPDX-License-Identifier: Apache-2.0

/// What a test's body found, as a value the runner turns into the verdict: the node's reaction (OK only when the
/// test expects it), a problem (wrong content, or a step before the judged reaction failed), or that the node does
/// not offer what the test needs. A body does not decide that a reaction passes.
struct Observation: Sendable {
    enum Kind: Sendable {
        /// Judged against the test's expected reactions; `informational`: accepted, with something worth knowing.
        case reaction(ObservedReaction, informational: Bool)
        /// FAILED (NON-STRICT for a SHOULD), whatever the reaction.
        case problem
        /// UNSUPPORTED: the node does not offer what the test needs, or the probe cannot run the test.
        case unsupported
    }

    var kind: Kind
    /// What the report says was observed.
    var note: String

    /// The node reacted with `reaction`; `note` says how.
    static func saw(_ reaction: ObservedReaction, _ note: String, informational: Bool = false) -> Observation {
        Observation(kind: .reaction(reaction, informational: informational), note: note)
    }

    /// The node reacted with `reaction` (its text is the note).
    static func saw(_ reaction: Reaction) -> Observation { saw(reaction.observed, "\(reaction)") }

    static func problem(_ note: String) -> Observation { Observation(kind: .problem, note: note) }

    static func unsupported(_ note: String) -> Observation { Observation(kind: .unsupported, note: note) }

    /// This observation as a step before the reaction a test judges: a reaction there is a problem (the step did not
    /// go as it must for the test to go on).
    var asStep: Observation {
        guard case .reaction = kind else { return self }
        return .problem(note)
    }

    /// Whether `expected` accepts this observation's reaction (false for a problem or UNSUPPORTED): for a body that
    /// goes on to a further step only after an accepted one.
    func isAccepted(by expected: [ExpectedReaction]) -> Bool {
        guard case .reaction(let reaction, _) = kind else { return false }
        return expected.contains { $0.accepts(reaction) }
    }
}

/// What ends a test before its body (a stage that could not open) or a step of it: the observation to report.
struct Stopped: Error {
    let observation: Observation

    init(_ observation: Observation) { self.observation = observation }
}
