// SPDX-License-Identifier: Apache-2.0
import RLP

extension Array where Element == Transaction {
    /// Every transaction's ``Transaction/hash``, in order, computed eight at a time where the CPU allows
    /// (`Hash32.keccak(batch:)`): the way to hash a `Transactions` or `PooledTransactions` message.
    public var hashes: [Hash32] {
        // A transaction without a sidecar is exactly its canonical binary form; network-form blob transactions
        // hash their canonical form one by one.
        var batch: [ArraySlice<UInt8>] = []
        batch.reserveCapacity(count)
        for tx in self where tx.sidecar == nil { batch.append(tx.encoded) }
        var hashed = Hash32.keccak(batch: batch).makeIterator()
        return map { tx in tx.sidecar == nil ? hashed.next() ?? tx.hash : tx.hash }
    }
}
