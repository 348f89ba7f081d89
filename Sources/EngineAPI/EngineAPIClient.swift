// SPDX-License-Identifier: Apache-2.0
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP answer: the status code and the body.
public struct EngineHTTPResponse: Hashable, Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Posts JSON-RPC bodies to an Engine API, each with a fresh token, on its own connection, within a timeout: what
/// go-ethereum's devp2p test suite does before each transaction test.
public struct EngineAPIClient: Sendable {
    public var endpoint: EngineEndpoint
    public var secret: JWTSecret
    /// The bound on one post, connecting included.
    public var timeout: Duration
    /// The largest answer body accepted.
    public var maximumResponseSize: Int
    private let group: any EventLoopGroup

    public init(
        endpoint: EngineEndpoint, secret: JWTSecret, timeout: Duration = .seconds(8),
        maximumResponseSize: Int = 16 * 1024 * 1024, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.endpoint = endpoint
        self.secret = secret
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
        self.group = group
    }

    /// A client for `url` (`http://host:port[/path]`).
    public init(
        url: String, secret: JWTSecret, timeout: Duration = .seconds(8),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(EngineAPIClientError) {
        self.init(endpoint: try EngineEndpoint(url: url), secret: secret, timeout: timeout, group: group)
    }

    /// Posts `body` (JSON) with a token issued now.
    public func post(_ body: [UInt8]) async throws(EngineAPIClientError) -> EngineHTTPResponse {
        let token = JWT.make(secret: secret, issuedAt: Int64(Date().timeIntervalSince1970))
        return try await post(body, token: token)
    }

    /// Posts `body` with `token` as the bearer token, or with no `Authorization` header when nil.
    public func post(_ body: [UInt8], token: String?) async throws(EngineAPIClientError) -> EngineHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: endpoint.hostHeader)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "accept", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        if let token { headers.add(name: "authorization", value: "Bearer \(token)") }
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.path, headers: headers)

        let limit = TimeAmount(timeout)
        let deadline = NIODeadline.now() + limit
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: EngineHTTPResponse.self)
        let maximumResponseSize = self.maximumResponseSize
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(limit)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPExchangeHandler(
                                head: head, body: body, promise: promise, deadline: deadline,
                                maximumResponseSize: maximumResponseSize))
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port)
                .get()
        } catch {
            let failure = Self.connectFailure(error, endpoint: endpoint)
            promise.fail(failure)
            throw failure
        }
        defer { channel.close(promise: nil) }
        do {
            // The connection that won (a host name may resolve to several addresses, tried at once) sends.
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: HTTPExchangeHandler.self).start()
            }.get()
        } catch {
            promise.fail(EngineAPIClientError(.connectionClosed, "the connection closed before the request"))
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as EngineAPIClientError {
            throw error
        } catch {
            throw EngineAPIClientError(.connectionClosed, String(describing: error))
        }
    }

    /// The client error for a failed connect.
    static func connectFailure(_ error: any Error, endpoint: EngineEndpoint) -> EngineAPIClientError {
        if case ChannelError.connectTimeout = error {
            return EngineAPIClientError(.timedOut, "connecting to \(endpoint) timed out")
        }
        let causes: [any Error] = (error as? NIOConnectionError)?.connectionErrors.map(\.error) ?? [error]
        if causes.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) {
            return EngineAPIClientError(.connectionRefused, "\(endpoint) refused the connection")
        }
        if causes.contains(where: { if case ChannelError.connectTimeout = $0 { true } else { false } }) {
            return EngineAPIClientError(.timedOut, "connecting to \(endpoint) timed out")
        }
        return EngineAPIClientError(.connectionFailed, "cannot connect to \(endpoint): \(error)")
    }
}
