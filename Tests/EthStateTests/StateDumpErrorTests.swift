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
            #expect(error.code == .invalidDump && error.field == "\(address).balance")
            #expect(error.description.contains("is not a non-negative integer"))
        }
        let badValue = try Self.dump(storageValue: "0xzz")
        do {
            _ = try StateDump(json: badValue)
            Issue.record("a bad storage value parsed")
        } catch {
            #expect(error.field?.hasPrefix("\(address).storage[\"0x") == true)
        }
        let shortRoot = try Self.dump(root: "0x1234")
        do {
            _ = try StateDump(json: shortRoot)
            Issue.record("a short root parsed")
        } catch {
            #expect(error.field == "root")
            #expect(error.reason == "2 bytes, expected 32")
        }
        let notAnObject = #expect(throws: StateError.self) { try StateDump(json: Data("[1]".utf8)) }
        #expect(notAnObject?.code == .invalidDump)
        let truncated = #expect(throws: StateError.self) { try StateDump(json: Data("{\"root\":".utf8)) }
        #expect(truncated?.field == "")
    }

    @Test func mismatchedHashesNameTheAccount() throws {
        let address = try Address(hex: "0x8bebc8ba651aee624937e7d897853ac30c95a067")
        // A storage value changed: the account's storage makes another root than it states.
        let changedValue = try Self.dump(storageValue: "0x03")
        do {
            _ = try WorldState(dumpJSON: changedValue)
            Issue.record("a changed storage value loaded")
        } catch {
            #expect(error.code == .storageRootMismatch)
            #expect(error.address == address)
            #expect(error.description.contains("account \(address): storage root"))
        }
        // The state root changed.
        let changedRoot = try Self.dump(root: String(repeating: "11", count: 32))
        do {
            _ = try WorldState(dumpJSON: changedRoot)
            Issue.record("a changed root loaded")
        } catch {
            #expect(error.code == .stateRootMismatch, "\(error)")
        }
        // The key is not the hash of the address.
        let wrongKey = try Self.dump(key: "0x" + String(repeating: "22", count: 32))
        do {
            _ = try WorldState(dumpJSON: wrongKey)
            Issue.record("a wrong key loaded")
        } catch {
            #expect(error.code == .hashedKeyMismatch)
            #expect(error.address == address)
        }
    }

    @Test func aTamperedHeadDumpIsRejected() throws {
        // One storage value of the real head dump changed, in place.
        var text = try #require(String(data: try Vectors.sharedData("ethtest/headstate.json"), encoding: .utf8))
        let original = "\"0x0000000000000000000000000000000000000000000000000000000000000001\": \"01\""
        let range = try #require(text.range(of: original))
        text.replaceSubrange(range, with: original.replacingOccurrences(of: "\"01\"", with: "\"05\""))
        let tampered = #expect(throws: StateError.self) { try WorldState(dumpJSON: Data(text.utf8)) }
        #expect(tampered?.code == .storageRootMismatch)
    }
}
