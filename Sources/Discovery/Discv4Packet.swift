// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLPxCrypto

/// A discv4 datagram: `hash ‖ signature ‖ packet-type ‖ packet-data`, where the hash is keccak-256 of everything
/// after it and the 65-byte recoverable signature covers keccak-256 of type and data. Decoding checks the hash and
/// recovers the sender's key from the signature.
public struct Discv4Packet: Hashable, Sendable {
    /// The size of hash and signature before the type byte.
    public static let headerSize = 32 + 65

    /// The message.
    public let message: Discv4.Message
    /// The packet's hash (its first 32 bytes): what a Pong or ENRResponse quotes.
    public let hash: [UInt8]
    /// The key that signed it.
    public let sender: Secp256k1.PublicKey
    /// The whole datagram.
    public let bytes: [UInt8]

    /// The sender's DHT address.
    public var senderID: NodeID { NodeID(publicKey: sender) }

    /// Decodes and authenticates one datagram.
    /// - Throws: ``DiscoveryError`` with ``DiscoveryError/Code/packetTooSmall``, ``DiscoveryError/Code/packetTooLarge``,
    ///   ``DiscoveryError/Code/hashMismatch``, ``DiscoveryError/Code/invalidSignature``,
    ///   ``DiscoveryError/Code/unknownPacketType``, or a malformed message's code with its offset in the datagram.
    public init(decoding datagram: some Collection<UInt8>) throws(DiscoveryError) {
        let input = Array(datagram)
        guard input.count > Self.headerSize else {
            throw DiscoveryError(.packetTooSmall, "\(input.count) bytes, the header alone is \(Self.headerSize + 1)", at: 0)
        }
        guard input.count <= Discv4.maximumPacketSize else {
            throw DiscoveryError(.packetTooLarge, "\(input.count) bytes, over \(Discv4.maximumPacketSize)", at: Discv4.maximumPacketSize)
        }
        let hash = Array(input[0..<32])
        guard Keccak256.hash(input[32...]) == hash else {
            throw DiscoveryError(.hashMismatch, "hash is not the keccak of signature, type and data", at: 0, field: "hash")
        }
        let signed = input[Self.headerSize...]
        guard let sender = try? Secp256k1.PublicKey(recoveringFrom: input[32..<Self.headerSize], digest: Keccak256.hash(signed)) else {
            throw DiscoveryError(.invalidSignature, "no key recovers from the signature", at: 32, field: "signature")
        }
        let type = input[Self.headerSize]
        message = try Discv4.Message(type: type, data: input[(Self.headerSize + 1)...], base: Self.headerSize + 1)
        self.hash = hash
        self.sender = sender
        bytes = input
    }

    /// Encodes and signs `message` with `key`.
    public init(message: Discv4.Message, key: Secp256k1.PrivateKey) {
        var signed = [message.type]
        signed += message.packetData
        // A verified private key signs any 32-byte digest.
        let signature = (try? key.signature(forDigest: Keccak256.hash(signed))) ?? [UInt8](repeating: 0, count: 65)
        let tail = signature + signed
        let hash = Keccak256.hash(tail)
        self.message = message
        self.hash = hash
        sender = key.publicKey
        bytes = hash + tail
    }
}

extension Discv4.Neighbors {
    /// The most nodes go-ethereum puts in one Neighbors packet: with 16-byte IPs, the largest ports and expiration,
    /// 12 nodes keep the datagram under 1280 bytes.
    public static let maximumNodesPerPacket = 12

    /// `nodes` split into Neighbors messages of at most ``maximumNodesPerPacket`` each (one empty message for none).
    public static func split(_ nodes: [Discv4.Node], expiration: UInt64) -> [Discv4.Neighbors] {
        guard !nodes.isEmpty else { return [Discv4.Neighbors(nodes: [], expiration: expiration)] }
        return stride(from: 0, to: nodes.count, by: maximumNodesPerPacket).map { start in
            Discv4.Neighbors(nodes: Array(nodes[start..<min(start + maximumNodesPerPacket, nodes.count)]), expiration: expiration)
        }
    }
}
