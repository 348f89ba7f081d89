// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Keccak
import RLPxEvents
import RLPxHandshake
import RLPxMultiplexing
import RLPxProtocols

/// Replays a capture: follows every TCP connection, finds RLPx sessions by their handshake (not by port), matches
/// each to its key-log line, decrypts and decodes both directions with the same codecs a live peer uses, and raises
/// a ``ConnectionEvent`` for everything it reads (it holds no rule: those consume the events). Feed it segments in
/// capture order, one at a time (``add(_:connectionID:)``) or in batches whose frames are decrypted on other
/// threads (``add(batch:)``), then call ``finish(captureEnd:)``.
///
/// This type routes TCP segments to connections. Each connection (`ConnectionReplay`) reassembles its streams,
/// sniffs its handshake (`+Handshake`), decrypts ahead on other threads (`+DecryptAhead`, `DecryptAheadQueue`,
/// `FrameDecryption`) and decodes frames and messages (`+Messages`); the Hellos are negotiated by DevP2P's
/// `HelloNegotiation`, as a live session does.
///
/// Used from one thread at a time, so its state, and each connection's, skips run-time exclusivity checks
/// (`@exclusivity(unchecked)`): they cost a few percent of a replay of small messages.
public final class CaptureReplay {
    /// A segment of a batch, with the number a connection it opens gets (nil: the next one).
    public struct NumberedSegment: Sendable {
        public var segment: TCPSegment
        public var connectionID: Int?

        public init(_ segment: TCPSegment, connectionID: Int? = nil) {
            self.segment = segment
            self.connectionID = connectionID
        }
    }

    /// Code-space sizes of protocols whose Hello capabilities carry no length (go-ethereum's values).
    public static let knownProtocols: [ProtocolSpec] = KnownProtocols.legacy + KnownProtocols.all

    private let keyLog: [[UInt8]: KeyLogEntry]
    private let lengths: [Capability: UInt64]
    private let sink: (ConnectionEvent) -> Void
    @exclusivity(unchecked) private var connections: [ConnectionKey: ConnectionReplay] = [:]
    @exclusivity(unchecked) private var order: [ConnectionReplay] = []
    @exclusivity(unchecked) private var skipped: Set<ConnectionKey> = []
    private var lastTime = 0.0

    /// - Parameters:
    ///   - keyLog: entries by auth hash (`KeyLogEntry/parse(_:)`).
    ///   - protocols: code-space sizes to use beyond ``knownProtocols``.
    ///   - events: called with each event as it happens, in capture order per connection.
    public init(
        keyLog: [[UInt8]: KeyLogEntry], protocols: [ProtocolSpec] = [], events: @escaping (ConnectionEvent) -> Void
    ) {
        self.keyLog = keyLog
        lengths = HelloNegotiation.lengths(protocols + Self.knownProtocols)
        sink = events
    }

    /// Adds one TCP segment, in capture order.
    /// - Parameter connectionID: the number a connection this segment opens gets (the next one when nil); a replay
    ///   split across workers numbers connections in the order of the whole capture.
    public func add(_ segment: TCPSegment, connectionID: Int? = nil) {
        route(segment, connectionID: connectionID, decryptAhead: false)
        // A connection that a batch left decrypting ahead stages even a single segment: read it now.
        if !queue.isIdle { drain() }
    }

    /// Adds segments in capture order, each with the number a connection it opens gets (as in
    /// ``add(_:connectionID:)``). Once a connection's handshake is read, each direction's frames are decrypted on
    /// another thread, both directions at once, while this thread reads the previous batch's messages; the events
    /// are the same, in the same order per connection, as adding the segments one at a time. The last batch's
    /// messages are read by the next call or by ``finish(captureEnd:)``.
    public func add(batch segments: [NumberedSegment]) {
        for index in segments.indices { route(segments[index].segment, connectionID: segments[index].connectionID, decryptAhead: true) }
        advance()
    }

    /// Connections being decrypted ahead on other threads (``add(batch:)``).
    @exclusivity(unchecked) private var queue = DecryptAheadQueue()

    /// Waits for the decryption running, starts the staged one, then reads what the finished one decrypted.
    private func advance() {
        for connection in queue.advance() { connection.readDecrypted(replay: self) }
    }

    /// Reads everything staged or being decrypted.
    private func drain() {
        advance()
        advance()
    }

    func stage(_ connection: ConnectionReplay) { queue.stage(connection) }

    /// The connection the last segment went to, and its endpoints: most segments follow one of the same
    /// connection, and comparing endpoints costs less than a key and a dictionary look-up per segment.
    @exclusivity(unchecked) private var lastRouted: (a: Endpoint, b: Endpoint, connection: ConnectionReplay)?

    private func route(_ segment: TCPSegment, connectionID: Int?, decryptAhead: Bool) {
        lastTime = max(lastTime, segment.time)
        if let last = lastRouted,
            (segment.source == last.a && segment.destination == last.b) || (segment.source == last.b && segment.destination == last.a)
        {
            last.connection.add(segment, replay: self, decryptAhead: decryptAhead)
            return
        }
        let key = ConnectionKey(segment)
        if let connection = connections[key] {
            lastRouted = (segment.source, segment.destination, connection)
            connection.add(segment, replay: self, decryptAhead: decryptAhead)
            return
        }
        if segment.syn && !segment.ack {
            let connection = ConnectionReplay(
                id: connectionID ?? order.count + 1, initiator: segment.source, recipient: segment.destination,
                initialSequence: segment.sequence, lengths: lengths)
            connections[key] = connection
            order.append(connection)
            emit(
                ConnectionEvent(
                    connection: connection.summary.id, time: segment.time,
                    kind: .opened(initiator: segment.source.description, recipient: segment.destination.description)))
        } else if !segment.payload.isEmpty && !skipped.contains(key) {
            skipped.insert(key)
            var summary = ConnectionSummary(
                id: 0, initiator: segment.source, recipient: segment.destination, status: .startedBeforeCapture)
            summary.notes.append("no SYN seen: skipped")
            skippedSummaries.append(summary)
        }
    }

    @exclusivity(unchecked) private var skippedSummaries: [ConnectionSummary] = []

    /// Ends the replay: releases what still waits, notes stream gaps, closes every connection at the capture's
    /// last time (`captureEnd`, or the last segment this replay saw), and returns every connection's summary.
    public func finish(captureEnd: Double? = nil) -> [ConnectionSummary] {
        drain()
        for connection in order { connection.finish(replay: self, captureEnd: captureEnd ?? lastTime) }
        return order.map(\.summary) + skippedSummaries
    }

    func emit(_ event: ConnectionEvent) { sink(event) }
    func entry(for authPacket: [UInt8]) -> KeyLogEntry? { keyLog[Keccak256.hash(authPacket)] }
    func hasEntry(for authPacket: some Collection<UInt8>) -> Bool { keyLog[Keccak256.hash(authPacket)] != nil }
}
