// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import Trie

extension SnapSuite {
    /// GetStorageRanges: 5 requests over the storage test account's slots in the head state: the whole range, from
    /// its first slot, from just past it, up to the second, and from a key between the first two to just past the
    /// second.
    static func storageRangeCases(_ chain: Chain) throws(SnapError) -> [SnapCase] {
        guard let account = chain.head.account(at: storageTestAccount) else {
            throw SnapError(.stateLacksCase, "the head state lacks the storage test account \(storageTestAccount)")
        }
        let slots = account.storageTrie.entries(from: [])
        guard slots.count >= 2, let first = Hash32(slots[slots.startIndex].key),
            let second = Hash32(slots[slots.startIndex &+ 1].key)
        else {
            throw SnapError(.stateLacksCase, "the storage test account \(storageTestAccount) has fewer than two slots")
        }
        let zero = Hash32()
        let top = Hash32.maximum
        let between = Hash32([0x4f] + [UInt8](repeating: 0xff, count: 31)) ?? Hash32()
        let table: [(String, Hash32, Hash32, UInt64)] = [
            ("the whole range from zero, 500 bytes", zero, top, 500),
            ("from the first slot, 1000 bytes", first, top, 1000),
            ("from just past the first slot", first.adding(1), top, 500),
            ("from the first slot to the second", first, second, 500),
            (
                "from 0x4fff…ff to just past the second slot: the first slot at or past the limit is included",
                between, second.adding(1), 500
            ),
        ]
        return table.enumerated().map { index, row in
            let (summary, origin, limit, bytes) = row
            let request = StorageRangesRequest(
                root: chain.headRoot, accounts: [account.hashedKey], origin: origin.bytes, limit: limit.bytes,
                responseBytes: bytes)
            let expected = expectedSlots(account, origin: origin, limit: limit, bytes: bytes)
            return SnapCase(
                .storageRanges, index, summary,
                request: .getStorageRanges(requestID: SnapCase.requestID(.storageRanges, index), request),
                expectation: .storageRanges(expected.isEmpty ? [] : [expected]))
        }
    }

    /// The slots of one account a go-ethereum node answers: from the origin in key order until the one at or past
    /// the limit (included), cut where the total reaches the budget and its 10 % slack.
    static func expectedSlots(_ account: StateAccount, origin: Hash32, limit: Hash32, bytes: UInt64) -> [StorageSlot] {
        let budget = min(bytes, SnapResponder.softResponseLimit)
        let hardLimit = UInt64(Double(budget) * (1 + SnapResponder.storageLookupSlack))
        var slots: [StorageSlot] = []
        var total: UInt64 = 0
        for (slot, value) in account.storage.map({ (Hash32.keccak($0.key.bytes[...]), $0.value) })
            .sorted(by: { $0.0.precedes($1.0) }) where !slot.precedes(origin)
        {
            if total >= hardLimit { break }
            let body = RLPWriter.encode { $0.write(bytes: value) }
            slots.append(StorageSlot(hash: slot, data: body))
            total += 32 + UInt64(body.count)
            if !slot.precedes(limit) { break }
        }
        return slots
    }
}
