// SPDX-License-Identifier: Apache-2.0
import CSecp256k1

extension Secp256k1.PrivateKey {
    /// `self · peer` as a 33-byte compressed point: discv5's shared secret (RLPx uses the bare X, ``sharedSecret(with:)``).
    public func sharedPoint(with peer: Secp256k1.PublicKey) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 33)
        var point = peer.point
        let compressedPoint: secp256k1_ecdh_hash_function = { output, x, y, _ in
            guard let output, let x, let y else { return 0 }
            output[0] = 0x02 | (y[31] & 1)
            (output + 1).update(from: x, count: 32)
            return 1
        }
        guard secp256k1_ecdh(Secp256k1.context, &output, &point, rawRepresentation, compressedPoint, nil) == 1 else {
            throw .invalidPublicKey
        }
        return output
    }
}

extension Secp256k1.PublicKey {
    /// Parses any of the three forms: compressed (33 bytes), X ‖ Y (64) or 0x04 ‖ X ‖ Y (65).
    /// - Throws: ``CryptoError/invalidPublicKey``.
    public init(anyForm bytes: some Collection<UInt8>) throws(CryptoError) {
        if bytes.count == 33 { try self.init(compressed: bytes) } else { try self.init(bytes) }
    }
}
