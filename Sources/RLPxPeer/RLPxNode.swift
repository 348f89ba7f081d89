// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Logging
import RLPxCrypto
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Dialling peers.
public enum RLPxNode {
    /// Connects to `url`, completes the handshake and the Hello exchange, and returns the live connection.
    /// - Throws: ``PeerError`` when the session ends before both Hellos (with the reason either side gave), or
    ///   the socket error when the connection fails.
    public static func dial(
        _ url: EnodeURL, configuration: PeerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> PeerConnection {
        var random = SystemRandomNumberGenerator()
        let (session, first) = Session.initiator(
            configuration.session, remotePublicKey: url.publicKey, now: .now, random: &random)
        let made = NIOLockedValueBox<PeerConnection?>(nil)
        var logger = configuration.logger
        logger[metadataKey: "role"] = "initiator"
        let perConnection = configuration
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
        guard let connection = made.withLockedValue({ $0 }) else {
            throw PeerError(reason: .networkError, origin: .local, detail: "the connection was not set up")
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

/// Accepting peers: each connection runs `handler` once both Hellos are exchanged. When the handler returns the
/// peer is disconnected with "client quitting"; when it throws, with "subprotocol error"; other peers are not
/// affected. Beyond ``PeerConfiguration/maximumPeers`` sessions a new peer gets "too many peers".
public final class RLPxListener: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: PeerConnection] = [:]
        var closing = false
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

    /// Listens on `host:port` (port 0 picks a free one).
    public static func bind(
        host: String, port: Int, configuration: PeerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping @Sendable (PeerConnection) async throws -> Void
    ) async throws -> RLPxListener {
        let state = NIOLockedValueBox(State())
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: RLPxNode.writeWatermarks)
            .childChannelOption(.recvAllocator, value: RLPxNode.receiveAllocator)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var random = SystemRandomNumberGenerator()
                    var perConnection = configuration
                    perConnection.logger[metadataKey: "role"] = "recipient"
                    var session = Session.recipient(perConnection.session, now: .now, random: &random)
                    let id = ObjectIdentifier(channel)
                    let (accepted, full) = state.withLockedValue { current -> (Bool, Bool) in
                        guard !current.closing else { return (false, false) }
                        return (true, current.connections.count >= configuration.maximumPeers)
                    }
                    guard accepted else {
                        channel.close(promise: nil)
                        return
                    }
                    if full { session.rejectAfterHandshake(.tooManyPeers) }
                    let connection = try RLPxNode.install(session: session, first: nil, configuration: perConnection, on: channel)
                    state.withLockedValue { $0.connections[id] = connection }
                    let bound = connection.handler
                    bound.value.onClose = { state.withLockedValue { _ = $0.connections.removeValue(forKey: id) } }
                    Task {
                        do {
                            try await connection.waitUntilEstablished()
                        } catch {
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
