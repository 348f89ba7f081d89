// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

extension Array where Element == Transaction {
    /// Every transaction's ``Transaction/hash``, in order, computed eight at a time where the CPU allows
    /// (``Keccak256/hash(batch:)``): the way to hash a `Transactions` or `PooledTransactions` message.
    public var hashes: [Hash32] {
        // A transaction without a sidecar is exactly its canonical binary form; network-form blob transactions
        // hash their canonical form one by one.
        var batch: [ArraySlice<UInt8>] = []
        batch.reserveCapacity(count)
        for tx in self where tx.sidecar == nil { batch.append(tx.encoded) }
        let digests = Keccak256.hash(batch: batch)
        var result: [Hash32] = []
        result.reserveCapacity(count)
        var next = 0
        for tx in self {
            if tx.sidecar != nil {
                result.append(tx.hash)
                continue
            }
            let start = next &* Keccak256.digestLength
            result.append(Hash32(digests[start..<(start &+ Keccak256.digestLength)]) ?? tx.hash)
            next &+= 1
        }
        return result
    }
}
