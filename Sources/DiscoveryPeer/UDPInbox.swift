// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A raw UDP socket for tests against a node: it answers nothing by itself, keeps what arrives in an inbox, and
/// every wait is bounded.
public final class UDPInbox: Sendable {
    /// A datagram that arrived, with its source.
    public struct Datagram: Sendable {
        public let bytes: [UInt8]
        public let source: Discv4Responder.Address
    }

    private let channel: any Channel
    private let inbox: NIOLockedValueBox<[Datagram]>

    /// Binds UDP `host` on an ephemeral port.
    public static func bind(host: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> UDPInbox {
        let inbox = NIOLockedValueBox<[Datagram]>([])
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(inbox: inbox)) }
            }
            .bind(host: host, port: 0).get()
        return UDPInbox(channel: channel, inbox: inbox)
    }

    private init(channel: any Channel, inbox: NIOLockedValueBox<[Datagram]>) {
        self.channel = channel
        self.inbox = inbox
    }

    /// The bound address.
    public var localAddress: Discv4Responder.Address? { channel.localAddress.flatMap(Discv5Peer.endpoint) }

    /// Sends bytes as they are.
    public func send(_ bytes: [UInt8], to address: Discv4Responder.Address) {
        Discv5Peer.write(.init(bytes: bytes, to: address), on: channel)
    }

    /// The first datagram to arrive that `matches`, waiting at most `timeout`; datagrams before it are dropped.
    public func receive(timeout: Duration, where matches: (Datagram) -> Bool = { _ in true }) async -> Datagram? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found: Datagram? = inbox.withLockedValue { inbox in
                while !inbox.isEmpty {
                    let next = inbox.removeFirst()
                    if matches(next) { return next }
                }
                return nil
            }
            if let found { return found }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            // Wake on the next datagram or after a short slice, whichever is first.
            try? await Task.sleep(for: min(remaining, .milliseconds(10)))
        }
    }

    /// Closes the socket.
    public func close() async { try? await channel.close() }

    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let inbox: NIOLockedValueBox<[Datagram]>
        init(inbox: NIOLockedValueBox<[Datagram]>) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let source = Discv5Peer.endpoint(envelope.remoteAddress) else { return }
            let datagram = Datagram(bytes: Array(envelope.data.readableBytesView), source: source)
            inbox.withLockedValue { if $0.count < 1024 { $0.append(datagram) } }
        }
    }
}
