// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto

/// The initiator's first message: its signature, static public key, nonce and version (devp2p rlpx.md).
///
/// EIP-8 body: `[signature, initiator-pubkey, nonce, version, ...]`; extra elements are kept in ``extra`` and
/// otherwise ignored (forward compatibility). The legacy body is signature (65) ‖ keccak256(ephemeral-pubkey)
/// (32) ‖ pubkey (64) ‖ nonce (32) ‖ 0x00.
public struct AuthMessage: Sendable, Hashable {
    /// r ‖ s ‖ v over static-shared-secret ⊕ nonce, made with the initiator's ephemeral key.
    public var signature: [UInt8]
    /// The initiator's static public key (its node ID).
    public var initiatorPublicKey: Secp256k1.PublicKey
    /// 32 random bytes.
    public var nonce: [UInt8]
    /// The version the initiator announced (4 today; legacy messages imply 4).
    public var version: UInt
    /// Elements after the version, as sent (EIP-8 forward compatibility).
    public var extra: [RLPItem]
    /// Legacy messages only: keccak256 of the ephemeral public key, which must match the key the signature
    /// recovers to.
    public var ephemeralPublicKeyHash: [UInt8]?

    public init(
        signature: [UInt8], initiatorPublicKey: Secp256k1.PublicKey, nonce: [UInt8], version: UInt = Handshake.version,
        extra: [RLPItem] = []
    ) {
        self.signature = signature
        self.initiatorPublicKey = initiatorPublicKey
        self.nonce = nonce
        self.version = version
        self.extra = extra
    }

    static let legacyPlaintextSize = 194

    /// The EIP-8 RLP body.
    public func eip8Body() -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(signature)
                list.write(initiatorPublicKey.nodeID)
                list.write(nonce)
                list.write(version)
                for item in extra { list.write(item) }
            }
        }
    }

    /// The legacy 194-byte plaintext; it carries the hash of the ephemeral public key the signature recovers to.
    public func legacyPlaintext(ephemeralPublicKey: Secp256k1.PublicKey) -> [UInt8] {
        signature + Keccak256.hash(ephemeralPublicKey.nodeID) + initiatorPublicKey.nodeID + nonce + [0]
    }

    /// Reads a decrypted body in either format.
    init(plaintext: [UInt8], format: HandshakeFormat) throws(HandshakeError) {
        switch format {
        case .legacy:
            guard plaintext.count == Self.legacyPlaintextSize else {
                throw HandshakeError(.truncated, "legacy auth plaintext is \(plaintext.count) bytes, not 194")
            }
            signature = Array(plaintext[0..<65])
            ephemeralPublicKeyHash = Array(plaintext[65..<97])
            initiatorPublicKey = try Self.publicKey(plaintext[97..<161])
            nonce = Array(plaintext[161..<193])
            version = Handshake.version
            extra = []
        case .eip8:
            // The body is one RLP list followed by padding.
            var reader = RLPReader(plaintext)
            let key: [UInt8]
            do throws(RLPError) {
                var list = try reader.listReader()
                signature = try list.read(InlineArray<65, UInt8>.self, field: "signature").bytes
                key = try list.read(InlineArray<64, UInt8>.self, field: "initiatorPublicKey").bytes
                nonce = try list.read(InlineArray<32, UInt8>.self, field: "nonce").bytes
                version = try list.read(UInt.self, field: "version")
                extra = try list.readAll(RLPItem.self)
            } catch {
                throw HandshakeError.malformed(error, "auth")
            }
            ephemeralPublicKeyHash = nil
            initiatorPublicKey = try Self.publicKey(key[...])
        }
    }

    static func publicKey(_ bytes: ArraySlice<UInt8>) throws(HandshakeError) -> Secp256k1.PublicKey {
        do {
            return try Secp256k1.PublicKey(bytes)
        } catch {
            throw HandshakeError(.invalidPublicKey, "public key in handshake body is not on the curve")
        }
    }
}

extension InlineArray where Element == UInt8 {
    /// The bytes as an array.
    var bytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }
}
