// SPDX-License-Identifier: Apache-2.0
import RLP

/// Short names for the fixed-size values of eth.
public typealias Hash32 = FixedBytes<32>
/// A 20-byte account address.
public typealias Address = FixedBytes<20>
/// A 256-byte logs bloom.
public typealias Bloom = FixedBytes<256>

import Keccak

extension FixedBytes where count == 32 {
    /// Keccak-256 of the concatenation of `parts`, hashed in place without joining them.
    @inlinable
    public static func keccak(_ parts: ArraySlice<UInt8>...) -> Hash32 {
        var hasher = Keccak256()
        for part in parts { hasher.update(part) }
        var digest = Hash32()
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        return digest
    }
}
