// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxHandshake

/// A decrypted auth or ack packet, field by field.
public struct HandshakeInspection: Sendable {
    /// "auth" or "ack".
    public var kind: String
    /// Legacy or EIP-8.
    public var format: HandshakeFormat
    /// Bytes on the wire.
    public var wireLength: Int
    /// Named fields in display order, values as hex or decimal text.
    public var fields: [(name: String, value: String)]
    /// Extra list elements (EIP-8 forward compatibility), as RLP trees.
    public var extra: [RLPInspection]

    /// Decrypts an auth packet with the recipient's static key, and recovers the initiator's ephemeral key.
    public static func auth(_ packet: [UInt8], key: Secp256k1.PrivateKey) throws(HandshakeError) -> HandshakeInspection {
        let (message, format) = try AuthMessage.decrypt(packet, with: key)
        var fields: [(String, String)] = [
            ("version", String(message.version)),
            ("initiator-public-key", Hex.encode(message.initiatorPublicKey.nodeID)),
            ("nonce", Hex.encode(message.nonce)),
            ("signature", Hex.encode(message.signature)),
        ]
        if let shared = try? key.sharedSecret(with: message.initiatorPublicKey),
            let ephemeral = try? Secp256k1.PublicKey(
                recoveringFrom: message.signature, digest: zip(shared, message.nonce).map { $0 ^ $1 })
        {
            fields.append(("ephemeral-public-key", Hex.encode(ephemeral.nodeID) + " (recovered from the signature)"))
        }
        if format == .eip8 { fields.insert(("size-prefix", String(packet.count - 2)), at: 0) }
        return HandshakeInspection(
            kind: "auth", format: format, wireLength: packet.count, fields: fields,
            extra: message.extra.map { RLPInspection($0.rlpEncoded()) })
    }

    /// Decrypts an ack packet with the initiator's static key.
    public static func ack(_ packet: [UInt8], key: Secp256k1.PrivateKey) throws(HandshakeError) -> HandshakeInspection {
        let (message, format) = try AckMessage.decrypt(packet, with: key)
        var fields: [(String, String)] = [
            ("version", String(message.version)),
            ("ephemeral-public-key", Hex.encode(message.ephemeralPublicKey.nodeID)),
            ("nonce", Hex.encode(message.nonce)),
        ]
        if format == .eip8 { fields.insert(("size-prefix", String(packet.count - 2)), at: 0) }
        return HandshakeInspection(
            kind: "ack", format: format, wireLength: packet.count, fields: fields,
            extra: message.extra.map { RLPInspection($0.rlpEncoded()) })
    }

    /// One line for the packet, one per field, then the extra elements as trees.
    public func renderedText() -> String {
        var out = "\(kind) \(format.rawValue) \(wireLength) bytes\n"
        for (name, value) in fields { out += "  \(name) \(value)\n" }
        for (index, item) in extra.enumerated() {
            out += "  extra[\(index)]\n"
            out += item.renderedText().split(separator: "\n").map { "    \($0)\n" }.joined()
        }
        return out
    }

    /// The same as JSON.
    public func json() -> JSONValue {
        .object(
            [("format", .string(kind)), ("encoding", .string(format.rawValue)), ("wireLength", .int(wireLength))]
                + fields.map { ($0.name, JSONValue.string($0.value)) }
                + [("extra", .array(extra.map { $0.json() }))])
    }
}
