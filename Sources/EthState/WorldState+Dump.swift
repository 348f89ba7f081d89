// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP

extension WorldState {
    /// The state a dump describes, checked against it: each account's key, code hash and storage root as dumped,
    /// and the state root.
    /// - Throws: ``StateError`` naming the first account (by address) whose hashes differ, else the root.
    public init(dump: StateDump) throws(StateError) {
        var built: [StateAccount] = []
        built.reserveCapacity(dump.accounts.count)
        for entry in dump.accounts {
            let account = StateAccount(
                address: entry.address, nonce: entry.nonce, balance: entry.balance, code: entry.code,
                storage: entry.storage)
            if let key = entry.hashedKey, key != account.hashedKey {
                throw StateError(
                    .hashedKeyMismatch, "account \(entry.address): key \(key) is not keccak(address) \(account.hashedKey)", address: entry.address)
            }
            if entry.codeHash != account.codeHash {
                throw StateError(
                    .codeHashMismatch, "account \(entry.address): codeHash \(entry.codeHash), but its code hashes to \(account.codeHash)",
                    address: entry.address)
            }
            if entry.storageRoot != account.storageRoot {
                throw StateError(
                    .storageRootMismatch, "account \(entry.address): storage root \(entry.storageRoot), but its storage makes \(account.storageRoot)",
                    address: entry.address)
            }
            built.append(account)
        }
        self.init(accounts: built)
        if root != dump.root { throw StateError(.stateRootMismatch, "state root \(dump.root), but the accounts make \(root)") }
    }

    /// Parses and checks a go-ethereum state dump (``StateDump``, then ``init(dump:)``).
    /// - Throws: ``StateError``: the field that does not parse, or the account whose hashes do not match.
    public init(dumpJSON json: Data) throws(StateError) {
        try self.init(dump: try StateDump(json: json))
    }
}
