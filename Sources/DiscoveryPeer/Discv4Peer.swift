// SPDX-License-Identifier: Apache-2.0
import Discovery
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RLPxCrypto

/// A discv4 node on a UDP socket: ``Discovery/Discv4Responder`` answers, this type only moves datagrams, keeps the
/// clock and lets callers wait (always bounded) for the answers to their own requests.
///
/// The socket can carry discv5 too, as go-ethereum's does: every datagram that does not decode as discv4 (too short,
/// bad hash, bad signature, unknown type) goes to the `unhandled` closure given at ``bind(host:port:key:record:pingTimeout:group:unhandled:log:)``,
/// and ``sendRaw(_:to:)`` sends the other protocol's answers from the same port.
public final class Discv4Peer: Sendable {
    /// Where datagrams that are not discv4 go: their bytes and source.
    public typealias Unhandled = @Sendable ([UInt8], Discv4Responder.Address) -> Void

    struct State {
        var responder: Discv4Responder
        /// Callers waiting for a Pong (by the Ping's hash) or an ENRResponse (by the request's hash).
        var waiters: [[UInt8]: CheckedContinuation<Discv4.Message?, Never>] = [:]
        /// Callers collecting Neighbors from a node.
        var collectors: [NodeID: [Discv4.Node]] = [:]
        /// Every event, for callers that log.
        var log: (@Sendable (Discv4Responder.Event) -> Void)?
        /// Datagrams that are not discv4.
        var unhandled: Unhandled?
    }

    private let channel: any Channel
    private let state: NIOLockedValueBox<State>
    private let start: ContinuousClock.Instant
    private let ticker: RepeatedTask

    /// The bound address.
    public var localAddress: SocketAddress? { channel.localAddress }
    /// The bound UDP port.
    public var localPort: UInt16? { channel.localAddress?.port.flatMap { UInt16(exactly: $0) } }

    /// Binds UDP `host:port` (port 0 picks one) and starts answering.
    /// - Parameters:
    ///   - pingTimeout: how long our Pings wait for their Pongs (bonding, liveness checks). go-ethereum waits 500 ms;
    ///     the default is more forgiving of loaded machines.
    ///   - unhandled: called, on the event loop, with each datagram that is not discv4 (a discv5 runner's input);
    ///     without it such datagrams are only logged as refused.
    ///   - log: called with every event, on the event loop.
    public static func bind(
        host: String, port: Int, key: Secp256k1.PrivateKey, record: ENR, pingTimeout: Duration = .seconds(5),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, unhandled: Unhandled? = nil,
        log: (@Sendable (Discv4Responder.Event) -> Void)? = nil
    ) async throws -> Discv4Peer {
        var responder = Discv4Responder(key: key, record: record)
        responder.pingTimeout = pingTimeout
        let state = NIOLockedValueBox(State(responder: responder, log: log, unhandled: unhandled))
        let start = ContinuousClock.now
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state, start: start))
                }
            }
            .bind(host: host, port: port).get()
        return Discv4Peer(channel: channel, state: state, start: start)
    }

    private init(channel: any Channel, state: NIOLockedValueBox<State>, start: ContinuousClock.Instant) {
        self.channel = channel
        self.state = state
        self.start = start
        ticker = channel.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(250), delay: .milliseconds(250)) { _ in
            let now = ContinuousClock.now - start
            let pings = state.withLockedValue { state in
                _ = state.responder.expire(now: now)
                return state.responder.revalidate(now: now, unixTime: Self.unixTime())
            }
            for packet in pings { Self.write(packet, on: channel) }
        }
    }

    /// A copy of the routing table.
    public var table: NodeTable<Discv4.Node> { state.withLockedValue { $0.responder.table } }
    /// Our public key as discv4 writes node IDs (64 bytes): the target of a lookup of ourselves.
    public var discv4Key: [UInt8] { state.withLockedValue { $0.responder.key.publicKey.nodeID } }
    /// Our record.
    public var record: ENR { state.withLockedValue { $0.responder.record } }

    /// Replaces our record (a newer one: served from now on, its sequence number sent in Pings and Pongs).
    public func setRecord(_ record: ENR) { state.withLockedValue { $0.responder.record = record } }

    /// Pings `address` and waits up to `timeout` for the Pong; nil when none came.
    public func ping(_ address: Discv4Responder.Address, timeout: Duration = .seconds(2)) async -> Discv4.Pong? {
        let now = ContinuousClock.now - start
        let packet = state.withLockedValue { $0.responder.ping(address, now: now, unixTime: Self.unixTime()) }
        guard case .pong(let pong) = await send(packet, waitingFor: packet.hash, timeout: timeout) else { return nil }
        return pong
    }

    /// Waits up to `timeout` for `id` to enter the table (it does once it has pinged us and been answered, after
    /// a bond); returns whether it did.
    @discardableResult
    public func waitUntilKnown(_ id: NodeID, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLockedValue({ $0.responder.table.entry(id) != nil }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return state.withLockedValue { $0.responder.table.entry(id) != nil }
    }

    /// Asks `address` for its record (it must hold an endpoint proof of us: ping it and let it ping us first).
    public func requestENR(_ address: Discv4Responder.Address, timeout: Duration = .seconds(2)) async -> ENR? {
        let packet = state.withLockedValue {
            $0.responder.request(.enrRequest(.init(expiration: Self.unixTime() + 20)), to: address)
        }
        guard case .enrResponse(let response) = await send(packet, waitingFor: packet.hash, timeout: timeout) else { return nil }
        return response.record
    }

    /// Sends FindNode for `target` (a 64-byte key) to the node `id` at `address` and collects Neighbors for `window`.
    public func findNode(_ address: Discv4Responder.Address, id: NodeID, target: [UInt8], window: Duration = .seconds(1)) async -> [Discv4.Node] {
        let packet = state.withLockedValue { state in
            state.collectors[id] = []
            return state.responder.request(.findNode(.init(target: target, expiration: Self.unixTime() + 20)), to: address)
        }
        write(packet)
        try? await Task.sleep(for: window)
        return state.withLockedValue { $0.collectors.removeValue(forKey: id) ?? [] }
    }

    /// Sends raw bytes from this socket: the other protocol's packets, or malformed ones from tests.
    public func sendRaw(_ bytes: [UInt8], to address: Discv4Responder.Address) {
        write(.init(bytes: bytes, to: address, hash: []))
    }

    /// Stops answering and closes the socket.
    public func close() async {
        ticker.cancel()
        let waiting = state.withLockedValue { state in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for continuation in waiting { continuation.resume(returning: nil) }
        try? await channel.close()
    }

    private func send(_ packet: Discv4Responder.Outgoing, waitingFor hash: [UInt8], timeout: Duration) async -> Discv4.Message? {
        let state = self.state
        return await withCheckedContinuation { continuation in
            state.withLockedValue { $0.waiters[hash] = continuation }
            write(packet)
            channel.eventLoop.scheduleTask(
                in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
            ) {
                let waiting = state.withLockedValue { $0.waiters.removeValue(forKey: hash) }
                waiting?.resume(returning: nil)
            }
        }
    }

    private func write(_ packet: Discv4Responder.Outgoing) {
        Self.write(packet, on: channel)
    }

    static func write(_ packet: Discv4Responder.Outgoing, on channel: any Channel) {
        guard let address = try? SocketAddress(ipAddress: packet.to.ip.description, port: Int(packet.to.port)) else { return }
        var buffer = channel.allocator.buffer(capacity: packet.bytes.count)
        buffer.writeBytes(packet.bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
    }

    static func unixTime() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    /// Reads datagrams into the responder and writes what it answers.
    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let state: NIOLockedValueBox<State>
        let start: ContinuousClock.Instant

        init(state: NIOLockedValueBox<State>, start: ContinuousClock.Instant) {
            self.state = state
            self.start = start
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let ipText = envelope.remoteAddress.ipAddress, let ip = IPAddress(ipText), let port = envelope.remoteAddress.port,
                let sourcePort = UInt16(exactly: port)
            else { return }
            let bytes = Array(envelope.data.readableBytesView)
            let now = ContinuousClock.now - start
            let source = Discv4Responder.Address(ip: ip, port: sourcePort)
            let (send, resumed, log, event, unhandled) = state.withLockedValue { state in
                let (send, event) = state.responder.receive(bytes, from: source, now: now, unixTime: Discv4Peer.unixTime())
                var resumed: (CheckedContinuation<Discv4.Message?, Never>, Discv4.Message)?
                switch event {
                case .pong(let pong, let hash, _, _):
                    if let waiter = state.waiters.removeValue(forKey: hash) { resumed = (waiter, .pong(pong)) }
                case .reply(.enrResponse(let response), _, _):
                    if let waiter = state.waiters.removeValue(forKey: response.requestHash) { resumed = (waiter, .enrResponse(response)) }
                case .reply(.neighbors(let neighbors), let id, _):
                    if state.collectors[id] != nil { state.collectors[id]?.append(contentsOf: neighbors.nodes) }
                default: break
                }
                var unhandled: Unhandled?
                if case .refused = event { unhandled = state.unhandled }
                return (send, resumed, state.log, event, unhandled)
            }
            for packet in send { Discv4Peer.write(packet, on: context.channel) }
            resumed?.0.resume(returning: resumed?.1)
            if let unhandled { return unhandled(bytes, source) }
            log?(event)
        }
    }
}
