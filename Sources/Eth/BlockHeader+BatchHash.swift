// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

extension Array where Element == BlockHeader {
    /// Every header's ``BlockHeader/hash``, in order, computed eight at a time where the CPU allows
    /// (``Keccak256/hash(batch:)``): the way to hash a `BlockHeaders` response.
    public var hashes: [Hash32] {
        let encodings = map { $0.rlpEncoded()[...] }
        let digests = Keccak256.hash(batch: encodings)
        return indices.map { index in
            let start = index &* Keccak256.digestLength
            return Hash32(digests[start..<(start &+ Keccak256.digestLength)]) ?? self[index].hash
        }
    }
}
