// SPDX-License-Identifier: Apache-2.0

/// NIST SP 800-56 concatenation KDF over SHA-256 as RLPx's ECIES uses it: blocks SHA-256(counter ‖ Z ‖ s1) with a
/// 32-bit big-endian counter from 1. (ANSI X9.63 hashes Z ‖ counter instead, so that KDF does not fit.)
public enum ConcatKDF {
    /// `length` bytes derived from the shared secret `z` and the optional shared info `s1`.
    public static func derive(z: some Collection<UInt8>, s1: some Collection<UInt8> = [UInt8](), length: Int) -> [UInt8] {
        let secret = Array(z)
        let info = Array(s1)
        var output: [UInt8] = []
        output.reserveCapacity(length + 32)
        var counter: UInt32 = 1
        while output.count < length {
            let block = withUnsafeBytes(of: counter.bigEndian) { Array($0) } + secret + info
            output.append(contentsOf: OpenSSL.sha256(block))
            counter &+= 1
        }
        return Array(output.prefix(length))
    }
}
