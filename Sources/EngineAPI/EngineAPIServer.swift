// SPDX-License-Identifier: Apache-2.0
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The Engine API over HTTP/1.1: JSON-RPC POSTs authenticated with a JWT (`Authorization: Bearer`), answered by an
/// ``EngineRPCService``. Requests without a valid token get 401, bodies over the limit 413, as go-ethereum answers.
public final class EngineAPIServer: Sendable {
    /// Where to listen and what to accept.
    public struct Configuration: Sendable {
        /// The shared secret tokens must be signed with.
        public var secret: JWTSecret
        /// The address to bind: loopback unless told otherwise.
        public var host: String
        /// The port to bind; 0 picks a free one (see ``EngineAPIServer/port``).
        public var port: Int
        /// The largest request body read (go-ethereum's 5 MiB); larger ones get 413 and the connection closes.
        public var maximumBodySize: Int
        /// How long a connection may stay silent between requests before it is closed.
        public var idleTimeout: Duration

        public init(
            secret: JWTSecret, host: String = "127.0.0.1", port: Int = 8551, maximumBodySize: Int = 5 * 1024 * 1024,
            idleTimeout: Duration = .seconds(120)
        ) {
            self.secret = secret
            self.host = host
            self.port = port
            self.maximumBodySize = maximumBodySize
            self.idleTimeout = idleTimeout
        }
    }

    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        var closing = false
    }

    private let serverChannel: any Channel
    private let connections: NIOLockedValueBox<Connections>
    /// The bound address.
    public let host: String
    /// The bound port (the one picked, when the configuration asked for 0).
    public let port: Int

    /// `http://host:port`, the URL clients post to.
    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    private init(serverChannel: any Channel, connections: NIOLockedValueBox<Connections>, host: String, port: Int) {
        self.serverChannel = serverChannel
        self.connections = connections
        self.host = host
        self.port = port
    }

    /// Binds `configuration.host:port` and serves `service` until ``shutdown()``.
    public static func start(
        _ configuration: Configuration, service: EngineRPCService,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> EngineAPIServer {
        let connections = NIOLockedValueBox(Connections())
        let idle = TimeAmount(configuration.idleTimeout)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let id = ObjectIdentifier(channel)
                    let admitted = connections.withLockedValue { state in
                        if !state.closing { state.open[id] = channel }
                        return !state.closing
                    }
                    guard admitted else {
                        channel.close(promise: nil)
                        return
                    }
                    channel.closeFuture.whenComplete { _ in connections.withLockedValue { $0.open[id] = nil } }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idle))
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try pipeline.addHandler(
                        EngineHTTPHandler(
                            service: service, secret: configuration.secret,
                            maximumBodySize: configuration.maximumBodySize))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return EngineAPIServer(serverChannel: channel, connections: connections, host: configuration.host, port: port)
    }

    /// Binds and hands each forkchoice update to `forkchoice`.
    public static func start(
        _ configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        forkchoice: @escaping ForkchoiceHandler
    ) async throws -> EngineAPIServer {
        try await start(configuration, service: EngineRPCService(forkchoice: forkchoice), group: group)
    }

    /// Connections open now.
    public var connectionCount: Int { connections.withLockedValue { $0.open.count } }

    /// Stops listening and closes every connection; returns once all are closed. Calling it again does nothing.
    public func shutdown() async {
        // New connections are refused from here on; those open now are closed below.
        let open = connections.withLockedValue { state in
            state.closing = true
            return Array(state.open.values)
        }
        try? await serverChannel.close()
        for channel in open {
            try? await channel.close()
        }
    }
}
