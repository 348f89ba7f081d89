// SPDX-License-Identifier: Apache-2.0
import Crypto
import Foundation
import _CryptoExtras

/// ECIES as devp2p's rlpx.md defines it: an ephemeral secp256k1 key, the concat KDF over the ECDH x coordinate
/// giving an AES-128-CTR key and a MAC key (SHA-256 of the second half), and HMAC-SHA256 over IV ‖ ciphertext ‖ s2.
///
/// Message layout: 0x04 ‖ X ‖ Y (ephemeral public key, 65) ‖ IV (16) ‖ ciphertext ‖ tag (32).
public enum ECIES {
    /// Bytes ECIES adds to a plaintext.
    public static let overhead = 65 + 16 + 32

    /// Encrypts `plaintext` to `recipient`. The ephemeral key and IV are parameters so vectors replay exactly.
    public static func seal(
        _ plaintext: some Collection<UInt8>, to recipient: Secp256k1.PublicKey, ephemeralKey: Secp256k1.PrivateKey,
        iv: [UInt8], sharedMACData s2: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        precondition(iv.count == 16, "ECIES needs a 16-byte IV")
        let (encryptionKey, macKey) = keys(try ephemeralKey.sharedSecret(with: recipient))
        let ciphertext = try crypt(Array(plaintext), key: encryptionKey, iv: iv)
        let tag = HMAC<SHA256>.authenticationCode(for: iv + ciphertext + Array(s2), using: macKey)
        return ephemeralKey.publicKey.uncompressed + iv + ciphertext + Array(tag)
    }

    /// Decrypts `message` with `key`, checking its tag over IV ‖ ciphertext ‖ `s2` first.
    /// - Throws: ``CryptoError/eciesTruncated``, ``CryptoError/invalidPublicKey`` (the ephemeral key is not on the
    ///   curve), ``CryptoError/eciesTagMismatch``.
    public static func open(
        _ message: some Collection<UInt8>, with key: Secp256k1.PrivateKey, sharedMACData s2: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let bytes = Array(message)
        guard bytes.count >= overhead else { throw .eciesTruncated }
        let ephemeral = try Secp256k1.PublicKey(bytes[0..<65])
        let iv = Array(bytes[65..<81])
        let ciphertext = Array(bytes[81..<(bytes.count - 32)])
        let tag = bytes[(bytes.count - 32)...]
        let (encryptionKey, macKey) = keys(try key.sharedSecret(with: ephemeral))
        guard HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: iv + ciphertext + Array(s2), using: macKey)
        else { throw .eciesTagMismatch }
        return try crypt(ciphertext, key: encryptionKey, iv: iv)
    }

    /// The AES-128 key and the HMAC key (SHA-256 of the KDF's second half).
    static func keys(_ shared: [UInt8]) -> (SymmetricKey, SymmetricKey) {
        let derived = ConcatKDF.derive(z: shared, length: 32)
        return (SymmetricKey(data: derived[0..<16]), SymmetricKey(data: SHA256.hash(data: derived[16..<32])))
    }

    /// AES-128-CTR with the full 16-byte IV as the initial counter block (encryption and decryption are the same).
    static func crypt(_ input: [UInt8], key: SymmetricKey, iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        do {
            return Array(try AES._CTR.encrypt(input, using: key, nonce: AES._CTR.Nonce(nonceBytes: iv)))
        } catch {
            throw .eciesTruncated  // unreachable for a 16-byte IV and 16-byte key
        }
    }
}
