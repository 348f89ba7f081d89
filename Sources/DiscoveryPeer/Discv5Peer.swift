// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RLPxCrypto

/// A discv5 node on UDP: ``Discv5/Discv5Node`` answers, this type keeps the clock, moves datagrams and lets callers
/// wait (always bounded) for the answers to their requests.
///
/// It owns a socket (``bind(host:port:key:record:group:keyLog:log:)``) or rides on someone else's
/// (``init(key:record:send:keyLog:log:)`` plus ``receive(datagram:from:)``: a socket shared with discv4 hands over
/// what is not discv4).
public final class Discv5Peer: Sendable {
    public typealias Endpoint = Discv5Node.Endpoint

    struct State {
        var node: Discv5Node
        var random = SystemRandom()
        /// Callers waiting for the answer to a request, by its ID.
        var waiters: [RequestID: CheckedContinuation<Discv5Node.Answer?, Never>] = [:]
    }

    private let state: NIOLockedValueBox<State>
    private let sendDatagram: @Sendable (Discv5Node.Outgoing) -> Void
    private let keyLog: (@Sendable (Discv5KeyLogEntry) -> Void)?
    private let log: (@Sendable (Discv5Node.Event) -> Void)?
    private let channel: (any Channel)?

    /// The bound address, for a peer that owns its socket.
    public var localAddress: SocketAddress? { channel?.localAddress }
    /// The bound UDP port, for a peer that owns its socket.
    public var localPort: UInt16? { channel?.localAddress?.port.flatMap { UInt16(exactly: $0) } }

    /// A peer without a socket: `send` writes each datagram; feed it with ``receive(datagram:from:)``.
    /// - Parameters:
    ///   - handshakeTimeout: how long our WHOAREYOUs wait for their handshakes. go-ethereum waits 1 s; the default is
    ///     more forgiving of loaded machines.
    ///   - keyLog: called with each session established (both roles), for a key log file.
    ///   - log: called with every event.
    public convenience init(
        key: Secp256k1.PrivateKey, record: ENR, handshakeTimeout: Duration = .seconds(5),
        send: @escaping @Sendable (Discv5Node.Outgoing) -> Void, keyLog: (@Sendable (Discv5KeyLogEntry) -> Void)? = nil,
        log: (@Sendable (Discv5Node.Event) -> Void)? = nil
    ) {
        self.init(key: key, record: record, handshakeTimeout: handshakeTimeout, channel: nil, send: send, keyLog: keyLog, log: log)
    }

    private init(
        key: Secp256k1.PrivateKey, record: ENR, handshakeTimeout: Duration, channel: (any Channel)?,
        send: @escaping @Sendable (Discv5Node.Outgoing) -> Void, keyLog: (@Sendable (Discv5KeyLogEntry) -> Void)?,
        log: (@Sendable (Discv5Node.Event) -> Void)?
    ) {
        var node = Discv5Node(key: key, record: record, start: .now)
        node.handshakeTimeout = handshakeTimeout
        state = NIOLockedValueBox(State(node: node))
        self.channel = channel
        sendDatagram = send
        self.keyLog = keyLog
        self.log = log
    }

    /// Binds UDP `host:port` (port 0 picks one) and starts answering.
    public static func bind(
        host: String, port: Int, key: Secp256k1.PrivateKey, record: ENR, handshakeTimeout: Duration = .seconds(5),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        keyLog: (@Sendable (Discv5KeyLogEntry) -> Void)? = nil, log: (@Sendable (Discv5Node.Event) -> Void)? = nil
    ) async throws -> Discv5Peer {
        let box = NIOLockedValueBox<Discv5Peer?>(nil)
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(peer: box))
                }
            }
            .bind(host: host, port: port).get()
        let peer = Discv5Peer(
            key: key, record: record, handshakeTimeout: handshakeTimeout, channel: channel, send: { Self.write($0, on: channel) },
            keyLog: keyLog, log: log)
        box.withLockedValue { $0 = peer }
        return peer
    }

    /// Our record.
    public var record: ENR { state.withLockedValue { $0.node.record } }
    /// Our node ID.
    public var localID: NodeID { state.withLockedValue { $0.node.localID } }
    /// A copy of the routing table.
    public var table: NodeTable<ENR> { state.withLockedValue { $0.node.table } }

    /// Replaces our record (a newer one).
    public func setRecord(_ record: ENR) { state.withLockedValue { $0.node.record = record } }

    /// Handles one datagram from `source`: what a shared socket calls with each datagram that is not discv4.
    public func receive(datagram: some Collection<UInt8>, from source: Endpoint) {
        let (send, events, resumed) = state.withLockedValue { state in
            let (send, events) = state.node.handle(datagram: datagram, from: source, now: .now, random: &state.random)
            var resumed: [(CheckedContinuation<Discv5Node.Answer?, Never>, Discv5Node.Answer)] = []
            for case .answered(let id, let answer, _) in events {
                if let waiter = state.waiters.removeValue(forKey: id) { resumed.append((waiter, answer)) }
            }
            return (send, events, resumed)
        }
        for packet in send { sendDatagram(packet) }
        for (waiter, answer) in resumed { waiter.resume(returning: answer) }
        for event in events {
            if case .session(let entry) = event { keyLog?(entry) }
            log?(event)
        }
    }

    // MARK: Requests

    /// Pings `record`'s node (at its `ip`/`udp`) and waits up to `timeout`; nil without an answer or an address.
    public func ping(_ record: ENR, timeout: Duration = .seconds(2)) async -> Pong? {
        guard let target = learn(record) else { return nil }
        return await ping(target.id, at: target.endpoint, timeout: timeout)
    }

    /// Pings `id` at `endpoint` (its key known through ``learn(_:)`` or ``learn(publicKey:)``).
    public func ping(_ id: NodeID, at endpoint: Endpoint, timeout: Duration = .seconds(2)) async -> Pong? {
        let answer = await request(timeout: timeout) { node, random in
            try node.ping(id, at: endpoint, now: .now, random: &random)
        }
        guard case .pong(let pong) = answer else { return nil }
        return pong
    }

    /// Asks `id` at `endpoint` for the records at `distances` and waits up to `timeout` for every NODES.
    public func findNode(_ id: NodeID, at endpoint: Endpoint, distances: [UInt16], timeout: Duration = .seconds(2)) async -> [ENR]? {
        let answer = await request(timeout: timeout) { node, random in
            try node.findNode(id, at: endpoint, distances: distances, now: .now, random: &random)
        }
        guard case .nodes(let records) = answer else { return nil }
        return records
    }

    /// Asks `id` at `endpoint` for its own record (FINDNODE at distance 0).
    public func requestENR(_ id: NodeID, at endpoint: Endpoint, timeout: Duration = .seconds(2)) async -> ENR? {
        await findNode(id, at: endpoint, distances: [0], timeout: timeout)?.first { (try? $0.nodeID()) == id }
    }

    /// Sends a TALKREQ and waits up to `timeout` for the TALKRESP.
    public func talk(
        _ id: NodeID, at endpoint: Endpoint, protocolName: [UInt8], request: [UInt8], timeout: Duration = .seconds(2)
    ) async -> [UInt8]? {
        let answer = await self.request(timeout: timeout) { node, random in
            try node.talk(id, at: endpoint, protocolName: protocolName, request: request, now: .now, random: &random)
        }
        guard case .talk(let response) = answer else { return nil }
        return response
    }

    /// Tells the node a record; returns its ID and UDP address when it has both.
    @discardableResult
    public func learn(_ record: ENR) -> (id: NodeID, endpoint: Endpoint)? {
        let learned = state.withLockedValue { state in (try? state.node.learn(record)) != nil }
        guard learned,
            let id = try? record.nodeID(), let ip = try? record.ip(), let port = try? record.udp()
        else { return nil }
        return (id, Endpoint(ip: ip, port: port))
    }

    /// Tells the node a public key (from an enode URL).
    public func learn(publicKey: Secp256k1.PublicKey) { state.withLockedValue { $0.node.learn(publicKey: publicKey) } }

    /// Stops answering: waiting callers get nil, an owned socket closes.
    public func close() async {
        let waiting = state.withLockedValue { state in
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for continuation in waiting { continuation.resume(returning: nil) }
        try? await channel?.close()
    }

    private func request(
        timeout: Duration,
        _ make: @Sendable (inout Discv5Node, inout SystemRandom) throws -> (packet: Discv5Node.Outgoing, requestID: RequestID)
    ) async -> Discv5Node.Answer? {
        let state = self.state
        return await withCheckedContinuation { continuation in
            let made = state.withLockedValue { state -> (packet: Discv5Node.Outgoing, requestID: RequestID)? in
                guard let made = try? make(&state.node, &state.random) else { return nil }
                state.waiters[made.requestID] = continuation
                return made
            }
            guard let made else { return continuation.resume(returning: nil) }
            sendDatagram(made.packet)
            Task {
                try? await Task.sleep(for: timeout)
                let waiting = state.withLockedValue { state in
                    state.node.expire(now: .now)
                    return state.waiters.removeValue(forKey: made.requestID)
                }
                waiting?.resume(returning: nil)
            }
        }
    }

    static func write(_ packet: Discv5Node.Outgoing, on channel: any Channel) {
        guard let address = try? SocketAddress(ipAddress: packet.to.ip.description, port: Int(packet.to.port)) else { return }
        var buffer = channel.allocator.buffer(capacity: packet.bytes.count)
        buffer.writeBytes(packet.bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
    }

    /// Hands datagrams to the peer.
    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let peer: NIOLockedValueBox<Discv5Peer?>

        init(peer: NIOLockedValueBox<Discv5Peer?>) { self.peer = peer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let source = Discv5Peer.endpoint(envelope.remoteAddress), let peer = peer.withLockedValue({ $0 }) else { return }
            peer.receive(datagram: Array(envelope.data.readableBytesView), from: source)
        }
    }

    /// A socket address as an endpoint.
    public static func endpoint(_ address: SocketAddress) -> Endpoint? {
        guard let text = address.ipAddress, let ip = IPAddress(text), let port = address.port, let udp = UInt16(exactly: port) else {
            return nil
        }
        return Endpoint(ip: ip, port: udp)
    }
}
