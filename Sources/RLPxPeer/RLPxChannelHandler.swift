// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RLP
import RLPxCrypto
import RLPxHandshake
import RLPxMultiplexing

/// Feeds received bytes to the connection's `Session` and carries out what it returns: writes, events, close.
/// Holds no protocol rules of its own. Confined to its channel's event loop.
public final class RLPxChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private var session: Session
    private var pending: SessionOutput?
    private let configuration: PeerConfiguration
    private var context: ChannelHandlerContext?
    private var timer: RepeatedTask?
    private var random = SystemRandom()
    private var sources: [String: PeerMessages.Producer.Source] = [:]
    private var pausedProtocols: Set<String> = []
    private var pings: [EventLoopPromise<Duration>] = []
    /// Frames sealed and not yet written; reused across writes (see ``drainOutbox()``).
    private var sealed: [UInt8] = []
    /// Senders waiting for the channel to become writable again.
    private var writers: [EventLoopPromise<Void>] = []
    /// Called on the loop when the connection ends, after the connection object learned how.
    var onClose: (() -> Void)?
    /// Called on the event loop once the encryption handshake completed (a listener's pending budget ends there).
    var onHandshake: (() -> Void)?
    /// Whether ``start(context:)`` ran.
    private var started = false
    private(set) var connection: PeerConnection?
    private var logger: Logger
    private let eventLoop: any EventLoop

    init(session: Session, firstOutput: SessionOutput?, configuration: PeerConfiguration, eventLoop: any EventLoop) {
        self.session = session
        pending = firstOutput
        self.configuration = configuration
        self.eventLoop = eventLoop
        logger = configuration.logger
    }

    func attach(_ connection: PeerConnection) { self.connection = connection }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // A handler added to a connection that is already up (a listener held it until a handshake slot freed)
        // gets no channelActive: it starts here.
        if context.channel.isActive { start(context: context) }
    }

    /// Called when the closed channel's pipeline is torn down: drops the references to the context and the
    /// connection, each of which refers back to this handler, so neither cycle outlives the channel (without this,
    /// every session left ≈ 11 KiB behind). The connection keeps the handler; its late calls find no context.
    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
        connection = nil
        onClose = nil
        onHandshake = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    /// Sends what the session has to say first and starts the clock, once per connection.
    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        if let remote = context.remoteAddress { logger[metadataKey: "peer"] = "\(remote)" }
        logger.debug("connected")
        if let first = pending {
            pending = nil
            apply(first)
        }
        let interval = TimeAmount.nanoseconds(
            Int64(configuration.tickInterval.components.seconds) * 1_000_000_000
                + Int64(configuration.tickInterval.components.attoseconds / 1_000_000_000))
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.tick()
        }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        apply(session.receive(buffer.readableBytesView, now: .now, random: &random))
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if !session.isClosed {
            _ = session.disconnect(.networkError, detail: "connection closed")
            end(PeerError(disconnect: .networkError, origin: .remote, detail: "the connection closed"))
        }
        onClose?()
        context.fireChannelInactive()
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiting = writers
            writers = []
            for promise in waiting { promise.succeed() }
        }
        context.fireChannelWritabilityChanged()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Driving the session

    private func tick() {
        apply(session.tick(now: .now))
    }

    private func apply(_ output: SessionOutput) {
        guard let context else { return }
        var lastWrite: EventLoopFuture<Void>?
        if !output.bytes.isEmpty {
            lastWrite = context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: output.bytes)))
            if dropIfNotReading(context) { return }
        }
        // Messages of one read go to their protocol's sequence in one batch: one wake-up for the consumer.
        var batches: [String: [PeerMessage]] = [:]
        for event in output.events {
            if case .message(let matched, let code, let payload) = event {
                logger.trace("message", metadata: ["protocol": "\(matched.name)", "code": "\(code)", "size": "\(payload.count)"])
                batches[matched.name, default: []].append(PeerMessage(code: code, payload: payload))
                continue
            }
            deliver(&batches)
            handle(event)
        }
        deliver(&batches)
        if output.close {
            // Flush the Disconnect, then close.
            if let lastWrite {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                lastWrite.whenComplete { _ in bound.value.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func handle(_ event: SessionEvent) {
        switch event {
        case .handshakeCompleted(let key, let format):
            logger.debug("handshake complete", metadata: ["format": "\(format.rawValue)"])
            connection?.handshakeCompleted(key)
            onHandshake?()
            if let keyLog = configuration.keyLog, let secrets = session.secrets {
                keyLog.append(secrets, localID: configuration.session.staticKey.publicKey.nodeID, remoteID: key.nodeID)
            }
        case .helloReceived(let hello, let matched):
            logger.debug("hello received", metadata: ["client": "\(hello.clientID)", "protocols": "\(matched.map(\.description))"])
            var streams: [String: PeerMessages] = [:]
            for protocolMatch in matched {
                guard let context, let connection else { break }
                let made = PeerMessages.Producer.makeSequence(
                    backPressureStrategy: .init(
                        lowWatermark: configuration.inboundLowWatermark, highWatermark: configuration.inboundHighWatermark),
                    finishOnDeinit: false,
                    delegate: ProtocolStreamDelegate(name: protocolMatch.name, eventLoop: context.eventLoop, handler: connection.handler))
                sources[protocolMatch.name] = made.source
                streams[protocolMatch.name] = PeerMessages(producer: made.sequence)
            }
            connection?.helloReceived(hello, matched: matched, streams: streams)
        case .message:
            break  // Batched by apply(_:).
        case .pingAnswered:
            logger.trace("ping answered")
        case .pong(let roundTrip):
            logger.trace("pong", metadata: ["rtt": "\(roundTrip)"])
            let waiting = pings
            pings = []
            for promise in waiting { promise.succeed(roundTrip) }
        case .disconnected(let reason, let origin, let detail):
            logger.debug("disconnected", metadata: ["reason": "\(reason)", "origin": "\(origin.rawValue)", "detail": "\(detail)"])
            end(PeerError(disconnect: reason, origin: origin, detail: detail, remoteHello: session.remoteHello))
        }
    }

    /// Hands each protocol its batch of messages; a protocol whose buffer is full pauses reading.
    private func deliver(_ batches: inout [String: [PeerMessage]]) {
        for (name, messages) in batches {
            guard let source = sources[name] else { continue }
            if source.yield(contentsOf: messages) == .stopProducing {
                pausedProtocols.insert(name)
                context?.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
            }
        }
        batches.removeAll(keepingCapacity: true)
    }

    private func end(_ error: PeerError) {
        let blocked = writers
        writers = []
        for promise in blocked { promise.fail(error) }
        for source in sources.values { source.finish() }
        sources = [:]
        let waiting = pings
        pings = []
        for promise in waiting { promise.fail(error) }
        connection?.ended(error)
    }

    // MARK: Requests from PeerConnection, on the loop.

    func resumeReading(for name: String) {
        guard pausedProtocols.remove(name) != nil, pausedProtocols.isEmpty, let context else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in bound.value.read() }
    }

    /// Completes once the channel is writable again (at once if it is); fails if the session has ended.
    func waitUntilWritable() -> EventLoopFuture<Void> {
        guard let context, session.isActive else { return eventLoopFailure(SessionError.notActive) }
        guard !context.channel.isWritable else { return context.eventLoop.makeSucceededVoidFuture() }
        let promise = context.eventLoop.makePromise(of: Void.self)
        writers.append(promise)
        return promise.futureResult
    }

    static let flushChunk = 64 * 1024

    /// Seals everything in the connection's outbox and writes it.
    func drainOutbox() {
        guard let context, let connection else { return }
        let queued = connection.outbox.withLockedValue { $0.take() }
        // Sealed frames go out in writes of about `flushChunk` bytes: few system calls, and the peer can start
        // on the first frames while later ones are still being sealed. Frames are sealed into one reused array
        // (no allocation per message) and copied into a buffer per write.
        for item in queued {
            guard (try? session.send(protocol: item.name, code: item.code, payload: item.payload, appendingTo: &sealed)) != nil else { continue }
            if sealed.count >= Self.flushChunk { flushSealed(context) }
        }
        flushSealed(context)
        _ = dropIfNotReading(context)
    }

    /// Writes the frames in `sealed` and empties it, keeping its capacity.
    private func flushSealed(_ context: ChannelHandlerContext) {
        guard !sealed.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: sealed.count)
        buffer.writeBytes(sealed)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        // Keep the capacity of a usual write; one huge message does not pin its size for the connection's life.
        sealed.removeAll(keepingCapacity: sealed.capacity <= 4 * Self.flushChunk)
    }

    /// Closes the connection when the peer has left more than ``PeerConfiguration/maximumWriteBuffer`` bytes
    /// unread: its Disconnect could not reach it anyway. True when it did.
    private func dropIfNotReading(_ context: ChannelHandlerContext) -> Bool {
        guard let buffered = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes),
            buffered > configuration.maximumWriteBuffer, !session.isClosed
        else { return false }
        let detail = "the peer left \(buffered) bytes unread (limit \(configuration.maximumWriteBuffer))"
        logger.debug("dropping a peer that does not read", metadata: ["buffered": "\(buffered)"])
        _ = session.disconnect(.networkError, detail: detail)
        end(PeerError(disconnect: .networkError, origin: .local, detail: detail))
        context.close(promise: nil)
        return true
    }

    func ping() -> EventLoopFuture<Duration> {
        guard let context else { return eventLoopFailure(SessionError.notActive) }
        guard session.isActive else { return context.eventLoop.makeFailedFuture(SessionError.notActive) }
        let promise = context.eventLoop.makePromise(of: Duration.self)
        pings.append(promise)
        apply(session.ping(now: .now))
        return promise.futureResult
    }

    func disconnect(_ reason: DisconnectReason) -> EventLoopFuture<Void> {
        guard let context else { return eventLoopFailure(SessionError.notActive) }
        apply(session.disconnect(reason))
        return context.eventLoop.makeSucceededVoidFuture()
    }

    func sendUnchecked(_ messages: [PeerMessage], compressed: Bool?, corruptMAC: Bool) -> EventLoopFuture<Void> {
        guard let context else { return eventLoopFailure(SessionError.notActive) }
        let bytes = messages.flatMap {
            session.sendUnchecked(wireCode: $0.code, payload: $0.payload, compressed: compressed, corruptMAC: corruptMAC).bytes
        }
        return context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)))
    }

    private func eventLoopFailure<T>(_ error: any Error) -> EventLoopFuture<T> {
        eventLoop.makeFailedFuture(error)
    }
}
