// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxMultiplexing

/// One probe test: a stable identifier, the requirement it checks, what it sends and which reactions pass. Each
/// runs on fresh connections of its own, so one failure cannot poison the next.
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
    /// The reactions that pass.
    public let passes: String
    /// The go-ethereum devp2p suite's test that checks the same, if any.
    public let gethName: String?
    let body: @Sendable (inout ProbeContext) throws(ProbeError) -> Check

    init(
        _ id: String, section: String, level: Level, sends: String, passes: String, geth: String? = nil,
        body: @escaping @Sendable (inout ProbeContext) throws(ProbeError) -> Check
    ) {
        self.id = id
        self.section = section
        self.level = level
        self.sends = sends
        self.passes = passes
        gethName = geth
        self.body = body
    }
}

/// What a test's body found: whether the reaction passed, and what was observed.
struct Check {
    enum Result {
        case passed
        case failed
        /// The node does not offer what the test needs.
        case unsupported
        /// Passed, with something worth knowing.
        case informational
    }

    var result: Result
    var observed: String

    static func pass(_ observed: String) -> Check { Check(result: .passed, observed: observed) }
    static func fail(_ observed: String) -> Check { Check(result: .failed, observed: observed) }
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
}
