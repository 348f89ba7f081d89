// SPDX-License-Identifier: Apache-2.0
import NIOCore
import NIOHTTP1

/// One HTTP exchange on a client channel: writes the request when started, collects the response, and
/// completes `promise` with it, or with why there is none (a deadline, a close, an answer that is not HTTP).
final class HTTPExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]
    private let promise: EventLoopPromise<EngineHTTPResponse>
    private let deadline: NIODeadline
    private let maximumResponseSize: Int
    private var status: HTTPResponseStatus?
    private var received: [UInt8] = []
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var started = false
    /// How the exchange ended before ``start()`` (an answer that is not HTTP, a close), reported once started.
    private var early: Result<EngineHTTPResponse, EngineAPIClientError>?
    private var done = false

    init(
        head: HTTPRequestHead, body: [UInt8], promise: EventLoopPromise<EngineHTTPResponse>, deadline: NIODeadline,
        maximumResponseSize: Int
    ) {
        self.head = head
        self.body = body
        self.promise = promise
        self.deadline = deadline
        self.maximumResponseSize = maximumResponseSize
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        if started {
            complete(
                .failure(EngineAPIClientError(.connectionClosed, "the connection closed before the answer was complete")))
        }
    }

    /// Sends the request and starts the clock; called on the channel's loop once this connection is the one used.
    /// Until then the handler only notes what happens (Happy Eyeballs may open connections it then drops).
    func start() {
        started = true
        if let early {
            complete(early)
            context?.close(promise: nil)
            return
        }
        guard let context, context.channel.isActive else {
            complete(.failure(EngineAPIClientError(.connectionClosed, "the connection closed before the request")))
            return
        }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.finish(context: context, .failure(EngineAPIClientError(.timedOut, "no complete answer in time")))
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let response):
            status = response.status
        case .body(let chunk):
            guard received.count + chunk.readableBytes <= maximumResponseSize else {
                finish(
                    context: context,
                    .failure(EngineAPIClientError(.invalidResponse, "answer larger than \(maximumResponseSize) bytes")))
                return
            }
            received += chunk.readableBytesView
        case .end:
            guard let status else {
                finish(
                    context: context,
                    .failure(EngineAPIClientError(.invalidResponse, "an answer without a status line")))
                return
            }
            finish(context: context, .success(EngineHTTPResponse(status: Int(status.code), body: received)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(
            context: context,
            .failure(EngineAPIClientError(.connectionClosed, "the connection closed before the answer was complete")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure =
            error is HTTPParserError
            ? EngineAPIClientError(.invalidResponse, "not an HTTP answer (\(error))")
            : EngineAPIClientError(.connectionClosed, "connection error: \(error)")
        finish(context: context, .failure(failure))
    }

    /// Completes the exchange once and closes the connection (one request per connection); before ``start()``,
    /// only notes the outcome.
    private func finish(context: ChannelHandlerContext, _ result: Result<EngineHTTPResponse, EngineAPIClientError>) {
        guard started else {
            if early == nil { early = result }
            return
        }
        guard !done else { return }
        complete(result)
        context.close(promise: nil)
    }

    private func complete(_ result: Result<EngineHTTPResponse, EngineAPIClientError>) {
        guard !done else { return }
        done = true
        timer?.cancel()
        promise.completeWith(result.mapError { $0 as any Error })
    }
}
