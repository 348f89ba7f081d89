// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxConformance
import RLPxCrypto
import RLPxEvents
import RLPxHandshake

/// What a node did in answer to a test's step.
enum Reaction: CustomStringConvertible {
    /// The awaited session event arrived.
    case event(SessionEvent)
    /// The node sent Disconnect with this reason.
    case disconnect(DisconnectReason)
    /// The node closed the connection without a Disconnect.
    case closed(reset: Bool)
    /// Our session refused what the node sent (e.g. a payload it should have compressed).
    case refused(String)
    /// Nothing within the time given.
    case silence(Double)

    var description: String {
        switch self {
        case .event(let event): Self.describe(event)
        case .disconnect(let reason): "Disconnect \(reason.rawValue) (\(reason))"
        case .closed(let reset): reset ? "connection reset" : "connection closed without Disconnect"
        case .refused(let detail): "our session refused what the node sent: \(detail)"
        case .silence(let seconds): "no reaction within \(seconds) s"
        }
    }

    /// A session event as a report says it.
    static func describe(_ event: SessionEvent) -> String {
        switch event {
        case .handshakeCompleted(_, let format): "handshake completed (\(format.rawValue) ack)"
        case .helloReceived(let hello, let matched):
            "Hello from \(TextClip.clip(hello.clientID)) sharing \(matched.map { "\($0.name)/\($0.version)" }.joined(separator: ","))"
        case .message(let matched, let code, let payload): "\(matched.name)/\(matched.version) message \(code) (\(payload.count) B)"
        case .pingAnswered: "a Ping (answered)"
        case .pong(let roundTrip): "Pong after \(roundTrip.components.seconds * 1000 + roundTrip.components.attoseconds / 1_000_000_000_000_000) ms"
        case .disconnected(let reason, let origin, let detail): "Disconnect \(reason.rawValue) (\(reason)) from the \(origin) side: \(detail)"
        }
    }
}

/// One probe connection: a socket and the sans-I/O session that speaks over it, with the decoded transcript of
/// both directions (the same events a capture replay gives).
struct ProbeConnection {
    let socket: any ProbeTransport
    var session: Session
    /// The connection's number in its test (0 for the introduction's).
    let number: Int
    var random = SystemRandom()
    /// The dialer's clock.
    let clock: any ProbeClock
    private var live: LiveSessionEvents
    private let started: ContinuousClock.Instant
    /// Everything seen on the connection, as events.
    private(set) var events: [ConnectionEvent] = []
    /// Session events read from the socket that no wait has looked at yet, oldest first.
    private var unread: [SessionEvent] = []

    /// Connects to `target` and sends the auth packet `configuration` makes (tampered by `auth` when given).
    init(
        _ target: ProbeTarget, configuration: SessionConfiguration, number: Int, timeout: Double, dialer: ProbeDialer = .network,
        auth tamper: (([UInt8]) -> [UInt8])? = nil, remoteKey: Secp256k1.PublicKey? = nil
    ) throws(ProbeError) {
        socket = try dialer.dial(target, timeout)
        self.number = number
        clock = dialer.clock
        started = clock.now
        let (session, output) = Session.initiator(
            configuration, remotePublicKey: remoteKey ?? target.publicKey, now: clock.now, random: &random)
        self.session = session
        live = LiveSessionEvents(connection: number, local: .initiator, localHello: configuration.hello)
        events.append(live.opened(initiator: "probe", recipient: "\(target.host):\(target.port)", time: 0))
        socket.write(tamper.map { $0(output.bytes) } ?? output.bytes)
    }

    private var elapsed: Double { clock.seconds(since: started) }

    /// Writes what the session produced.
    mutating func send(_ output: SessionOutput) {
        note(output.events)
        socket.write(output.bytes)
    }

    /// Sends a subprotocol or base message through the session, recording it in the transcript.
    mutating func send(protocol name: String, code: UInt64, payload: [UInt8]) {
        guard let output = try? session.send(protocol: name, code: code, payload: payload) else { return }
        if let event = live.sent(protocol: name, code: code, payload: payload, time: elapsed) { events.append(event) }
        send(output)
    }

    /// Reads and feeds the session until `stop` accepts an event, the node disconnects or closes, our session
    /// refuses its bytes, or `timeout` seconds pass. Events read together with the one that ends a wait (a Hello and
    /// a Status in one segment) are kept for the next wait: nothing read from the socket is dropped.
    mutating func waitFor(timeout: Double, until stop: (SessionEvent) -> Bool) -> Reaction {
        if let reaction = consumeUnread(until: stop) { return reaction }
        let deadline = elapsed + timeout
        while true {
            let left = deadline - elapsed
            guard left > 0 else { return .silence(timeout) }
            switch socket.read(timeout: left) {
            case .timeout: return .silence(timeout)
            case .closed(let reset):
                events.append(live.closed(time: elapsed))
                return .closed(reset: reset)
            case .bytes(let bytes):
                let output = session.receive(bytes, now: clock.now, random: &random)
                note(output.events)
                socket.write(output.bytes)
                unread += output.events
                if let reaction = consumeUnread(until: stop) { return reaction }
            }
        }
    }

    /// Takes events from those read but not yet looked at, up to the first that ends the wait; the rest stay.
    private mutating func consumeUnread(until stop: (SessionEvent) -> Bool) -> Reaction? {
        while !unread.isEmpty {
            let event = unread.removeFirst()
            switch event {
            case .disconnected(let reason, .remote, _): return .disconnect(reason)
            case .disconnected(_, .local, let detail): return .refused(detail)
            default: if stop(event) { return .event(event) }
            }
        }
        return nil
    }

    /// Sends a Ping and waits for its Pong (or what the node did instead).
    mutating func ping(timeout: Double) -> Reaction {
        send(session.ping(now: clock.now))
        return waitFor(timeout: timeout) { if case .pong = $0 { return true } else { return false } }
    }

    /// Waits for the node to end the session (a Disconnect, a close, or bytes our session refuses) or `timeout`
    /// seconds to pass.
    mutating func awaitEnding(timeout: Double) -> Reaction { waitFor(timeout: timeout) { _ in false } }

    /// Waits for the remote Hello (the session is then active).
    mutating func awaitHello(timeout: Double) -> Reaction {
        waitFor(timeout: timeout) { if case .helloReceived = $0 { return true } else { return false } }
    }

    /// Reads raw bytes (no session): what a node does when it must not answer.
    mutating func awaitRaw(timeout: Double) -> (answered: Bool, reaction: Reaction) {
        switch socket.read(timeout: timeout) {
        case .bytes(let bytes): (!bytes.isEmpty, .refused("\(bytes.count) bytes answered"))
        case .closed(let reset): (false, .closed(reset: reset))
        case .timeout: (false, .silence(timeout))
        }
    }

    /// Seconds since the connection opened.
    var age: Double { elapsed }

    private mutating func note(_ sessionEvents: [SessionEvent]) {
        for event in sessionEvents { events += live.received(event, time: elapsed) }
    }

    /// The transcript lines of this connection.
    var transcript: [String] {
        events.compactMap { event in
            switch event.kind {
            case .message(let side, let message):
                let entry = TranscriptEntry(connection: event.connection, time: event.time, side: side, message: message)
                return "\(decimalSeconds(entry.time)) \(entry.direction) \(entry.protocolName) \(entry.message) \(entry.size) B"
                    + (entry.summary.isEmpty ? "" : " \(entry.summary)")
            case .handshake(let side, let format, _): return "\(decimalSeconds(event.time)) handshake \(format) from the \(side.rawValue)"
            case .closed: return "\(decimalSeconds(event.time)) closed"
            default: return nil
            }
        }
    }

    private func decimalSeconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)s"
    }
}

/// The node a probe runs against.
public struct ProbeTarget: Sendable {
    public var host: String
    public var port: UInt16
    public var publicKey: Secp256k1.PublicKey

    public init(host: String, port: UInt16, publicKey: Secp256k1.PublicKey) {
        self.host = host
        self.port = port
        self.publicKey = publicKey
    }
}
