// SPDX-License-Identifier: Apache-2.0
import Discovery
import NIOCore
import NIOPosix
import RLPxCrypto

/// A raw discv4 socket for tests against a node: it answers nothing by itself, decodes what arrives, and every wait
/// is bounded.
public final class Discv4Prober: Sendable {
    /// A packet that arrived, with its source.
    public struct Received: Sendable {
        public let packet: Discv4Packet
        public let source: Discv4Responder.Address
    }

    private let socket: UDPInbox
    /// The identity this socket signs with.
    public let key: Secp256k1.PrivateKey

    /// Binds UDP `host` on an ephemeral port.
    public static func bind(host: String, key: Secp256k1.PrivateKey, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> Discv4Prober
    {
        Discv4Prober(socket: try await UDPInbox.bind(host: host, group: group), key: key)
    }

    private init(socket: UDPInbox, key: Secp256k1.PrivateKey) {
        self.socket = socket
        self.key = key
    }

    /// The bound address.
    public var localAddress: Discv4Responder.Address? { socket.localAddress }

    /// Signs and sends `message`; returns the packet (its hash is what an answer quotes).
    @discardableResult
    public func send(_ message: Discv4.Message, to address: Discv4Responder.Address) -> Discv4Packet {
        let packet = Discv4Packet(message: message, key: key)
        sendRaw(packet.bytes, to: address)
        return packet
    }

    /// Sends bytes as they are.
    public func sendRaw(_ bytes: [UInt8], to address: Discv4Responder.Address) { socket.send(bytes, to: address) }

    /// The first packet to arrive that decodes and `matches`, waiting at most `timeout`; packets before it are dropped.
    public func receive(timeout: Duration, where matches: @Sendable (Discv4Packet) -> Bool = { _ in true }) async -> Received? {
        var packet: Discv4Packet?
        let datagram = await socket.receive(timeout: timeout) { datagram in
            packet = try? Discv4Packet(decoding: datagram.bytes)
            return packet.map(matches) ?? false
        }
        guard let datagram, let packet else { return nil }
        return Received(packet: packet, source: datagram.source)
    }

    /// Closes the socket.
    public func close() async { await socket.close() }
}
