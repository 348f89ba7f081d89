// SPDX-License-Identifier: Apache-2.0
import Crypto

/// NIST SP 800-56 concatenation KDF over SHA-256 as RLPx's ECIES uses it: blocks SHA-256(counter ‖ Z ‖ s1) with a
/// 32-bit big-endian counter from 1 (swift-crypto's X9.63 KDF hashes Z ‖ counter instead, so it does not fit).
public enum ConcatKDF {
    /// `length` bytes derived from the shared secret `z` and the optional shared info `s1`.
    public static func derive(z: some Collection<UInt8>, s1: some Collection<UInt8> = [UInt8](), length: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length + 32)
        var counter: UInt32 = 1
        while output.count < length {
            var hash = SHA256()
            hash.update(data: withUnsafeBytes(of: counter.bigEndian) { Array($0) })
            hash.update(data: Array(z))
            hash.update(data: Array(s1))
            output.append(contentsOf: hash.finalize())
            counter &+= 1
        }
        return Array(output.prefix(length))
    }
}
