// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxCrypto
import RLPxEvents
import RLPxHandshake

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

    /// The time the test reads and waits by (the dialer's).
    var clock: any ProbeClock { dialer.clock }

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
        if connections > 1 || !transcript.isEmpty { transcript.append("connection \(connection.number):") }
        transcript += connection.transcript.map { "  " + $0 }
        if keepEvents { events += connection.events }
        if let secrets = connection.session.secrets {
            let initiatorID = connection.session.configuration.staticKey.publicKey.nodeID
            keyLog.append(KeyLogEntry(secrets: secrets, initiatorID: initiatorID, recipientID: target.publicKey.nodeID).line)
        }
    }

    /// A connection that completed the handshake and the Hello exchange, or the problem that says why not.
    mutating func established(_ change: (inout SessionConfiguration) -> Void = { _ in }) throws(ProbeError) -> Result<ProbeConnection, Stopped> {
        var connection = try connect(change)
        let reaction = connection.awaitHello(timeout: timeout)
        guard case .event = reaction else {
            keep(connection)
            return .failure(Stopped(.problem("no session: \(reaction)")))
        }
        return .success(connection)
    }
}
