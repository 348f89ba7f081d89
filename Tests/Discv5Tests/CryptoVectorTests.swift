// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLPxCrypto
import Testing

/// The specification's cryptographic vectors: ECDH, key derivation, ID-nonce signing, AES-GCM; and node IDs.
@Suite struct CryptoVectorTests {
    typealias V = WireVectors

    @Test func nodeIDsOfTheVectorKeys() throws {
        #expect(NodeID(publicKey: try Secp256k1.PrivateKey(rawRepresentation: V.nodeAKey).publicKey).bytes == V.nodeAID)
        #expect(NodeID(publicKey: try Secp256k1.PrivateKey(rawRepresentation: V.nodeBKey).publicKey).bytes == V.nodeBID)
        // The same through the compressed public key.
        let compressed = try Secp256k1.PrivateKey(rawRepresentation: V.nodeAKey).publicKey.compressed
        #expect(compressed.count == 33)
        #expect(NodeID(publicKey: try Secp256k1.PublicKey(anyForm: compressed)).bytes == V.nodeAID)
    }

    @Test func ecdhIsTheCompressedSharedPoint() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: V.ECDH.secretKey)
        let point = try Secp256k1.PublicKey(anyForm: V.ECDH.publicKey)
        #expect(try key.sharedPoint(with: point) == V.ECDH.sharedSecret)
        // The uncompressed forms of the same point give the same secret.
        let uncompressed = point.uncompressed
        #expect(try key.sharedPoint(with: try Secp256k1.PublicKey(anyForm: uncompressed)) == V.ECDH.sharedSecret)
        #expect(try key.sharedPoint(with: try Secp256k1.PublicKey(anyForm: uncompressed.dropFirst())) == V.ECDH.sharedSecret)
        #expect(point.compressed == V.ECDH.publicKey)
        // A point off the curve is refused.
        var offCurve = V.ECDH.publicKey
        offCurve[0] = 0x05
        #expect(throws: CryptoError.invalidPublicKey) { try Secp256k1.PublicKey(anyForm: offCurve) }
    }

    @Test func keyDerivation() throws {
        let ephemeral = try Secp256k1.PrivateKey(rawRepresentation: V.KeyDerivation.ephemeralKey)
        let keys = try SessionKeys(
            ephemeralKey: ephemeral, recipientPublicKey: V.KeyDerivation.destinationPublicKey, initiatorID: V.nodeAID,
            recipientID: V.nodeBID, challengeData: V.KeyDerivation.challengeData)
        #expect(keys.initiatorKey == V.KeyDerivation.initiatorKey)
        #expect(keys.recipientKey == V.KeyDerivation.recipientKey)
        // Swapping the node IDs or changing the salt changes both keys.
        let swapped = try SessionKeys(
            ephemeralKey: ephemeral, recipientPublicKey: V.KeyDerivation.destinationPublicKey, initiatorID: V.nodeBID,
            recipientID: V.nodeAID, challengeData: V.KeyDerivation.challengeData)
        #expect(swapped.initiatorKey != keys.initiatorKey && swapped.recipientKey != keys.recipientKey)
        let salted = try SessionKeys(
            ephemeralKey: ephemeral, recipientPublicKey: V.KeyDerivation.destinationPublicKey, initiatorID: V.nodeAID,
            recipientID: V.nodeBID, challengeData: V.PingHandshake.challengeData)
        #expect(salted.initiatorKey != keys.initiatorKey)
    }

    @Test func idNonceSignature() throws {
        let key = try Secp256k1.PrivateKey(rawRepresentation: V.IDNonceSigning.staticKey)
        let signature = try IdentityProof.sign(
            challengeData: V.IDNonceSigning.challengeData, ephemeralPublicKey: V.IDNonceSigning.ephemeralPublicKey,
            recipientID: V.nodeBID, staticKey: key)
        #expect(signature == V.IDNonceSigning.signature)
        // In reverse: the vector's signature verifies against the key, and not against changed inputs.
        let publicKey = key.publicKey.compressed
        #expect(
            IdentityProof.verify(
                V.IDNonceSigning.signature, challengeData: V.IDNonceSigning.challengeData,
                ephemeralPublicKey: V.IDNonceSigning.ephemeralPublicKey, recipientID: V.nodeBID, publicKey: publicKey))
        #expect(
            !IdentityProof.verify(
                V.IDNonceSigning.signature, challengeData: V.IDNonceSigning.challengeData,
                ephemeralPublicKey: V.IDNonceSigning.ephemeralPublicKey, recipientID: V.nodeAID, publicKey: publicKey))
        var flipped = V.IDNonceSigning.signature
        flipped[5] ^= 1
        #expect(
            !IdentityProof.verify(
                flipped, challengeData: V.IDNonceSigning.challengeData,
                ephemeralPublicKey: V.IDNonceSigning.ephemeralPublicKey, recipientID: V.nodeBID, publicKey: publicKey))
    }

    @Test func aesGCM() throws {
        let e = V.Encryption.self
        #expect(try AESGCM.seal(e.plaintext, key: e.key, nonce: e.nonce, associatedData: e.associatedData) == e.ciphertext)
        #expect(try AESGCM.open(e.ciphertext, key: e.key, nonce: e.nonce, associatedData: e.associatedData) == e.plaintext)
        // Any change to the ciphertext, tag, associated data or nonce fails authentication.
        for index in e.ciphertext.indices {
            var damaged = e.ciphertext
            damaged[index] ^= 0x80
            #expect(throws: Discv5Error.decryptionFailed) {
                try AESGCM.open(damaged, key: e.key, nonce: e.nonce, associatedData: e.associatedData)
            }
        }
        #expect(throws: Discv5Error.decryptionFailed) {
            try AESGCM.open(e.ciphertext, key: e.key, nonce: e.nonce, associatedData: e.associatedData + [0])
        }
        #expect(throws: Discv5Error.decryptionFailed) {
            try AESGCM.open(e.ciphertext, key: e.key, nonce: V.PingMessage.nonce, associatedData: e.associatedData)
        }
        #expect(throws: Discv5Error.decryptionFailed) {
            try AESGCM.open(Array(e.ciphertext.prefix(15)), key: e.key, nonce: e.nonce, associatedData: e.associatedData)
        }
        #expect(throws: Discv5Error.invalidArgument) { try AESGCM.seal([1], key: [1, 2], nonce: e.nonce, associatedData: []) }
        // An empty plaintext seals to a bare tag and opens back.
        let empty = try AESGCM.seal([UInt8](), key: e.key, nonce: e.nonce, associatedData: [])
        #expect(empty.count == 16)
        #expect(try AESGCM.open(empty, key: e.key, nonce: e.nonce, associatedData: []) == [])
    }

    @Test func hkdfMatchesRFC5869TestCase1() {
        // RFC 5869 A.1, the first 32 of its 42 bytes (HKDF-Expand's blocks are a prefix of longer output).
        let okm = Digests.hkdfSHA256(
            secret: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9), length: 42)
        #expect(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }
}
