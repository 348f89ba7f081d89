// SPDX-License-Identifier: Apache-2.0
import CSecp256k1

extension Secp256k1.PublicKey {
    /// Parses the 33-byte compressed form (0x02 or 0x03 ‖ X), as node records carry keys.
    /// - Throws: ``CryptoError/invalidPublicKey``.
    public init(compressed bytes: some Collection<UInt8>) throws(CryptoError) {
        let input = Array(bytes)
        guard input.count == 33, input[0] == 0x02 || input[0] == 0x03 else { throw .invalidPublicKey }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1.context, &point, input, 33) == 1 else { throw .invalidPublicKey }
        self.init(point: point)
    }

    /// The 33-byte compressed form: 0x02 or 0x03 (the parity of Y) ‖ X.
    public var compressed: [UInt8] {
        var output = [UInt8](repeating: 0, count: 33)
        var length = 33
        var point = self.point
        _ = secp256k1_ec_pubkey_serialize(Secp256k1.context, &output, &length, &point, UInt32(SECP256K1_EC_COMPRESSED))
        return output
    }

    /// Whether the 64-byte r ‖ s `signature` over the 32-byte `digest` was made by this key. High-s signatures are
    /// refused, as go-ethereum's `VerifySignature` refuses them (each signature has one accepted form).
    public func isValidSignature(_ signature: some Collection<UInt8>, digest: some Collection<UInt8>) -> Bool {
        let signature = Array(signature)
        let message = Array(digest)
        guard signature.count == 64, message.count == 32 else { return false }
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(Secp256k1.context, &parsed, signature) == 1 else { return false }
        var point = self.point
        return secp256k1_ecdsa_verify(Secp256k1.context, &parsed, message, &point) == 1
    }
}
