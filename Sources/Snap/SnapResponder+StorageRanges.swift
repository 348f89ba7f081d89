// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import Trie

extension SnapResponder {
    /// GetStorageRanges: the storage of each account in turn (origin and limit apply to the first only), each
    /// account's slots until one at or past the limit; an account with no slot adds no list. A range from a nonzero
    /// origin, or one cut by the budget, is proven and ends the answer. Empty for a root not held.
    func storageRanges(id: UInt64, _ request: StorageRangesRequest) -> SnapMessage {
        let empty = SnapMessage.storageRanges(requestID: id, slots: [], proof: [])
        guard let state = states[request.root] else { return empty }
        let budget = Self.budget(request.responseBytes)
        let hardLimit = UInt64(Double(budget) * (1 + Self.storageLookupSlack))
        var origin = Hash32(paddingOrCropping: request.origin)
        var limit = request.limit.isEmpty ? Hash32.maximum : Hash32(paddingOrCropping: request.limit)
        var ranges: [[StorageSlot]] = []
        var proof: [ArraySlice<UInt8>] = []
        var size: UInt64 = 0
        for accountHash in request.accounts {
            if size >= budget { break }
            let account = state.account(hashedKey: accountHash)
            var slots: [StorageSlot] = []
            var aborted = false
            if let trie = account?.storageTrie {
                for entry in trie.entries(from: origin.bytes) {
                    if size >= hardLimit {
                        aborted = true
                        break
                    }
                    let hash = Hash32(paddingOrCropping: entry.key)
                    slots.append(StorageSlot(hash: hash, data: entry.value))
                    size &+= 32 &+ UInt64(entry.value.count)
                    if hash.isAtOrAfter(limit) { break }
                }
            }
            if !slots.isEmpty { ranges.append(slots) }
            if origin != Hash32() || (aborted && !slots.isEmpty) {
                // A partial range: prove its edges in the account's storage trie, and answer no further account.
                guard let account else { return empty }
                let last = slots.last.map(\.hash).flatMap { $0 == Hash32() ? nil : $0.bytes }
                proof = account.storageTrie.rangeProof(origin: origin.bytes, last: last).map { $0[...] }
                break
            }
            origin = Hash32()
            limit = .maximum
        }
        return .storageRanges(requestID: id, slots: ranges, proof: proof)
    }
}
