// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxMultiplexing
import RLPxEvents

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
    /// Every event of the test's connections, in order per connection (kept when the run asks: HTML reports).
    public var events: [ConnectionEvent] = []
}

/// What a test's body uses: the target, the timeout, and fresh connections whose transcripts are kept.
public struct ProbeContext {
    public let target: ProbeTarget
    /// How long to wait for an expected reaction.
    public let timeout: Double
    /// The local node's configuration: the protocols to announce (each connection gets a fresh key).
    var configuration: SessionConfiguration
    var transcript: [String] = []
    /// The events of the kept connections, when ``keepEvents`` (HTML reports draw them).
    var events: [ConnectionEvent] = []
    var keepEvents = false
    private var connections = 0
    /// Key log lines of every connection, for replaying a failure with `rlpx-tool conformance`.
    var keyLog: [String] = []
    /// The chain the node is known to hold, for the known-answer tests.
    public let known: KnownChain?
    /// The node's Engine API, for the transaction tests (they are UNSUPPORTED without it).
    public let engine: EngineTarget?

    /// How connections are opened (the network, or a node in memory in the probe's own tests).
    let dialer: ProbeDialer

    init(
        target: ProbeTarget, timeout: Double, configuration: SessionConfiguration, known: KnownChain?, engine: EngineTarget? = nil,
        dialer: ProbeDialer = .network
    ) {
        self.dialer = dialer
        self.target = target
        self.timeout = timeout
        self.configuration = configuration
        self.known = known
        self.engine = engine
    }

    /// A bare connection to the target, for tests below the session (raw handshakes, silence).
    func transport() throws(ProbeError) -> any ProbeTransport { try dialer.dial(target, timeout) }

    /// A fresh connection with `configuration` changed by `change`.
    mutating func connect(
        _ change: (inout SessionConfiguration) -> Void = { _ in }, auth: (([UInt8]) -> [UInt8])? = nil,
        remoteKey: Secp256k1.PublicKey? = nil
    ) throws(ProbeError) -> ProbeConnection {
        var configuration = self.configuration
        // A fresh identity per connection, as go-ethereum's suites dial: a node refuses a second session from a
        // node ID it still holds (Disconnect 5, already connected), and the previous one may not be gone yet.
        var random = SystemRandom()
        configuration.staticKey = .random(using: &random)
        change(&configuration)
        connections += 1
        return try ProbeConnection(
            target, configuration: configuration, number: connections, timeout: timeout, dialer: dialer, auth: auth, remoteKey: remoteKey)
    }

    /// Keeps a finished connection's transcript (and key log line).
    mutating func keep(_ connection: ProbeConnection) {
        if connections > 1 || !transcript.isEmpty { transcript.append("connection \(connections):") }
        transcript += connection.transcript.map { "  " + $0 }
        if keepEvents { events += connection.events }
        if let secrets = connection.session.secrets {
            let initiatorID = connection.session.configuration.staticKey.publicKey.nodeID
            keyLog.append(KeyLogEntry(secrets: secrets, initiatorID: initiatorID, recipientID: target.publicKey.nodeID).line)
        }
    }

    /// A connection that completed the handshake and the Hello exchange, or the check that says why not.
    mutating func established(_ change: (inout SessionConfiguration) -> Void = { _ in }) throws(ProbeError) -> Result<ProbeConnection, CheckFailure> {
        var connection = try connect(change)
        let reaction = connection.awaitHello(timeout: timeout)
        guard case .event = reaction else {
            keep(connection)
            return .failure(CheckFailure(check: .fail("no session: \(reaction)")))
        }
        return .success(connection)
    }
}

/// A check that ends a test early.
struct CheckFailure: Error {
    let check: Check
}

import Eth
import Snap
import RLPxCrypto
import RLPxHandshake

/// A chain the node was started on (go-ethereum's suites take the same: a genesis and an exported chain, or their
/// test-data directory), for requests whose answers are known.
public struct KnownChain: Sendable {
    /// The chain's configuration (network, fork schedule), when its genesis file was given.
    public var config: ChainConfig?
    /// Every block from the genesis block (number 0) on.
    public var blocks: [Block]
    /// Receipts by block number (may be empty: then the receipts test is unsupported).
    public var receipts: [[Receipt]]
    /// The block whose receipts pass eth/70's 10 MiB packet budget (go-ethereum's `txinfo.json` tx-largereceipt).
    public var largeReceiptBlock: UInt64?
    /// Funded accounts the transaction tests sign with, in ascending address order (go-ethereum's `GetSender(i)`).
    public var senders: [Secp256k1.PrivateKey]
    /// The Engine API request that names the head (`headfcu.json`), posted before each transaction test.
    public var forkchoiceRequest: [UInt8]?
    /// go-ethereum's snap suite on this chain's states (nil without the head state).
    public var snapSuite: SnapSuite?

    public init(
        config: ChainConfig? = nil, blocks: [Block], receipts: [[Receipt]], largeReceiptBlock: UInt64? = nil,
        senders: [Secp256k1.PrivateKey] = [], forkchoiceRequest: [UInt8]? = nil, snapSuite: SnapSuite? = nil
    ) {
        self.snapSuite = snapSuite
        self.config = config
        self.blocks = blocks
        self.receipts = receipts
        self.largeReceiptBlock = largeReceiptBlock
        self.senders = senders
        self.forkchoiceRequest = forkchoiceRequest
    }

    /// The head block's header (nil for a chain given without blocks).
    public var head: BlockHeader? { blocks.last?.header }
}
