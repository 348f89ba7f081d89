// SPDX-License-Identifier: Apache-2.0
import EngineAPI
import Foundation
import NIOCore
import NIOPosix
import RLPxTestSupport
import Testing

/// The server and the client over loopback.
@Suite struct EngineAPIServerTests {
    static let secret = (try? JWTSecret(hex: "0x" + String(repeating: "5a", count: 32))) ?? JWTSecret.generate()

    /// Runs `body` against a server on an ephemeral loopback port whose node knows `known`, then shuts it down.
    static func withServer(
        knowing known: Set<String> = [Sample.head], maximumBodySize: Int = 5 * 1024 * 1024,
        _ body: (EngineAPIServer, EngineAPIClient) async throws -> Void
    ) async throws {
        let configuration = EngineAPIServer.Configuration(secret: secret, port: 0, maximumBodySize: maximumBodySize)
        let server = try await EngineAPIServer.start(configuration) { update in
            known.contains(update.state.head.hex) ? .valid(head: update.state.head) : .syncing
        }
        let client = try EngineAPIClient(url: server.url, secret: secret, timeout: TestTime.scaled(.seconds(60)))
        do {
            try await body(server, client)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func reportsTheBoundPort() async throws {
        try await Self.withServer { server, _ in
            #expect(server.port > 0)
            #expect(server.url == "http://127.0.0.1:\(server.port)")
        }
    }

    @Test func headFcuIsValidWhenTheHeadIsKnown() async throws {
        let body = Array(try Vectors.sharedData("ethtest/headfcu.json"))
        try await Self.withServer { _, client in
            let response = try await client.post(body)
            #expect(response.status == 200)
            #expect(payloadStatus(response.body) == "VALID")
            #expect(jsonObject(response.body)?["id"] as? String == "fcu600")
        }
    }

    @Test func reachesTheServerByHostName() async throws {
        try await Self.withServer { server, _ in
            // localhost may resolve to ::1 first; the client tries its addresses and sends on the one that connects.
            let client = try EngineAPIClient(url: "http://localhost:\(server.port)", secret: Self.secret, timeout: TestTime.scaled(.seconds(60)))
            let response = try await client.post(Sample.fcu().bytes)
            #expect(response.status == 200)
            #expect(payloadStatus(response.body) == "VALID")
        }
    }

    @Test func headFcuIsSyncingWhenTheHeadIsUnknown() async throws {
        let body = Array(try Vectors.sharedData("ethtest/headfcu.json"))
        try await Self.withServer(knowing: []) { _, client in
            let response = try await client.post(body)
            #expect(response.status == 200)
            #expect(payloadStatus(response.body) == "SYNCING")
        }
    }

    @Test func refusesRequestsWithoutAValidToken() async throws {
        let other = try JWTSecret(bytes: [UInt8](repeating: 1, count: 32))
        let body = Sample.fcu().bytes
        try await Self.withServer { _, client in
            for token in [nil, "", "not.a.token", JWT.make(secret: other, issuedAt: Self.now)] {
                let response = try await client.post(body, token: token)
                #expect(response.status == 401, "token \(token ?? "none")")
            }
        }
    }

    @Test func refusesStaleAndFutureTokens() async throws {
        try await Self.withServer { _, client in
            for issued in [Self.now - 120, Self.now + 120] {
                let response = try await client.post(
                    Sample.fcu().bytes, token: JWT.make(secret: Self.secret, issuedAt: issued))
                #expect(response.status == 401)
                #expect(String(decoding: response.body, as: UTF8.self).contains(issued < Self.now ? "past" : "future"))
            }
            // Within the minute either way is accepted.
            let fresh = try await client.post(
                Sample.fcu().bytes, token: JWT.make(secret: Self.secret, issuedAt: Self.now - 30))
            #expect(fresh.status == 200)
        }
    }

    @Test func unknownMethodIsNotFound() async throws {
        try await Self.withServer { _, client in
            let response = try await client.post(Sample.call("engine_getPayloadV4", params: #"["0x01"]"#).bytes)
            #expect(response.status == 200)
            #expect(rpcErrorCode(response.body) == -32601)
        }
    }

    @Test func garbageIsAParseError() async throws {
        try await Self.withServer { _, client in
            let response = try await client.post("{\"jsonrpc\": 2.0, oops".bytes)
            #expect(response.status == 200)
            #expect(rpcErrorCode(response.body) == -32700)
        }
    }

    @Test func refusesOversizeBodies() async throws {
        try await Self.withServer(maximumBodySize: 1024) { _, client in
            let padded = Sample.fcu().dropLast() + ",\"pad\":\"" + String(repeating: "x", count: 4096) + "\"}"
            let refused = try await client.post(padded.bytes)
            #expect(refused.status == 413)
            // Under the limit is fine (and the server still answers after refusing one).
            let accepted = try await client.post(Sample.fcu().bytes)
            #expect(accepted.status == 200)
        }
    }

    @Test func refusesOversizeChunkedBodies() async throws {
        try await Self.withServer(maximumBodySize: 1024) { server, _ in
            let token = JWT.make(secret: Self.secret, issuedAt: Self.now)
            let chunk = String(repeating: "x", count: 800)
            let hexSize = String(chunk.utf8.count, radix: 16)
            let request =
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer \(token)\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + "\(hexSize)\r\n\(chunk)\r\n\(hexSize)\r\n\(chunk)\r\n0\r\n\r\n"
            let answer = try await RawExchange.send(request.bytes, port: server.port)
            #expect(answer.hasPrefix("HTTP/1.1 413"))
        }
    }

    @Test func answersOnlyPostsOfJSON() async throws {
        try await Self.withServer { server, _ in
            let token = JWT.make(secret: Self.secret, issuedAt: Self.now)
            let get = "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n"
            let notPost = try await RawExchange.send(get.bytes, port: server.port)
            #expect(notPost.hasPrefix("HTTP/1.1 405"))
            let body = Sample.fcu()
            let text =
                "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: text/plain\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            let notJSON = try await RawExchange.send(text.bytes, port: server.port)
            #expect(notJSON.hasPrefix("HTTP/1.1 415"))
        }
    }

    @Test func servesSeveralRequestsOnOneConnection() async throws {
        try await Self.withServer { server, _ in
            let token = JWT.make(secret: Self.secret, issuedAt: Self.now)
            let body = Sample.fcu()
            let one =
                "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n"
            let answer = try await RawExchange.send(
                (one + "\r\n" + body + one + "Connection: close\r\n\r\n" + body).bytes, port: server.port)
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
            #expect(answer.components(separatedBy: "\"VALID\"").count == 3)
        }
    }

    @Test func answersNonHTTPWithBadRequest() async throws {
        try await Self.withServer { server, _ in
            let answer = try await RawExchange.send("\u{16}\u{3}\u{1}garbage\r\n\r\n".bytes, port: server.port)
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 400"))
        }
    }

    @Test func shutdownClosesConnectionsAndStopsListening() async throws {
        let configuration = EngineAPIServer.Configuration(secret: Self.secret, port: 0)
        let server = try await EngineAPIServer.start(configuration) { .valid(head: $0.state.head) }
        let idle = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port).get()
        #expect(await eventually { server.connectionCount == 1 })
        await server.shutdown()
        try await idle.closeFuture.get()
        #expect(server.connectionCount == 0)
        let client = try EngineAPIClient(url: server.url, secret: Self.secret, timeout: TestTime.scaled(.seconds(60)))
        #expect(await clientErrorCode { try await client.post(Sample.fcu().bytes) } == .connectionRefused)
        await server.shutdown()
    }
}
