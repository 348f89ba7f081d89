// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import Foundation
import RLP
import RLPxTestSupport
import Testing
import Trie

/// go-ethereum's state dumps of the snap test chain load, and their tries give the roots the dumps (and the
/// chain's headers) state.
@Suite struct WorldStateTests {
    /// The dumps and their account counts and roots (the roots of blocks 600, 599 and 473).
    static let dumps: [(name: String, shared: Bool, count: Int, root: String)] = [
        ("ethtest/headstate.json", true, 194, "0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b"),
        ("ethtest/state-599.json", false, 194, "0x62d156f5ddab09f393224bf2f3932e87a93a6c39679aca2f580234fcb4dfb3ca"),
        ("ethtest/state-473.json", false, 161, "0x4cdee9ef273af6c95159af584b45cc77f2a085839708c8f7618e697a645a821c"),
    ]

    static func data(_ index: Int) throws -> Data {
        let dump = dumps[index]
        return dump.shared ? try Vectors.sharedData(dump.name) : try Vectors.projectData(dump.name)
    }

    @Test(arguments: 0..<3) func dumpLoadsAndVerifies(index: Int) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let state = try WorldState(dumpJSON: Self.data(index))
        #expect(state.accounts.count == Self.dumps[index].count)
        #expect(state.root == (try Hash32(hex: Self.dumps[index].root)))
        #expect(clock.now - start < .seconds(30))
        // Keys in trie order, each the hash of its address, each storage trie's root the account's.
        for (earlier, later) in zip(state.accounts, state.accounts.dropFirst()) {
            #expect(earlier.hashedKey.bytes.lexicographicallyPrecedes(later.hashedKey.bytes))
        }
        for account in state.accounts {
            #expect(account.hashedKey == Hash32.keccak(account.address.bytes[...]))
            #expect(account.storageTrie.root == account.storageRoot)
            #expect(state.code(hash: account.codeHash) == account.code)
        }
    }

    @Test func headStateFacts() throws {
        let state = try WorldState(dumpJSON: Self.data(0))
        #expect(state.accounts.reduce(0) { $0 + $1.storage.count } == 2164)
        #expect(state.accounts.filter { !$0.storage.isEmpty }.count == 60)
        #expect(state.codeHashes.count == 65)
        #expect(state.codeHashes.reduce(0) { $0 + (state.code(hash: $1)?.count ?? 0) } == 15286)
        #expect(state.accounts[0].hashedKey == (try Hash32(hex: "0x00aa781aff39a8284ef43790e3a511b2caa50803613c5096bc782e8de08fa4c5")))
        // A funded sender (nonce 0): its balance as the dump writes it; an address the state lacks has nothing.
        let sender = try Address(hex: "0x654aa64f5fbefb84c270ec74211b81ca8c44a72e")
        let json = try #require(try Vectors.shared("ethtest/headstate.json") as? [String: Any])
        let entry = try #require((json["accounts"] as? [String: [String: Any]])?["0x654aa64f5FbEFb84c270eC74211B81cA8C44A72e"])
        #expect(state.nonce(of: sender) == 0)
        #expect(state.balance(of: sender).description == entry["balance"] as? String)
        #expect(state.account(at: sender)?.hashedKey == state.accounts[0].hashedKey)
        #expect(state.account(hashedKey: state.accounts[0].hashedKey)?.address == sender)
        let nobody = try Address(hex: "0x00000000000000000000000000000000deadbeef")
        #expect(state.account(at: nobody) == nil)
        #expect(state.nonce(of: nobody) == 0 && state.balance(of: nobody) == .zero)
        // The storage test account of go-ethereum's snap suite: nonce 1, slots 1, 2, 3 holding 1, 2, 3.
        let account = try #require(state.account(at: try Address(hex: "0x8bebc8ba651aee624937e7d897853ac30c95a067")))
        #expect(account.nonce == 1)
        #expect(account.storageRoot == (try Hash32(hex: "0xbe3d75a1729be157e79c3b77f00206db4d54e3ea14375a015451c88ec067c790")))
        #expect(account.storage.count == 3)
        #expect(state.code(hash: WorldState.emptyCodeHash) == [])
        #expect(state.code(hash: state.root) == nil)
    }

    @Test func nonceAndBalanceMoveBetweenStates() throws {
        let head = try WorldState(dumpJSON: Self.data(0))
        let old = try WorldState(dumpJSON: Self.data(2))
        // Accounts created after block 473 are absent there; none of its accounts disappears.
        #expect(old.accounts.allSatisfy { head.account(at: $0.address) != nil })
        let changed = old.accounts.filter { account in
            head.nonce(of: account.address) != account.nonce || head.balance(of: account.address) != account.balance
        }
        #expect(!changed.isEmpty)
    }

    @Test func storageValuesAreTrimmedAndZeroDropped() throws {
        let address = try Address(hex: "0x00000000000000000000000000000000000000aa")
        let one = try Hash32(hex: "0x" + String(repeating: "0", count: 63) + "1")
        let two = try Hash32(hex: "0x" + String(repeating: "0", count: 63) + "2")
        let account = StateAccount(
            address: address, nonce: 1, balance: 5, storage: [one: [0, 0, 7], two: [0, 0]])
        #expect(account.storage == [one: [7]])
        // The storage trie holds keccak(slot) -> RLP(trimmed value).
        #expect(account.storageTrie.value(for: Hash32.keccak(one.bytes[...]).bytes) == [7])
        let bare = StateAccount(address: address, nonce: 0, balance: 0)
        #expect(bare.storageRoot == WorldState.emptyRoot)
        #expect(bare.codeHash == WorldState.emptyCodeHash)
        // Of two accounts with one address the later is kept.
        let state = WorldState(accounts: [bare, account])
        #expect(state.accounts.count == 1 && state.nonce(of: address) == 1)
    }
}
