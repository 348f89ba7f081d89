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
    /// The bytes after the packet: a side's first TCP payload often carries its first frames (the Hello) too.
    public var rest: [UInt8] = []

    /// Decrypts the auth packet at the start of `bytes` with the recipient's static key, and recovers the initiator's
    /// ephemeral key; what follows the packet is ``rest``.
    public static func auth(_ bytes: [UInt8], key: Secp256k1.PrivateKey) throws(HandshakeError) -> HandshakeInspection {
        let (message, format, length) = try AuthMessage.decryptLeading(bytes, with: key)
        let packet = bytes.prefix(length)
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
            extra: message.extra.map { RLPInspection($0.rlpEncoded()) }, rest: Array(bytes[length...]))
    }

    /// Decrypts the ack packet at the start of `bytes` with the initiator's static key; what follows it is ``rest``.
    public static func ack(_ bytes: [UInt8], key: Secp256k1.PrivateKey) throws(HandshakeError) -> HandshakeInspection {
        let (message, format, length) = try AckMessage.decryptLeading(bytes, with: key)
        let packet = bytes.prefix(length)
        var fields: [(String, String)] = [
            ("version", String(message.version)),
            ("ephemeral-public-key", Hex.encode(message.ephemeralPublicKey.nodeID)),
            ("nonce", Hex.encode(message.nonce)),
        ]
        if format == .eip8 { fields.insert(("size-prefix", String(packet.count - 2)), at: 0) }
        return HandshakeInspection(
            kind: "ack", format: format, wireLength: packet.count, fields: fields,
            extra: message.extra.map { RLPInspection($0.rlpEncoded()) }, rest: Array(bytes[length...]))
    }

    /// One line for the packet, one per field, then the extra elements as trees.
    public func renderedText() -> String {
        var out = "\(kind) \(format.rawValue) \(wireLength) bytes\n"
        for (name, value) in fields { out += "  \(name) \(value)\n" }
        for (index, item) in extra.enumerated() {
            out += "  extra[\(index)]\n"
            out += item.renderedText().split(separator: "\n").map { "    \($0)\n" }.joined()
        }
        if !rest.isEmpty {
            let sender = kind == "auth" ? "initiator" : "recipient"
            out += "then \(rest.count) bytes after the packet (frames: decode --frames --from \(sender) reads them)\n"
            out += "  \(Hex.encode(rest))\n"
        }
        return out
    }

    /// The fields that hold integers (JSON numbers by ``JSONValue/quantity(_:)-(UInt64)``'s rule).
    static let integerFields: Set = ["version", "size-prefix"]

    /// The same as JSON.
    public func json() -> JSONValue {
        .object(
            [("format", .string(kind)), ("encoding", .string(format.rawValue)), ("wireLength", .int(wireLength))]
                + fields.map {
                    (
                        $0.name,
                        Self.integerFields.contains($0.name) ? UInt64($0.value).map(JSONValue.quantity) ?? .string($0.value) : .string($0.value)
                    )
                }
                + [("extra", .array(extra.map { $0.json() })), ("rest", .string(Hex.encode(rest)))])
    }
}
