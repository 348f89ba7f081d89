// SPDX-License-Identifier: Apache-2.0

/// ECIES as devp2p's rlpx.md defines it: an ephemeral secp256k1 key, the concat KDF over the ECDH x coordinate
/// giving an AES-128-CTR key and a MAC key (SHA-256 of the second half), and HMAC-SHA256 over IV ‖ ciphertext ‖ s2.
///
/// Message layout: 0x04 ‖ X ‖ Y (ephemeral public key, 65) ‖ IV (16) ‖ ciphertext ‖ tag (32).
public enum ECIES {
    /// Bytes ECIES adds to a plaintext.
    public static let overhead = 65 + 16 + 32

    /// Encrypts `plaintext` to `recipient`. The ephemeral key and IV are parameters so vectors replay exactly.
    /// - Throws: ``CryptoError/invalidArgument`` for an IV that is not 16 bytes; key errors from the ECDH.
    public static func seal(
        _ plaintext: some Collection<UInt8>, to recipient: Secp256k1.PublicKey, ephemeralKey: Secp256k1.PrivateKey,
        iv: [UInt8], sharedMACData s2: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        guard iv.count == 16 else { throw CryptoError(.invalidArgument, "ECIES needs a 16-byte IV, not \(iv.count) bytes") }
        let (encryptionKey, macKey) = keys(try ephemeralKey.sharedSecret(with: recipient))
        var ciphertext = Array(plaintext)
        var stream = AESCTRStream(key: encryptionKey, iv: iv)
        stream.apply(to: &ciphertext)
        let tag = OpenSSL.hmacSHA256(key: macKey, data: iv + ciphertext + Array(s2))
        return ephemeralKey.publicKey.uncompressed + iv + ciphertext + tag
    }

    /// Decrypts `message` with `key`, checking its tag over IV ‖ ciphertext ‖ `s2` first.
    /// - Throws: ``CryptoError/eciesTruncated``, ``CryptoError/invalidPublicKey`` (the ephemeral key is not on the
    ///   curve), ``CryptoError/eciesTagMismatch``.
    public static func open(
        _ message: some Collection<UInt8>, with key: Secp256k1.PrivateKey,
        sharedMACData s2: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let bytes = Array(message)
        guard bytes.count >= overhead else { throw .eciesTruncated }
        let ephemeral = try Secp256k1.PublicKey(bytes[0..<65])
        let iv = Array(bytes[65..<81])
        var body = Array(bytes[81..<(bytes.count - 32)])
        let tag = bytes[(bytes.count - 32)...]
        let (encryptionKey, macKey) = keys(try key.sharedSecret(with: ephemeral))
        let expected = OpenSSL.hmacSHA256(key: macKey, data: iv + body + Array(s2))
        let equal = expected.withUnsafeBytes { expected in tag.withUnsafeBytes { OpenSSL.constantTimeEqual(expected, $0) } }
        guard equal else { throw .eciesTagMismatch }
        var stream = AESCTRStream(key: encryptionKey, iv: iv)
        stream.apply(to: &body)
        return body
    }

    /// The AES-128 key and the HMAC key (SHA-256 of the KDF's second half).
    static func keys(_ shared: [UInt8]) -> (encryption: [UInt8], mac: [UInt8]) {
        let derived = ConcatKDF.derive(z: shared, length: 32)
        return (Array(derived[0..<16]), OpenSSL.sha256(derived[16..<32]))
    }
}
