// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLPxCrypto

/// The "v4" identity scheme as discv5 uses it: node IDs from keys and keys in any of their forms, with
/// RLPxCrypto's errors turned into this module's.
enum Identity {
    /// `bytes` (33, 64 or 65 bytes) as a key.
    /// - Throws: ``Discv5Error/Code/invalidPublicKey``.
    static func publicKey(_ bytes: some Collection<UInt8>, field: String? = nil) throws(Discv5Error) -> Secp256k1.PublicKey {
        do { return try Secp256k1.PublicKey(anyForm: bytes) } catch {
            throw Discv5Error(.invalidPublicKey, "\(bytes.count) bytes are not a secp256k1 public key", field: field)
        }
    }

    /// The node ID of `key`'s public key.
    static func nodeID(of key: Secp256k1.PrivateKey) -> [UInt8] { NodeID(publicKey: key.publicKey).bytes }

    /// The node ID of a public key in any form.
    static func nodeID(publicKey bytes: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        NodeID(publicKey: try publicKey(bytes)).bytes
    }

    /// discv5's shared secret: `key · publicKey` as a compressed point.
    static func sharedSecret(_ key: Secp256k1.PrivateKey, _ publicKey: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        do { return try key.sharedPoint(with: try Self.publicKey(publicKey)) } catch { throw .invalidPublicKey }
    }

    /// A record's identity: key (compressed), node ID and sequence number, after checking its signature.
    /// - Throws: ``Discv5Error/Code/invalidValue`` for a record that is malformed, too large, of another scheme or
    ///   badly signed.
    static func record(_ bytes: [UInt8]) throws(Discv5Error) -> ENR {
        do { return try ENR(rlp: bytes) } catch {
            throw Discv5Error(.invalidValue, "the record is invalid: \(error.reason)", at: error.offset, field: "record")
        }
    }
}
