import Keccak
// SPDX-License-Identifier: Apache-2.0
import RLP

/// Short names for the fixed-size values of eth.
public typealias Hash32 = FixedBytes<32>
/// A 20-byte account address.
public typealias Address = FixedBytes<20>
/// A 256-byte logs bloom.
public typealias Bloom = FixedBytes<256>

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

    /// Keccak-256 of each of `messages`, in order, eight at a time where the CPU allows (``Keccak256/hash(batch:)``).
    public static func keccak(batch messages: [ArraySlice<UInt8>]) -> [Hash32] {
        let digests = Keccak256.hash(batch: messages)
        return messages.indices.map { index in
            var digest = Hash32()
            digest.withUnsafeMutableBytes { output in
                digests.withUnsafeBytes { all in
                    output.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[(index &* 32)..<(index &* 32 &+ 32)]))
                }
            }
            return digest
        }
    }
}
