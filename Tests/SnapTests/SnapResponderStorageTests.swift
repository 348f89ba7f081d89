// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing
import Trie

/// GetStorageRanges beyond the suite: several accounts, the limit on the first only, budgets, proofs.
@Suite struct SnapResponderStorageTests {
    let fixture: SnapFixture
    init() throws { fixture = try SnapFixture.shared() }

    var headRoot: Hash32 { fixture.head.root }

    @Test func storageRangesOverSeveralAccountsAndBudgets() throws {
        let withStorage = fixture.head.accounts.filter { !$0.storage.isEmpty }
        let largest = try #require(withStorage.max { $0.storage.count < $1.storage.count })
        // Several whole accounts from zero: one list per account with storage, none for one without, no proof.
        let bare = try #require(fixture.head.accounts.first { $0.storage.isEmpty })
        let three = [withStorage[0], bare, withStorage[1]]
        guard
            case .storageRanges(_, let lists, let proof) = try fixture.reply(
                .getStorageRanges(
                    requestID: 3,
                    StorageRangesRequest(root: headRoot, accounts: three.map(\.hashedKey), origin: [], limit: [], responseBytes: 100_000)))
        else { return }
        #expect(lists.map(\.count) == [withStorage[0].storage.count, withStorage[1].storage.count])
        #expect(proof.isEmpty)
        // The limit applies to the first account only: the second is answered whole.
        let limit = try #require(withStorage[0].storageTrie.entries(from: []).first?.key)
        guard
            case .storageRanges(_, let limited, _) = try fixture.reply(
                .getStorageRanges(
                    requestID: 3,
                    StorageRangesRequest(
                        root: headRoot, accounts: [withStorage[0].hashedKey, largest.hashedKey], origin: [], limit: limit, responseBytes: 100_000)))
        else { return }
        #expect(limited.map(\.count) == [1, largest.storage.count])
        // A budget that cuts the largest storage: cut at the budget and its slack, proven, nothing after it.
        let budget: UInt64 = 300
        guard
            case .storageRanges(_, let cut, let cutProof) = try fixture.reply(
                .getStorageRanges(
                    requestID: 4,
                    StorageRangesRequest(
                        root: headRoot, accounts: [largest.hashedKey, withStorage[0].hashedKey], origin: [], limit: [], responseBytes: budget)))
        else { return }
        #expect(cut.count == 1)
        let slots = try #require(cut.first)
        let sizes = slots.map { UInt64(32 + $0.data.count) }
        #expect(sizes.dropLast().reduce(0, +) < UInt64(Double(budget) * 1.1))
        #expect(slots.count < largest.storage.count)
        let hasMore = try RangeProof.verify(
            root: largest.storageRoot, firstKey: Hash32().bytes, keys: slots.map { $0.hash.bytes }, values: slots.map(\.data),
            proof: cutProof)
        #expect(hasMore)
        // An origin inside the first account: its range is proven and ends the answer.
        let origin = slots[2].hash
        guard
            case .storageRanges(_, let fromOrigin, let originProof) = try fixture.reply(
                .getStorageRanges(
                    requestID: 5,
                    StorageRangesRequest(
                        root: headRoot, accounts: [largest.hashedKey, withStorage[0].hashedKey], origin: origin.bytes, limit: [],
                        responseBytes: 100_000)))
        else { return }
        #expect(fromOrigin.count == 1 && fromOrigin[0].count == largest.storage.count - 2)
        #expect(!originProof.isEmpty)
        // A short origin is left-padded; an origin on an account that does not exist empties the whole answer.
        guard
            case .storageRanges(_, let padded, _) = try fixture.reply(
                .getStorageRanges(
                    requestID: 6,
                    StorageRangesRequest(root: headRoot, accounts: [largest.hashedKey], origin: [0x01], limit: [], responseBytes: 100_000)))
        else { return }
        #expect(padded.first?.count == largest.storage.count)
        #expect(
            fixture.responder.respond(
                to: .getStorageRanges(
                    requestID: 7,
                    StorageRangesRequest(root: headRoot, accounts: [Hash32.keccak([9][...])], origin: origin.bytes, limit: [], responseBytes: 1000)))
                == .reply(.storageRanges(requestID: 7, slots: [], proof: [])))
        // The budget is checked before each account: an account that meets it exactly is whole and unproven, and
        // the next is not opened.
        let exact = withStorage[0].storageTrie.entries(from: []).reduce(UInt64(0)) { $0 + 32 + UInt64($1.value.count) }
        guard
            case .storageRanges(_, let spent, let spentProof) = try fixture.reply(
                .getStorageRanges(
                    requestID: 8,
                    StorageRangesRequest(
                        root: headRoot, accounts: withStorage.prefix(5).map(\.hashedKey), origin: [], limit: [], responseBytes: exact)))
        else { return }
        #expect(spent.map(\.count) == [withStorage[0].storage.count])
        #expect(spentProof.isEmpty)
    }
}
