// SPDX-License-Identifier: Apache-2.0
import Foundation
import NIOCore
import NIOHTTP1

/// Serves one connection, a request at a time: checks each head (``HTTPRequestCheck``), reads the body up to the
/// limit, and answers with the service's JSON or with the HTTP error the request earned.
final class EngineHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Collecting an accepted request's body.
        case reading(HTTPRequestHead, ByteBuffer)
        /// Dropping a refused request's body until its end, then answering with the rejection.
        case discarding(HTTPRequestHead, HTTPRejection, dropped: Int)
        /// Waiting for the service's answer.
        case answering
    }

    private var state = State.idle
    private let service: EngineRPCService
    private let secret: JWTSecret
    private let maximumBodySize: Int

    init(service: EngineRPCService, secret: JWTSecret, maximumBodySize: Int) {
        self.service = service
        self.secret = secret
        self.maximumBodySize = maximumBodySize
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            let now = Date().timeIntervalSince1970
            let rejection = HTTPRequestCheck.check(head, secret: secret, now: now, maximumBodySize: maximumBodySize)
            if let rejection {
                state = .discarding(head, rejection, dropped: 0)
            } else {
                state = .reading(head, context.channel.allocator.buffer(capacity: 0))
            }
        case .body(var chunk):
            switch state {
            case .reading(let head, var body):
                let total = body.readableBytes + chunk.readableBytes
                if total > maximumBodySize {
                    let rejection = HTTPRejection(
                        status: .payloadTooLarge, message: "request body too large (limit \(maximumBodySize))",
                        closes: true)
                    state = .discarding(head, rejection, dropped: total)
                } else {
                    state = .idle  // Gives up the buffer's other reference, so the write below does not copy it.
                    body.writeBuffer(&chunk)
                    state = .reading(head, body)
                }
            case .discarding(let head, let rejection, let dropped):
                let total = dropped + chunk.readableBytes
                // A refused body is read and dropped so the client sees the answer, but only so far.
                guard total <= maximumBodySize + max(maximumBodySize, 1 << 20) else {
                    state = .answering
                    context.close(promise: nil)
                    return
                }
                state = .discarding(head, rejection, dropped: total)
            case .idle, .answering:
                break
            }
        case .end:
            switch state {
            case .reading(let head, let body):
                state = .answering
                let bytes = Array(body.readableBytesView)
                let service = self.service
                context.eventLoop.makeFutureWithTask { await service.respond(to: bytes) }
                    .assumeIsolated()
                    .whenSuccess { reply in
                        self.answer(
                            context: context, to: head, status: .ok, contentType: "application/json", body: reply ?? [],
                            close: !head.isKeepAlive)
                    }
            case .discarding(let head, let rejection, _):
                state = .answering
                answer(
                    context: context, to: head, status: rejection.status, contentType: "text/plain; charset=utf-8",
                    body: Array((rejection.message + "\n").utf8), close: rejection.closes || !head.isKeepAlive)
            case .idle, .answering:
                break
            }
        }
    }

    /// Closes a connection that stayed silent between requests for the idle time.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if case .idle = state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Unparsable HTTP (answered with 400 by NIO's error handler) or a socket error: the connection is done.
        context.close(promise: nil)
    }

    private func answer(
        context: ChannelHandlerContext, to request: HTTPRequestHead, status: HTTPResponseStatus, contentType: String,
        body: [UInt8], close: Bool
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        if close { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil)
        if !body.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        state = .idle
        if close {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
