// SPDX-License-Identifier: Apache-2.0
import Discovery
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RLPxCrypto

/// A raw discv4 socket for tests against a node: it answers nothing by itself, decodes what arrives into an inbox,
/// and every wait is bounded.
public final class Discv4Prober: Sendable {
    /// A packet that arrived, with its source.
    public struct Received: Sendable {
        public let packet: Discv4Packet
        public let source: Discv4Responder.Address
    }

    struct State {
        var inbox: [Received] = []
    }

    private let channel: any Channel
    private let state: NIOLockedValueBox<State>
    /// The identity this socket signs with.
    public let key: Secp256k1.PrivateKey

    /// Binds UDP `host` on an ephemeral port.
    public static func bind(host: String, key: Secp256k1.PrivateKey, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> Discv4Prober
    {
        let state = NIOLockedValueBox(State())
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Inbox(state: state)) }
            }
            .bind(host: host, port: 0).get()
        return Discv4Prober(channel: channel, state: state, key: key)
    }

    private init(channel: any Channel, state: NIOLockedValueBox<State>, key: Secp256k1.PrivateKey) {
        self.channel = channel
        self.state = state
        self.key = key
    }

    /// The bound address.
    public var localAddress: Discv4Responder.Address? {
        guard let address = channel.localAddress, let text = address.ipAddress, let ip = IPAddress(text), let port = address.port,
            let udp = UInt16(exactly: port)
        else { return nil }
        return .init(ip: ip, port: udp)
    }

    /// Signs and sends `message`; returns the packet (its hash is what an answer quotes).
    @discardableResult
    public func send(_ message: Discv4.Message, to address: Discv4Responder.Address) -> Discv4Packet {
        let packet = Discv4Packet(message: message, key: key)
        sendRaw(packet.bytes, to: address)
        return packet
    }

    /// Sends bytes as they are.
    public func sendRaw(_ bytes: [UInt8], to address: Discv4Responder.Address) {
        Discv4Peer.write(.init(bytes: bytes, to: address, hash: []), on: channel)
    }

    /// The first packet to arrive that `matches`, waiting at most `timeout`; packets before it are dropped.
    public func receive(timeout: Duration, where matches: @Sendable (Discv4Packet) -> Bool = { _ in true }) async -> Received? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found: Received? = state.withLockedValue { state in
                while !state.inbox.isEmpty {
                    let next = state.inbox.removeFirst()
                    if matches(next.packet) { return next }
                }
                return nil
            }
            if let found { return found }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return nil }
            // Wake on the next packet or after a short slice, whichever is first.
            try? await Task.sleep(for: min(remaining, .milliseconds(20)))
        }
    }

    /// Closes the socket.
    public func close() async { try? await channel.close() }

    final class Inbox: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let state: NIOLockedValueBox<State>
        init(state: NIOLockedValueBox<State>) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let text = envelope.remoteAddress.ipAddress, let ip = IPAddress(text), let port = envelope.remoteAddress.port,
                let udp = UInt16(exactly: port), let packet = try? Discv4Packet(decoding: envelope.data.readableBytesView)
            else { return }
            state.withLockedValue { $0.inbox.append(Received(packet: packet, source: .init(ip: ip, port: udp))) }
        }
    }
}
