// SPDX-License-Identifier: Apache-2.0
import COpenSSL
import Synchronization

/// An OpenSSL cipher context: the key schedule is expanded once, at creation, and a CTR context keeps its
/// position in the key stream between calls. Wrapped by value types that copy it before they change a shared one.
final class CipherContext: @unchecked Sendable {
    // Only the owning value type mutates the context, after making it unique (copy on write).
    let pointer: OpaquePointer
    /// Counts the contexts copied by the task that binds it (``copyCounter``). A session that copies per frame
    /// runs a third slower; tests pin that sealing and opening never do, without counting other tests' copies.
    final class CopyCounter: Sendable {
        let count = Atomic(0)
    }
    /// The current task's counter, if it binds one.
    @TaskLocal static var copyCounter: CopyCounter?

    /// A context for `cipher` with `key` and `iv` (OpenSSL checks their lengths against the cipher).
    init(cipher: OpaquePointer, key: [UInt8], iv: [UInt8]?) {
        guard let context = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
        pointer = context
        let ok = iv.map { EVP_EncryptInit_ex(context, cipher, nil, key, $0) } ?? EVP_EncryptInit_ex(context, cipher, nil, key, nil)
        precondition(ok == 1, "EVP_EncryptInit_ex failed")
        EVP_CIPHER_CTX_set_padding(context, 0)
    }

    private init(copying other: CipherContext) {
        guard let context = EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_copy(context, other.pointer) == 1 else {
            preconditionFailure("EVP_CIPHER_CTX_copy failed")
        }
        pointer = context
        Self.copyCounter?.count.add(1, ordering: .relaxed)
    }

    /// An independent copy, key stream position included.
    func copy() -> CipherContext { CipherContext(copying: self) }

    /// Encrypts (or, for CTR, decrypts) `count` bytes from `input` to `output`; the two may be the same.
    func update(_ input: UnsafeRawPointer, _ output: UnsafeMutableRawPointer, count: Int) {
        var written: Int32 = 0
        let ok = EVP_EncryptUpdate(
            pointer, output.assumingMemoryBound(to: UInt8.self), &written, input.assumingMemoryBound(to: UInt8.self),
            Int32(count))
        precondition(ok == 1 && Int(written) == count, "EVP_EncryptUpdate failed")
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }
}

/// One-shot digests, MACs and comparisons from OpenSSL.
enum OpenSSL {
    static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        let input = Array(data)
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = EVP_Digest(input, input.count, &output, &length, EVP_sha256(), nil)
        precondition(ok == 1, "EVP_Digest failed")
        return output
    }

    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &output, &length)
        precondition(result != nil, "HMAC failed")
        return output
    }

    /// Whether two byte sequences are equal, in time that depends only on their length.
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return a.isEmpty }
        return CRYPTO_memcmp(left, right, a.count) == 0
    }
}
