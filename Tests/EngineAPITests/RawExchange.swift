// SPDX-License-Identifier: Apache-2.0
import NIOCore
import NIOPosix

/// Sends raw bytes to a loopback port and collects everything that comes back until the peer closes.
enum RawExchange {
    static func send(_ bytes: [UInt8], port: Int, limit: Duration = .seconds(10)) async throws -> String {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        // Bounded: the channel is closed at the limit, which ends the stream.
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) { channel.close(promise: nil) }
        var received = ""
        for await chunk in stream { received += String(buffer: chunk) }
        timer.cancel()
        return received
    }

    /// Collects what a connection receives.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation
        init(_ continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { continuation.finish() }
    }
}
