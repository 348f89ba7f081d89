// SPDX-License-Identifier: Apache-2.0
import CSecp256k1

/// secp256k1 through Debian's libsecp256k1: keys, ECDH as RLPx needs it, and recoverable signatures.
public enum Secp256k1 {
    /// One context for the process, created without precomputation flags (libsecp256k1 ≥ 0.2 needs none) and
    /// randomised once against side channels. Read-only after that, so it is safe to share across threads.
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

    /// A private key: 32 bytes, a scalar in 1 ..< n.
    public struct PrivateKey: Sendable {
        /// The 32 key bytes.
        public let rawRepresentation: [UInt8]

        /// Checks and keeps `bytes`.
        /// - Throws: ``CryptoError/invalidPrivateKey``.
        public init(rawRepresentation bytes: some Collection<UInt8>) throws(CryptoError) {
            let key = Array(bytes)
            guard key.count == 32, secp256k1_ec_seckey_verify(Secp256k1.context, key) == 1 else {
                throw .invalidPrivateKey
            }
            rawRepresentation = key
        }

        /// This key's public key.
        public var publicKey: PublicKey {
            var point = secp256k1_pubkey()
            // A verified private key always has a public key.
            _ = secp256k1_ec_pubkey_create(Secp256k1.context, &point, rawRepresentation)
            return PublicKey(point: point)
        }

        /// The x coordinate of `self · peer`, 32 bytes, unhashed: the shared secret RLPx and its ECIES use (the
        /// library's default would hash it with SHA-256).
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> [UInt8] {
            var output = [UInt8](repeating: 0, count: 32)
            var point = peer.point
            let copyX: secp256k1_ecdh_hash_function = { output, x, _, _ in
                guard let output, let x else { return 0 }
                output.update(from: x, count: 32)
                return 1
            }
            guard secp256k1_ecdh(Secp256k1.context, &output, &point, rawRepresentation, copyX, nil) == 1 else {
                throw .invalidPublicKey
            }
            return output
        }

        /// Signs a 32-byte digest: 65 bytes r ‖ s ‖ v with v ∈ {0, 1} (RFC 6979 nonces, so signatures repeat).
        public func signature(forDigest digest: some Collection<UInt8>) throws(CryptoError) -> [UInt8] {
            let message = Array(digest)
            guard message.count == 32 else { throw .invalidSignature }
            var signature = secp256k1_ecdsa_recoverable_signature()
            guard
                secp256k1_ecdsa_sign_recoverable(Secp256k1.context, &signature, message, rawRepresentation, nil, nil)
                    == 1
            else { throw .invalidPrivateKey }
            var output = [UInt8](repeating: 0, count: 65)
            var recoveryID: Int32 = 0
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
                Secp256k1.context, &output, &recoveryID, &signature)
            output[64] = UInt8(truncatingIfNeeded: recoveryID)
            return output
        }
    }

    /// A public key (a curve point), written as the 64-byte node ID form X ‖ Y or the 65-byte 0x04 ‖ X ‖ Y form.
    public struct PublicKey: Sendable, Hashable {
        let point: secp256k1_pubkey

        init(point: secp256k1_pubkey) { self.point = point }

        /// Parses 64 bytes (X ‖ Y, the node ID) or 65 bytes (0x04 ‖ X ‖ Y); the point must be on the curve.
        /// - Throws: ``CryptoError/invalidPublicKey``.
        public init(_ bytes: some Collection<UInt8>) throws(CryptoError) {
            var input = Array(bytes)
            if input.count == 64 { input.insert(0x04, at: 0) }
            guard input.count == 65, input[0] == 0x04 else { throw .invalidPublicKey }
            var point = secp256k1_pubkey()
            guard secp256k1_ec_pubkey_parse(Secp256k1.context, &point, input, 65) == 1 else {
                throw .invalidPublicKey
            }
            self.point = point
        }

        /// Recovers the key that made `signature` (r ‖ s ‖ v, v ∈ {0, 1}) over a 32-byte digest.
        /// - Throws: ``CryptoError/invalidSignature``.
        public init(recoveringFrom signature: some Collection<UInt8>, digest: some Collection<UInt8>) throws(CryptoError) {
            let signature = Array(signature)
            let message = Array(digest)
            guard signature.count == 65, message.count == 32, signature[64] <= 3 else { throw .invalidSignature }
            var parsed = secp256k1_ecdsa_recoverable_signature()
            var point = secp256k1_pubkey()
            guard
                secp256k1_ecdsa_recoverable_signature_parse_compact(
                    Secp256k1.context, &parsed, signature, Int32(signature[64])) == 1,
                secp256k1_ecdsa_recover(Secp256k1.context, &point, &parsed, message) == 1
            else { throw .invalidSignature }
            self.point = point
        }

        /// 0x04 ‖ X ‖ Y.
        public var uncompressed: [UInt8] {
            var output = [UInt8](repeating: 0, count: 65)
            var length = 65
            var point = self.point
            _ = secp256k1_ec_pubkey_serialize(
                Secp256k1.context, &output, &length, &point, UInt32(SECP256K1_EC_UNCOMPRESSED))
            return output
        }

        /// X ‖ Y: the 64-byte node ID.
        public var nodeID: [UInt8] { Array(uncompressed.dropFirst()) }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.nodeID == rhs.nodeID }
        public func hash(into hasher: inout Hasher) { hasher.combine(nodeID) }
    }
}

extension Secp256k1.PrivateKey {
    /// A fresh key from `random` (retrying the negligible share of 32-byte values that are not valid scalars).
    public static func random(using random: inout some RandomNumberGenerator) -> Secp256k1.PrivateKey {
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            if let key = try? Secp256k1.PrivateKey(rawRepresentation: bytes) { return key }
        }
    }
}
