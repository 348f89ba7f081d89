// SPDX-License-Identifier: Apache-2.0
import COpenSSL

/// An AES-CTR key stream that continues across calls: RLPx encrypts every header and body of one direction with
/// one AES-256-CTR stream (IV zero), and ECIES uses AES-128-CTR once. The key schedule is expanded once.
///
/// A value type: a copy continues independently from the same position.
public struct AESCTRStream: Sendable {
    private var context: CipherContext

    /// A stream keyed with `key` (16 bytes for AES-128, 32 for AES-256) starting at counter block `iv`.
    public init(key: some Collection<UInt8>, iv: some Collection<UInt8> = [UInt8](repeating: 0, count: 16)) {
        let key = Array(key)
        let iv = Array(iv)
        precondition(key.count == 16 || key.count == 32, "AES-CTR needs a 16- or 32-byte key")
        precondition(iv.count == 16, "AES-CTR needs a 16-byte IV")
        context = CipherContext(cipher: key.count == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr(), key: key, iv: iv)
    }

    /// XORs the next `buffer.count` key stream bytes into `buffer`, in place.
    public mutating func apply(to buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, base, count: buffer.count)
    }

    /// XORs the next key stream bytes into `bytes`.
    public mutating func apply(to bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { apply(to: $0) }
    }
}

/// AES-256 applied to single 16-byte blocks (the "ECB" step of the RLPx MAC), key schedule expanded once.
public struct AESBlockCipher: Sendable {
    private var context: CipherContext

    /// A block cipher keyed with 32 bytes.
    public init(key: some Collection<UInt8>) {
        let key = Array(key)
        precondition(key.count == 32, "AES-256 needs a 32-byte key")
        context = CipherContext(cipher: EVP_aes_256_ecb(), key: key, iv: nil)
    }

    /// The encryption of one 16-byte block, in place.
    public mutating func encrypt(block: UnsafeMutableRawBufferPointer) {
        precondition(block.count == 16, "AES works on 16-byte blocks")
        guard let base = block.baseAddress else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, base, count: 16)
    }
}
