// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RLPxCrypto
import RLPxMultiplexing

/// One subprotocol message as a handler sees it: the code local to its protocol, and the payload.
public struct PeerMessage: Sendable, Hashable {
    public var code: UInt64
    public var payload: [UInt8]

    public init(code: UInt64, payload: [UInt8]) {
        self.code = code
        self.payload = payload
    }
}

/// The inbound messages of one subprotocol. Iterating slowly makes the runner stop reading from the socket once
/// ``PeerConfiguration/inboundHighWatermark`` messages wait, so a slow reader slows the sender instead of growing a
/// queue. It ends when the session ends.
public struct PeerMessages: AsyncSequence, Sendable {
    public typealias Element = PeerMessage
    typealias Producer = NIOAsyncSequenceProducer<
        PeerMessage, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, ProtocolStreamDelegate
    >
    let producer: Producer

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator
        public mutating func next() async -> PeerMessage? { await base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: producer.makeAsyncIterator()) }
}

/// A message waiting in a connection's outbox.
struct PeerOutgoing: Sendable {
    let name: String
    let code: UInt64
    let payload: [UInt8]
}

/// Sends waiting for the event loop to seal them, and whether more may join.
struct PeerOutbox: Sendable {
    /// Payload bytes the outbox holds at most before senders wait (a single larger message is still taken).
    static let limit = 1 << 20

    var items: [PeerOutgoing] = []
    var bytes = 0

    /// Queues `item` unless the connection is backed up (the channel is not `writable`, or the outbox is full);
    /// returns whether this is the first queued item (the caller then schedules a drain), or nil when the sender
    /// must wait.
    mutating func offer(_ item: PeerOutgoing, writable: Bool) -> Bool? {
        guard writable, bytes < Self.limit else { return nil }
        items.append(item)
        bytes += item.payload.count
        return items.count == 1
    }

    mutating func take() -> [PeerOutgoing] {
        defer {
            items.removeAll(keepingCapacity: true)
            bytes = 0
        }
        return items
    }
}

/// Resumes reading when a protocol's consumer catches up.
struct ProtocolStreamDelegate: NIOAsyncSequenceProducerDelegate {
    let name: String
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<RLPxChannelHandler>

    func produceMore() {
        let (name, handler) = (name, handler)
        eventLoop.execute { handler.value.resumeReading(for: name) }
    }

    func didTerminate() { produceMore() }
}

/// A live session with one peer: what it announced, its protocols' inbound messages, and how to send, ping and
/// disconnect. Safe to use from any task; every operation runs on the connection's event loop in order.
public final class PeerConnection: Sendable {
    private struct State {
        var remotePublicKey: Secp256k1.PublicKey?
        var hello: Hello?
        var matched: [MatchedProtocol] = []
        var streams: [String: PeerMessages] = [:]
        var ended: PeerError?
    }

    let channel: any Channel
    let handler: NIOLoopBound<RLPxChannelHandler>
    /// Sends queued for the loop; one drain per burst seals them all.
    let outbox = NIOLockedValueBox(PeerOutbox())
    let established: EventLoopPromise<Void>
    let closed: EventLoopPromise<PeerError>
    private let state = NIOLockedValueBox(State())
    let logger: Logger

    init(channel: any Channel, handler: NIOLoopBound<RLPxChannelHandler>, logger: Logger) {
        self.channel = channel
        self.handler = handler
        self.logger = logger
        established = channel.eventLoop.makePromise()
        closed = channel.eventLoop.makePromise()
    }

    /// The remote node's public key (its node ID).
    public var remotePublicKey: Secp256k1.PublicKey? { state.withLockedValue { $0.remotePublicKey } }
    /// The remote Hello.
    public var remoteHello: Hello? { state.withLockedValue { $0.hello } }
    /// The shared protocols and their code ranges.
    public var matchedProtocols: [MatchedProtocol] { state.withLockedValue { $0.matched } }
    /// How the session ended, or nil while it is open.
    public var endReason: PeerError? { state.withLockedValue { $0.ended } }
    /// The remote address.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// The inbound messages of the matched protocol `name` (each protocol has one sequence; iterate it once).
    public func messages(for name: String) -> PeerMessages? { state.withLockedValue { $0.streams[name] } }

    /// Sends a message on protocol `name`, with the code local to it. Messages go out in the order they were
    /// sent. While the connection keeps up this only queues the message; once the socket's unwritten bytes pass
    /// the channel's high watermark, or a megabyte waits to be sealed, it waits until they drain, so a slow peer
    /// slows the sender instead of growing a queue.
    /// - Throws: `SessionError` for a protocol not shared, a code out of range or a session that has ended
    ///   (nothing is written).
    public func send(protocol name: String, code: UInt64, payload: [UInt8]) async throws {
        let (matched, ended) = state.withLockedValue { ($0.matched, $0.ended) }
        guard ended == nil, !matched.isEmpty else { throw SessionError.notActive }
        if let refusal = SessionError.refusal(protocol: name, code: code, matched: matched) { throw refusal }
        let item = PeerOutgoing(name: name, code: code, payload: payload)
        let handler = handler
        while true {
            // `isWritable` is thread-safe: the channel keeps it in an atomic.
            let writable = channel.isWritable
            switch outbox.withLockedValue({ $0.offer(item, writable: writable) }) {
            case true?:
                // The drain runs after whatever else the loop has queued; later sends join it until it runs.
                channel.eventLoop.execute { handler.value.drainOutbox() }
                return
            case false?:
                return
            case nil:
                // Runs after any pending drain, so the outbox is empty by then; order is kept.
                try await channel.eventLoop.flatSubmit { handler.value.waitUntilWritable() }.get()
            }
        }
    }

    /// Pings the peer and returns the round-trip time.
    public func ping() async throws -> Duration {
        let handler = handler
        return try await channel.eventLoop.flatSubmit { handler.value.ping() }.get()
    }

    /// Ends the session with `reason`: the Disconnect is written and flushed, then the connection closes.
    public func disconnect(_ reason: DisconnectReason = .requested) async {
        let handler = handler
        _ = try? await channel.eventLoop.flatSubmit { handler.value.disconnect(reason) }.get()
        _ = try? await closed.futureResult.get()
    }

    /// Sends any wire code and payload, bypassing every check: a fault-injection hook for conformance tests.
    public func sendUnchecked(wireCode: UInt64, payload: [UInt8], compressed: Bool? = nil, corruptMAC: Bool = false) async throws {
        try await sendUnchecked([(wireCode, payload)], compressed: compressed, corruptMAC: corruptMAC)
    }

    /// Several unchecked messages in one write, so the peer cannot react in between.
    public func sendUnchecked(
        _ messages: [(wireCode: UInt64, payload: [UInt8])], compressed: Bool? = nil, corruptMAC: Bool = false
    ) async throws {
        let handler = handler
        let batch = messages.map { PeerMessage(code: $0.wireCode, payload: $0.payload) }
        try await channel.eventLoop.flatSubmit {
            handler.value.sendUnchecked(batch, compressed: compressed, corruptMAC: corruptMAC)
        }.get()
    }

    /// Waits until the session has ended and says how.
    public func waitUntilClosed() async -> PeerError {
        (try? await closed.futureResult.get()) ?? PeerError(disconnect: .networkError, origin: .local, detail: "closed")
    }

    /// Waits until the remote Hello is accepted; throws ``PeerError`` if the session ends first.
    func waitUntilEstablished() async throws { try await established.futureResult.get() }

    // MARK: Called on the event loop by the handler.

    func handshakeCompleted(_ key: Secp256k1.PublicKey) {
        state.withLockedValue { $0.remotePublicKey = key }
    }

    func helloReceived(_ hello: Hello, matched: [MatchedProtocol], streams: [String: PeerMessages]) {
        state.withLockedValue {
            $0.hello = hello
            $0.matched = matched
            $0.streams = streams
        }
        established.succeed()
    }

    func ended(_ error: PeerError) {
        let first = state.withLockedValue { current -> Bool in
            guard current.ended == nil else { return false }
            current.ended = error
            return true
        }
        guard first else { return }
        established.fail(error)
        closed.succeed(error)
    }
}
