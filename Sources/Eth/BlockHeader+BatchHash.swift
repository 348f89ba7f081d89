// SPDX-License-Identifier: Apache-2.0
import RLP

extension Array where Element == BlockHeader {
    /// Every header's ``BlockHeader/hash``, in order, computed eight at a time where the CPU allows
    /// (`Hash32.keccak(batch:)`): the way to hash a `BlockHeaders` response.
    public var hashes: [Hash32] {
        Hash32.keccak(batch: map { $0.rlpEncoded()[...] })
    }
}
