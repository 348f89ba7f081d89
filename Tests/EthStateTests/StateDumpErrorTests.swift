// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import Foundation
import RLP
import RLPxTestSupport
import Testing

/// A dump that does not parse names the field; one whose hashes do not match its contents names the account.
@Suite struct StateDumpErrorTests {
    /// A small dump of one account with storage, its hashes computed here.
    static func dump(
        balance: Any = "10", storageValue: String = "0x02", root: String? = nil, storageRoot: String? = nil,
        key: String? = nil
    ) throws -> Data {
        let address = try Address(hex: "0x8bebc8ba651aee624937e7d897853ac30c95a067")
        let slot = try Hash32(hex: "0x" + String(repeating: "0", count: 63) + "1")
        let account = StateAccount(address: address, nonce: 1, balance: 10, storage: [slot: [2]])
        let state = WorldState(accounts: [account])
        let object: [String: Any] = [
            "root": root ?? Hex.encode(state.root.bytes),
            "accounts": [
                "0x8bebc8ba651aee624937e7d897853ac30c95a067": [
                    "balance": balance, "nonce": 1, "root": storageRoot ?? account.storageRoot.description,
                    "codeHash": account.codeHash.description, "storage": [slot.description: storageValue],
                    "address": address.description, "key": key ?? account.hashedKey.description,
                ] as [String: Any]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func aWellFormedDumpLoads() throws {
        let state = try WorldState(dumpJSON: Self.dump())
        #expect(state.accounts.count == 1)
        let number = try WorldState(dumpJSON: Self.dump(balance: 10))
        #expect(number.root == state.root)
    }

    @Test func aBadFieldIsNamed() throws {
        let address = "accounts[\"0x8bebc8ba651aee624937e7d897853ac30c95a067\"]"
        let badBalance = try Self.dump(balance: "ten")
        do {
            _ = try StateDump(json: badBalance)
            Issue.record("a bad balance parsed")
        } catch {
            #expect(error.path == "\(address).balance")
            #expect(error.description.contains("is not a non-negative integer"))
        }
        let badValue = try Self.dump(storageValue: "0xzz")
        do {
            _ = try StateDump(json: badValue)
            Issue.record("a bad storage value parsed")
        } catch {
            #expect(error.path.hasPrefix("\(address).storage[\"0x"))
        }
        let shortRoot = try Self.dump(root: "0x1234")
        do {
            _ = try StateDump(json: shortRoot)
            Issue.record("a short root parsed")
        } catch {
            #expect(error.path == "root")
            #expect(error.message == "2 bytes, expected 32")
        }
        #expect(throws: StateDumpError.self) { try StateDump(json: Data("[1]".utf8)) }
        #expect(throws: StateDumpError.self) { try StateDump(json: Data("{\"root\":".utf8)) }
    }

    @Test func mismatchedHashesNameTheAccount() throws {
        let address = try Address(hex: "0x8bebc8ba651aee624937e7d897853ac30c95a067")
        // A storage value changed: the account's storage makes another root than it states.
        let changedValue = try Self.dump(storageValue: "0x03")
        do {
            _ = try WorldState(dumpJSON: changedValue)
            Issue.record("a changed storage value loaded")
        } catch {
            guard case .verification(.storageRoot(let named, _, _)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(named == address)
            #expect(error.description.contains("account \(address): storage root"))
        }
        // The state root changed.
        let changedRoot = try Self.dump(root: String(repeating: "11", count: 32))
        do {
            _ = try WorldState(dumpJSON: changedRoot)
            Issue.record("a changed root loaded")
        } catch {
            guard case .verification(.stateRoot) = error else {
                Issue.record("\(error)")
                return
            }
        }
        // The key is not the hash of the address.
        let wrongKey = try Self.dump(key: "0x" + String(repeating: "22", count: 32))
        do {
            _ = try WorldState(dumpJSON: wrongKey)
            Issue.record("a wrong key loaded")
        } catch {
            guard case .verification(.hashedKey(let named, _, _)) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(named == address)
        }
    }

    @Test func aTamperedHeadDumpIsRejected() throws {
        // One storage value of the real head dump changed, in place.
        var text = try #require(String(data: try Vectors.sharedData("ethtest/headstate.json"), encoding: .utf8))
        let original = "\"0x0000000000000000000000000000000000000000000000000000000000000001\": \"01\""
        let range = try #require(text.range(of: original))
        text.replaceSubrange(range, with: original.replacingOccurrences(of: "\"01\"", with: "\"05\""))
        #expect(throws: StateLoadError.self) { try WorldState(dumpJSON: Data(text.utf8)) }
    }
}
