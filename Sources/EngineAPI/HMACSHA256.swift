// SPDX-License-Identifier: Apache-2.0
import COpenSSL

/// HMAC-SHA256 and constant-time comparison from OpenSSL's libcrypto (as RLPxCrypto uses it, which keeps its own
/// wrapper internal).
enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `data` under `key` (any length). OpenSSL fails here only when out of memory.
    static func authenticate(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &output, &length)
        precondition(result != nil && length == 32, "HMAC failed")
        return output
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                guard let l = left.baseAddress, let r = right.baseAddress else { return false }
                return CRYPTO_memcmp(l, r, left.count) == 0
            }
        }
    }
}
