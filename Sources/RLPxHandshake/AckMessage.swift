// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// The recipient's answer: its ephemeral public key, nonce and version (devp2p rlpx.md).
///
/// EIP-8 body: `[recipient-ephemeral-pubkey, nonce, version, ...]`, extra elements kept in ``extra``; the legacy
/// body is ephemeral-pubkey (64) ‖ nonce (32) ‖ 0x00.
public struct AckMessage: Sendable, Hashable {
    /// The recipient's ephemeral public key.
    public var ephemeralPublicKey: Secp256k1.PublicKey
    /// 32 random bytes.
    public var nonce: [UInt8]
    /// The version the recipient announced (legacy messages imply 4).
    public var version: UInt
    /// Elements after the version, as sent.
    public var extra: [RLPItem]

    public init(ephemeralPublicKey: Secp256k1.PublicKey, nonce: [UInt8], version: UInt = Handshake.version, extra: [RLPItem] = []) {
        self.ephemeralPublicKey = ephemeralPublicKey
        self.nonce = nonce
        self.version = version
        self.extra = extra
    }

    static let legacyPlaintextSize = 97

    /// The EIP-8 RLP body.
    public func eip8Body() -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(ephemeralPublicKey.nodeID)
                list.write(nonce)
                list.write(version)
                for item in extra { list.write(item) }
            }
        }
    }

    /// The legacy 97-byte plaintext.
    public func legacyPlaintext() -> [UInt8] { ephemeralPublicKey.nodeID + nonce + [0] }

    /// Reads a decrypted body in either format.
    init(plaintext: [UInt8], format: HandshakeFormat) throws(HandshakeError) {
        switch format {
        case .legacy:
            guard plaintext.count == Self.legacyPlaintextSize else {
                throw HandshakeError(.truncated, "legacy ack plaintext is \(plaintext.count) bytes, not 97")
            }
            ephemeralPublicKey = try AuthMessage.publicKey(plaintext[0..<64])
            nonce = Array(plaintext[64..<96])
            version = Handshake.version
            extra = []
        case .eip8:
            var reader = RLPReader(plaintext)
            let key: [UInt8]
            do throws(RLPError) {
                var list = try reader.listReader()
                key = try list.read(InlineArray<64, UInt8>.self, field: "ephemeralPublicKey").bytes
                nonce = try list.read(InlineArray<32, UInt8>.self, field: "nonce").bytes
                version = try list.read(UInt.self, field: "version")
                extra = try list.readAll(RLPItem.self)
            } catch {
                throw HandshakeError.malformed(error, "ack")
            }
            ephemeralPublicKey = try AuthMessage.publicKey(key[...])
        }
    }
}
