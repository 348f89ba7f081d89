// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import NIOCore
import NIOPosix
import RLPxTestSupport
import Testing

@Suite struct EngineAPIClientTests {
    static let secret = JWTSecret.generate()

    @Test func timesOutAgainstASocketThatNeverAnswers() async throws {
        // Accepts and reads, never writes.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        let client = try EngineAPIClient(
            url: "http://127.0.0.1:\(port)", secret: Self.secret, timeout: .milliseconds(300))
        let start = ContinuousClock.now
        #expect(await clientErrorCode { try await client.post(Sample.fcu().bytes) } == .timedOut)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(250))
        // Bounded: far below the never it would be without a timeout (a loaded CI machine resumes the test late).
        #expect(elapsed < TestTime.scaled(.seconds(15)))
    }

    @Test func reportsARefusedConnection() async throws {
        // A port that was just free: bind, note it, close.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let port = try #require(probe.localAddress?.port)
        try await probe.close()
        let client = try EngineAPIClient(url: "http://127.0.0.1:\(port)", secret: Self.secret, timeout: TestTime.scaled(.seconds(60)))
        #expect(await clientErrorCode { try await client.post(Sample.fcu().bytes) } == .connectionRefused)
    }

    @Test func reportsAnAnswerThatIsNotHTTP() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Greeter()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let client = try EngineAPIClient(url: "http://127.0.0.1:\(port)", secret: Self.secret, timeout: TestTime.scaled(.seconds(60)))
        #expect(await clientErrorCode { try await client.post(Sample.fcu().bytes) } == .invalidResponse)
    }

    @Test func reportsAConnectionClosedWithoutAnswer() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.close() }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let client = try EngineAPIClient(url: "http://127.0.0.1:\(port)", secret: Self.secret, timeout: TestTime.scaled(.seconds(60)))
        let code = await clientErrorCode { try await client.post(Sample.fcu().bytes) }
        #expect(code == .connectionClosed)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8551", "127.0.0.1", 8551, "/"), ("http://localhost", "localhost", 80, "/"),
        ("http://[::1]:8551/engine", "::1", 8551, "/engine"), ("http://node:1?x=1", "node", 1, "/?x=1"),
    ])
    func parsesURLs(url: String, host: String, port: Int, path: String) throws {
        let endpoint = try EngineEndpoint(url: url)
        #expect(endpoint == EngineEndpoint(host: host, port: port, path: path))
    }

    @Test(arguments: [
        "https://127.0.0.1:8551", "127.0.0.1:8551", "http://", "http://host:0", "http://host:99999", "http://[::1",
        "http://h:x",
    ])
    func refusesOtherURLs(url: String) {
        #expect(throws: EngineAPIClientError.self) { try EngineEndpoint(url: url) }
    }
}

/// Answers every connection with an SSH banner instead of HTTP.
final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "SSH-2.0-OpenSSH_9.6\r\n\r\n")), promise: nil)
    }
}
