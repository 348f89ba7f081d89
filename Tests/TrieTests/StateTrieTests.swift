// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxTestSupport
import Testing
import Trie

/// go-ethereum's eth/snap test chain (ethtest/headstate.json): the head state rebuilt as secure tries, account by
/// account and slot by slot, must give block 600's state root.
@Suite struct StateTrieTests {
    struct Account {
        let key: [UInt8]
        let body: [UInt8]
        let storage: [(key: [UInt8], value: [UInt8])]
        let storageRoot: FixedBytes<32>
    }

    static func load() throws -> (root: FixedBytes<32>, accounts: [Account]) {
        let file = try #require(try Vectors.shared("ethtest/headstate.json") as? [String: Any])
        let accounts = try #require(file["accounts"] as? [String: [String: Any]])
        let parsed = try accounts.values.map { account -> Account in
            let address = try hex(try #require(account["address"] as? String))
            let key = try hex(try #require(account["key"] as? String))
            #expect(key == keccak(address))
            let nonce = try #require(account["nonce"] as? Int)
            let balanceText = try #require(account["balance"] as? String)
            let balance = try #require(BigUInt(balanceText))
            let storageRoot = try FixedBytes<32>(hex: try #require(account["root"] as? String))
            let codeHash = try hex(try #require(account["codeHash"] as? String))
            let body = RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(integer: UInt64(nonce))
                    list.write(bytes: balance.bigEndianBytes)
                    list.write(storageRoot)
                    list.write(bytes: codeHash)
                }
            }
            // Slots: the key is keccak(slot), the value the RLP of the value's bytes without leading zeros.
            let storage = try (account["storage"] as? [String: String] ?? [:]).map { slot, value in
                let trimmed = Array(try hex(value).drop { $0 == 0 })
                return (key: keccak(try hex(slot)), value: RLPWriter.encode { $0.write(bytes: trimmed) })
            }
            return Account(key: key, body: body, storage: storage, storageRoot: storageRoot)
        }
        return (try FixedBytes<32>(hex: try #require(file["root"] as? String)), parsed)
    }

    @Test func headStateRoot() throws {
        let (root, accounts) = try Self.load()
        #expect(accounts.count == 194)
        #expect(accounts.reduce(0) { $0 + $1.storage.count } == 2164)
        for account in accounts {
            #expect(MerkleTrie(account.storage).root == account.storageRoot, "\(Hex.encode(account.key))")
        }
        let state = MerkleTrie(accounts.map { (key: $0.key, value: $0.body) })
        #expect(state.root == root)
        #expect(root.description == "0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b")
    }

    @Test func accountRangesOfTheHeadState() throws {
        let (root, accounts) = try Self.load()
        let state = MerkleTrie(accounts.map { (key: $0.key, value: $0.body) })
        // From zero as snap's first request does, then on from after each answer's last key.
        var origin = [UInt8](repeating: 0, count: 32)
        var answers = 0
        while true {
            let answer = rangeAnswer(state, from: origin, limit: 50)
            let hasMore = try RangeProof.verify(
                root: root, firstKey: origin, keys: answer.keys, values: answer.values, proof: answer.proof)
            answers += 1
            guard hasMore, let last = answer.keys.last else { break }
            var next = last
            for index in next.indices.reversed() {
                next[index] &+= 1
                if next[index] != 0 { break }
            }
            origin = next
        }
        #expect(answers == 4)
        // The largest storage trie, as StorageRanges proves a capped answer.
        let largest = try #require(accounts.max { $0.storage.count < $1.storage.count })
        let storage = MerkleTrie(largest.storage)
        let answer = rangeAnswer(storage, from: [UInt8](repeating: 0, count: 32), limit: 100)
        #expect(
            try RangeProof.verify(
                root: largest.storageRoot, firstKey: [UInt8](repeating: 0, count: 32), keys: answer.keys,
                values: answer.values, proof: answer.proof) == (largest.storage.count > 100))
    }
}
