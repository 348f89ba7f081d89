// SPDX-License-Identifier: Apache-2.0
import CSecp256k1
import Keccak
import RLPxCrypto

/// The secp256k1 operations discv5's "v4" identity scheme needs beyond RLPxCrypto: compressed keys, ECDH as a
/// compressed point, and plain (non-recoverable) 64-byte signatures.
public enum Curve {
    /// One context for the module, randomised once; read-only afterwards, so shared across threads.
    nonisolated(unsafe) static let context: OpaquePointer = {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            preconditionFailure("libsecp256k1 could not create a context")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in seed.indices { seed[index] = UInt8.random(in: 0...255, using: &generator) }
        _ = secp256k1_context_randomize(context, seed)
        return context
    }()

    /// Parses a public key written compressed (33 bytes), as X ‖ Y (64) or as 0x04 ‖ X ‖ Y (65).
    static func parse(_ bytes: some Collection<UInt8>) throws(Discv5Error) -> secp256k1_pubkey {
        var input = Array(bytes)
        if input.count == 64 { input.insert(0x04, at: 0) }
        guard input.count == 33 || input.count == 65 else {
            throw Discv5Error(.invalidPublicKey, "a public key is 33, 64 or 65 bytes, not \(input.count)")
        }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &point, input, input.count) == 1 else { throw .invalidPublicKey }
        return point
    }

    static func serialize(_ point: secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var point = point
        var length = compressed ? 33 : 65
        var output = [UInt8](repeating: 0, count: length)
        let flags = UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED)
        _ = secp256k1_ec_pubkey_serialize(context, &output, &length, &point, flags)
        return output
    }

    /// The 33-byte compressed form of `key`'s public key, as handshakes and records carry it.
    public static func compressedPublicKey(of key: Secp256k1.PrivateKey) -> [UInt8] {
        var point = secp256k1_pubkey()
        // A checked private key always has a public key.
        _ = secp256k1_ec_pubkey_create(context, &point, key.rawRepresentation)
        return serialize(point, compressed: true)
    }

    /// `publicKey` (33, 64 or 65 bytes) in compressed form.
    public static func compress(_ publicKey: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        serialize(try parse(publicKey), compressed: true)
    }

    /// `publicKey` (33, 64 or 65 bytes) as 0x04 ‖ X ‖ Y.
    public static func uncompressedPublicKey(_ publicKey: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        serialize(try parse(publicKey), compressed: false)
    }

    /// The node ID of the "v4" scheme: keccak256(X ‖ Y) of the public key, 32 bytes.
    public static func nodeID(publicKey: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        Keccak256.hash(serialize(try parse(publicKey), compressed: false).dropFirst())
    }

    /// The node ID of `key`'s public key.
    public static func nodeID(of key: Secp256k1.PrivateKey) -> [UInt8] {
        Keccak256.hash(key.publicKey.nodeID)
    }

    /// The shared secret of discv5's handshake: `privateKey · publicKey` as a 33-byte compressed point (not the
    /// bare X of RLPx, nor libsecp256k1's default hash).
    /// - Throws: ``Discv5Error/Code/invalidPublicKey``.
    public static func sharedSecret(privateKey: Secp256k1.PrivateKey, publicKey: some Collection<UInt8>) throws(Discv5Error) -> [UInt8] {
        var point = try parse(publicKey)
        var output = [UInt8](repeating: 0, count: 33)
        let compressedPoint: secp256k1_ecdh_hash_function = { output, x, y, _ in
            guard let output, let x, let y else { return 0 }
            output[0] = 0x02 | (y[31] & 1)
            (output + 1).update(from: x, count: 32)
            return 1
        }
        guard secp256k1_ecdh(context, &output, &point, privateKey.rawRepresentation, compressedPoint, nil) == 1 else {
            throw .invalidPublicKey
        }
        return output
    }

    /// A 64-byte r ‖ s signature (low s, RFC 6979 nonce) over a 32-byte digest.
    public static func sign(digest: [UInt8], with key: Secp256k1.PrivateKey) throws(Discv5Error) -> [UInt8] {
        guard digest.count == 32 else { throw Discv5Error(.invalidArgument, "a signed digest is 32 bytes") }
        var signature = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_sign(context, &signature, digest, key.rawRepresentation, nil, nil) == 1 else {
            throw Discv5Error(.invalidArgument, "signing failed")
        }
        var output = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(context, &output, &signature)
        return output
    }

    /// Whether `signature` (64 bytes r ‖ s, low s) over the 32-byte `digest` was made by `publicKey`.
    public static func verify(signature: some Collection<UInt8>, digest: [UInt8], publicKey: some Collection<UInt8>) -> Bool {
        let signature = Array(signature)
        guard signature.count == 64, digest.count == 32, var point = try? parse(publicKey) else { return false }
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(context, &parsed, signature) == 1 else { return false }
        // libsecp256k1 refuses high-s signatures, as go-ethereum's VerifySignature does.
        return secp256k1_ecdsa_verify(context, &parsed, digest, &point) == 1
    }
}
