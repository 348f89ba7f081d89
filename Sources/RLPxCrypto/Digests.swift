// SPDX-License-Identifier: Apache-2.0

/// SHA-256, HMAC-SHA256 and HKDF-SHA256 (RFC 5869) through OpenSSL, for protocols beyond RLPx (discv5's handshake).
public enum Digests {
    /// SHA-256 of `data`.
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] { OpenSSL.sha256(data) }

    /// HMAC-SHA256 of `data` under `key`.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] { OpenSSL.hmacSHA256(key: key, data: data) }

    /// HKDF-Extract then HKDF-Expand with SHA-256: `length` bytes (at most 255 × 32) of key material.
    public static func hkdfSHA256(secret: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length >= 0 && length <= 255 * 32, "HKDF-SHA256 gives at most 8160 bytes")
        // An empty salt is HashLen zero bytes (RFC 5869 §2.2); HMAC pads any key to the block anyway.
        let pseudorandomKey = hmacSHA256(key: salt, data: secret)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            block = hmacSHA256(key: pseudorandomKey, data: block + info + [counter])
            output += block.prefix(length - output.count)
            counter &+= 1
        }
        return output
    }
}
