// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RLPxCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// Dialling peers.
public enum RLPxNode {
    /// Connects to `url`, completes the handshake and the Hello exchange, and returns the live connection.
    /// - Throws: ``PeerError``: ``PeerError/Code/disconnected`` when the session ends before both Hellos (with the
    ///   reason either side gave), ``PeerError/Code/connectFailed`` when the TCP connection cannot be made.
    public static func dial(
        _ url: EnodeURL, configuration: PeerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> PeerConnection {
        var random = SystemRandom()
        let (session, first) = Session.initiator(
            configuration.session, remotePublicKey: url.publicKey, now: .now, random: &random)
        let made = NIOLockedValueBox<PeerConnection?>(nil)
        var logger = configuration.logger
        logger[metadataKey: "role"] = "initiator"
        let perConnection = configuration
        do {
            _ = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelOption(.writeBufferWaterMark, value: RLPxNode.writeWatermarks)
                .channelOption(.recvAllocator, value: RLPxNode.receiveAllocator)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let connection = try install(session: session, first: first, configuration: perConnection, on: channel)
                        made.withLockedValue { $0 = connection }
                    }
                }
                .connect(host: url.host, port: url.port)
                .get()
        } catch {
            // The connection set up for a socket that never connected ends here (its promises would leak), and
            // the caller gets one line a person can read.
            let failure = PeerError(.connectFailed, "cannot connect to \(url.host):\(url.port): \(Self.describe(error))")
            made.withLockedValue { $0 }?.ended(PeerError(disconnect: .networkError, origin: .local, detail: failure.reason))
            throw failure
        }
        guard let connection = made.withLockedValue({ $0 }) else {
            throw PeerError(disconnect: .networkError, origin: .local, detail: "the connection was not set up")
        }
        try await connection.waitUntilEstablished()
        return connection
    }

    /// Unwritten bytes above which senders wait (a frame of 1 MiB fits), and below which they resume.
    static let writeWatermarks = ChannelOptions.Types.WriteBufferWaterMark(low: 512 * 1024, high: 2 * 1024 * 1024)
    /// Reads start at 4 KiB (an idle peer holds little) and grow up to 64 KiB under load: few system calls, yet
    /// small enough steps that both peers keep working (at 256 KiB, a window of 1,024 1 KiB messages was only
    /// four chunks and each side waited on the other).
    static let receiveAllocator = AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 4 * 1024, maximum: 64 * 1024)

    /// Adds the handler for `session` to `channel` and returns the connection that fronts it.
    static func install(
        session: Session, first: SessionOutput?, configuration: PeerConfiguration, on channel: any Channel
    ) throws -> PeerConnection {
        let handler = RLPxChannelHandler(
            session: session, firstOutput: first, configuration: configuration, eventLoop: channel.eventLoop)
        let connection = PeerConnection(
            channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop), logger: configuration.logger)
        handler.attach(connection)
        try channel.pipeline.syncOperations.addHandler(handler)
        return connection
    }
}

extension RLPxNode {
    /// Why a dial's TCP connection could not be made, in words a person reads ("connection refused", "timed out"),
    /// not SwiftNIO's types.
    static func describe(_ error: any Error) -> String {
        if let failure = error as? NIOConnectionError {
            if failure.connectionErrors.isEmpty && (failure.dnsAError != nil || failure.dnsAAAAError != nil) {
                return "cannot resolve \(failure.host)"
            }
            if let first = failure.connectionErrors.first { return describe(first.error) }
        }
        if let failure = error as? IOError { return String(cString: strerror(failure.errnoCode)).lowercased() }
        if case ChannelError.connectTimeout = error { return "timed out" }
        return "\(error)"
    }
}

/// Whether an address is on a local network, as go-ethereum's `netutil.IsLAN` decides: loopback, private IPv4
/// ranges, link-local, and IPv6 unique-local and link-local.
enum IPAddress {
    static func isLocal(_ address: String) -> Bool {
        let text = address.lowercased()
        if text.contains(":") {
            return text == "::1" || text.hasPrefix("fc") || text.hasPrefix("fd") || text.hasPrefix("fe8") || text.hasPrefix("fe9")
                || text.hasPrefix("fea") || text.hasPrefix("feb") || text.hasPrefix("::ffff:127.")
        }
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4 else { return false }
        switch (parts[0], parts[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): return true
        case (172, 16...31): return true
        default: return false
        }
    }
}

/// Accepting peers: each connection runs `handler` once both Hellos are exchanged. When the handler returns the
/// peer is disconnected with "client quitting"; when it throws, with "subprotocol error"; other peers are not
/// affected. Beyond ``PeerConfiguration/maximumPeers`` established sessions a new peer gets "too many peers";
/// handshakes in progress have their own budget (``PeerConfiguration/maximumPending``, and
/// ``PeerConfiguration/maximumPendingPerAddress`` per remote address), so stalled connections cannot keep peers out.
public final class RLPxListener: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: PeerConnection] = [:]
        /// Connections whose encryption handshake has not completed: remote address and arrival order (for eviction).
        var pending: [ObjectIdentifier: (address: String, since: UInt64, channel: any Channel)] = [:]
        var arrivals: UInt64 = 0
        var closing = false
        /// When each throttled remote address last connected.
        var recentInbound: [String: ContinuousClock.Instant] = [:]
        /// The connection that holds each remote node ID past the encryption handshake.
        var nodeIDs: [[UInt8]: ObjectIdentifier] = [:]

        /// go-ethereum's post-handshake check: one session per remote node ID among established peers, none with
        /// ourselves.
        func admitNode(_ nodeID: [UInt8], connection id: ObjectIdentifier, localID: [UInt8]) -> DisconnectReason? {
            if nodeID == localID { return .connectedToSelf }
            if let holder = nodeIDs[nodeID], holder != id { return .alreadyConnected }
            return nil
        }

        /// go-ethereum's add-peer check, once the Hellos are exchanged: records the peer's node ID, or says it is
        /// already held by another session.
        mutating func register(_ nodeID: [UInt8], connection id: ObjectIdentifier) -> Bool {
            if let holder = nodeIDs[nodeID], holder != id { return false }
            nodeIDs[nodeID] = id
            return true
        }

        /// Connections past the encryption handshake.
        var established: Int { connections.keys.filter { pending[$0] == nil }.count }

        func pendingCount(from address: String) -> Int { pending.values.filter { $0.address == address }.count }

        /// Connections accepted but not yet read, waiting for a handshake slot, oldest first.
        var waiting: [(id: ObjectIdentifier, address: String, channel: any Channel)] = []

        /// What happens to a new connection.
        enum Admission {
            /// Start its handshake now (after closing `evict`, a pending connection of the busiest address).
            case start(evict: (any Channel)?)
            /// Hold it unread until a slot frees.
            case wait
            case refuse
        }

        /// Admits a new connection from `address` under the budgets: its handshake starts, it waits for a slot, or
        /// it is refused (listener closing, address throttled, too many waiting).
        mutating func admit(
            _ id: ObjectIdentifier, address: String, channel: any Channel, configuration: PeerConfiguration
        ) -> Admission {
            guard !closing, !throttled(address, configuration) else { return .refuse }
            if waiting.isEmpty || !waiting.contains(where: { $0.address == address }),
                let taken = take(id, address: address, channel: channel, configuration)
            {
                return .start(evict: taken.evict)
            }
            guard waiting.count < configuration.maximumWaiting else { return .refuse }
            waiting.append((id, address, channel))
            return .wait
        }

        /// Puts a connection into the pending budget if its address and the listener have room (evicting from the
        /// busiest address when only the listener is full); nil when it must wait.
        private mutating func take(
            _ id: ObjectIdentifier, address: String, channel: any Channel, _ configuration: PeerConfiguration
        ) -> Taken? {
            guard pendingCount(from: address) < configuration.maximumPendingPerAddress else { return nil }
            var evict: (any Channel)?
            if pending.count >= configuration.maximumPending {
                // The address holding the most pending slots gives up its oldest, if the newcomer's holds fewer.
                var counts: [String: Int] = [:]
                for entry in pending.values { counts[entry.address, default: 0] += 1 }
                guard let (top, topCount) = counts.max(by: { $0.value < $1.value }), topCount > (counts[address] ?? 0) + 1,
                    let oldest = pending.filter({ $0.value.address == top }).min(by: { $0.value.since < $1.value.since })
                else { return nil }
                evict = oldest.value.channel
                pending[oldest.key] = nil
            }
            arrivals &+= 1
            pending[id] = (address, arrivals, channel)
            return Taken(evict: evict)
        }

        /// A pending slot taken, and the connection to close for it, if any.
        struct Taken {
            var evict: (any Channel)?
        }

        /// The waiting connections that now have a slot, oldest first, moved into the pending budget (without
        /// evicting anyone: a slot freed by a handshake that ended).
        mutating func release(_ configuration: PeerConfiguration) -> [(id: ObjectIdentifier, address: String, channel: any Channel)] {
            var released: [(id: ObjectIdentifier, address: String, channel: any Channel)] = []
            var index = 0
            while index < waiting.count, pending.count < configuration.maximumPending, !closing {
                let entry = waiting[index]
                if pendingCount(from: entry.address) < configuration.maximumPendingPerAddress {
                    arrivals &+= 1
                    pending[entry.id] = (entry.address, arrivals, entry.channel)
                    released.append(entry)
                    waiting.remove(at: index)
                } else {
                    index += 1
                }
            }
            return released
        }

        /// Forgets a waiting connection (it closed, or waited too long); whether it was waiting.
        mutating func stopWaiting(_ id: ObjectIdentifier) -> Bool {
            guard let index = waiting.firstIndex(where: { $0.id == id }) else { return false }
            waiting.remove(at: index)
            return true
        }

        /// Whether `address` connected within the throttle time (and is subject to it); records it when not.
        mutating func throttled(_ address: String, _ configuration: PeerConfiguration) -> Bool {
            guard configuration.inboundThrottle > .zero, configuration.throttlesLocalAddresses || !IPAddress.isLocal(address) else {
                return false
            }
            let now = ContinuousClock.now
            if let last = recentInbound[address], now - last < configuration.inboundThrottle { return true }
            // Forget expired entries now and then, so the table holds only the last throttle period's addresses.
            if recentInbound.count >= 1024 { recentInbound = recentInbound.filter { now - $0.value < configuration.inboundThrottle } }
            recentInbound[address] = now
            return false
        }
    }

    private let serverChannel: any Channel
    private let state: NIOLockedValueBox<State>
    /// This listener as an enode URL (its key and bound address).
    public let enodeURL: EnodeURL

    private init(serverChannel: any Channel, state: NIOLockedValueBox<State>, enodeURL: EnodeURL) {
        self.serverChannel = serverChannel
        self.state = state
        self.enodeURL = enodeURL
    }

    /// Sessions currently open (handshaking ones included).
    public var sessionCount: Int { state.withLockedValue { $0.connections.count } }
    /// Connections whose encryption handshake has not completed yet.
    public var pendingCount: Int { state.withLockedValue { $0.pending.count } }

    /// Listens on `host:port` (port 0 picks a free one).
    public static func bind(
        host: String, port: Int, configuration: PeerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping @Sendable (PeerConnection) async throws -> Void
    ) async throws -> RLPxListener {
        let state = NIOLockedValueBox(State())
        /// Starts the handshake slots that freed up on the connections waiting for one.
        @Sendable func releaseWaiting() {
            for entry in state.withLockedValue({ $0.release(configuration) }) {
                entry.channel.eventLoop.execute {
                    do {
                        try begin(entry.channel, entry.id)
                        entry.channel.setOption(.autoRead, value: true).whenFailure { _ in entry.channel.close(promise: nil) }
                    } catch {
                        entry.channel.close(promise: nil)
                    }
                }
            }
        }
        /// Runs a session on `channel`, which holds a pending slot: its handshake, then `handler` (on the loop).
        @Sendable func begin(_ channel: any Channel, _ id: ObjectIdentifier) throws {
            let full = state.withLockedValue { $0.established >= configuration.maximumPeers }
            var random = SystemRandom()
            var perConnection = configuration
            perConnection.logger[metadataKey: "role"] = "recipient"
            let localID = configuration.session.staticKey.publicKey.nodeID
            perConnection.session.admission = { key in
                state.withLockedValue { $0.admitNode(key.nodeID, connection: id, localID: localID) }
            }
            var session = Session.recipient(perConnection.session, now: .now, random: &random)
            if full { session.rejectAfterHandshake(.tooManyPeers) }
            let connection = try RLPxNode.install(session: session, first: nil, configuration: perConnection, on: channel)
            state.withLockedValue { $0.connections[id] = connection }
            let bound = connection.handler
            bound.value.onClose = {
                let wasPending = state.withLockedValue { current -> Bool in
                    _ = current.connections.removeValue(forKey: id)
                    current.nodeIDs = current.nodeIDs.filter { $0.value != id }
                    return current.pending.removeValue(forKey: id) != nil
                }
                if wasPending { releaseWaiting() }
            }
            // Pending ends with the encryption handshake: a peer that got that far counts as a peer.
            bound.value.onHandshake = {
                state.withLockedValue { $0.pending[id] = nil }
                releaseWaiting()
            }
            Task {
                do {
                    try await connection.waitUntilEstablished()
                } catch {
                    return
                }
                if let nodeID = connection.remotePublicKey?.nodeID,
                    !state.withLockedValue({ $0.register(nodeID, connection: id) })
                {
                    await connection.disconnect(.alreadyConnected)
                    return
                }
                do {
                    try await handler(connection)
                    await connection.disconnect(.quitting)
                } catch {
                    connection.logger.debug("handler failed", metadata: ["error": "\(error)"])
                    await connection.disconnect(.subprotocolError)
                }
            }
        }
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                // NIO backs off accepting for a second when descriptors run out; this says so, once per episode.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorLog(logger: configuration.logger))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: RLPxNode.writeWatermarks)
            .childChannelOption(.recvAllocator, value: RLPxNode.receiveAllocator)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let id = ObjectIdentifier(channel)
                    let address = channel.remoteAddress?.ipAddress ?? "?"
                    // The budgets come first: a connection over them costs nothing beyond its socket.
                    let admission = state.withLockedValue { $0.admit(id, address: address, channel: channel, configuration: configuration) }
                    switch admission {
                    case .refuse:
                        channel.close(promise: nil)
                    case .start(let evict):
                        evict?.close(promise: nil)
                        try begin(channel, id)
                    case .wait:
                        // Unread until a slot frees (its bytes stay in the socket), closed if that takes too long.
                        try channel.syncOptions?.setOption(.autoRead, value: false)
                        channel.closeFuture.whenComplete { _ in _ = state.withLockedValue { $0.stopWaiting(id) } }
                        channel.eventLoop.scheduleTask(in: TimeAmount(configuration.waitLimit)) {
                            if state.withLockedValue({ $0.stopWaiting(id) }) { channel.close(promise: nil) }
                        }
                    }
                }
            }
            .bind(host: host, port: port)
            .get()
        let address = server.localAddress
        let url = EnodeURL(
            publicKey: configuration.session.staticKey.publicKey, host: address?.ipAddress ?? host,
            port: address?.port ?? port)
        return RLPxListener(serverChannel: server, state: state, enodeURL: url)
    }

    /// Stops accepting and ends every session with "client quitting", waiting until they are closed.
    public func close() async {
        let connections = state.withLockedValue { current -> [PeerConnection] in
            current.closing = true
            return Array(current.connections.values)
        }
        try? await serverChannel.close()
        await withTaskGroup(of: Void.self) { group in
            for connection in connections {
                group.addTask { await connection.disconnect(.quitting) }
            }
        }
    }
}

/// Logs accept failures on a listener: running out of descriptors (EMFILE, ENFILE) once per episode, at warning;
/// the listener keeps running (NIO's accept back-off retries), and accepts again once descriptors free up.
final class AcceptErrorLog: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let logger: Logger
    private let lastLogged = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(logger: Logger) { self.logger = logger }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, error.errnoCode == EMFILE || error.errnoCode == ENFILE {
            let now = ContinuousClock.now
            let quiet = lastLogged.withLockedValue { last -> Bool in
                defer { last = now }
                return last.map { now - $0 < .seconds(10) } ?? false
            }
            if !quiet {
                logger.warning("out of file descriptors: accepting paused, retrying", metadata: ["errno": "\(error.errnoCode)"])
            }
        }
        context.fireErrorCaught(error)
    }
}
