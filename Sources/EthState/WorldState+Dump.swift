// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP

extension WorldState {
    /// The state a dump describes, checked against it: each account's key, code hash and storage root as dumped,
    /// and the state root.
    /// - Throws: ``StateVerificationError`` naming the first account (by address) whose hashes differ, else the root.
    public init(dump: StateDump) throws(StateVerificationError) {
        var built: [StateAccount] = []
        built.reserveCapacity(dump.accounts.count)
        for entry in dump.accounts {
            let account = StateAccount(
                address: entry.address, nonce: entry.nonce, balance: entry.balance, code: entry.code,
                storage: entry.storage)
            if let key = entry.hashedKey, key != account.hashedKey {
                throw .hashedKey(address: entry.address, dumped: key, computed: account.hashedKey)
            }
            if entry.codeHash != account.codeHash {
                throw .codeHash(address: entry.address, dumped: entry.codeHash, computed: account.codeHash)
            }
            if entry.storageRoot != account.storageRoot {
                throw .storageRoot(address: entry.address, dumped: entry.storageRoot, computed: account.storageRoot)
            }
            built.append(account)
        }
        self.init(accounts: built)
        if root != dump.root { throw .stateRoot(dumped: dump.root, computed: root) }
    }

    /// Parses and checks a go-ethereum state dump (``StateDump``, then ``init(dump:)``).
    /// - Throws: ``StateLoadError``: the field that does not parse, or the account whose hashes do not match.
    public init(dumpJSON json: Data) throws(StateLoadError) {
        let dump: StateDump
        do {
            dump = try StateDump(json: json)
        } catch {
            throw .dump(error)
        }
        do {
            try self.init(dump: dump)
        } catch {
            throw .verification(error)
        }
    }
}

/// A dumped state whose contents do not give the hashes it states.
public enum StateVerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The account's `key` is not Keccak-256 of its address.
    case hashedKey(address: Address, dumped: Hash32, computed: Hash32)
    /// The account's `codeHash` is not Keccak-256 of its code.
    case codeHash(address: Address, dumped: Hash32, computed: Hash32)
    /// The account's storage makes another root than its `root`.
    case storageRoot(address: Address, dumped: Hash32, computed: Hash32)
    /// The accounts make another state root than the dump's `root`.
    case stateRoot(dumped: Hash32, computed: Hash32)

    public var description: String {
        switch self {
        case .hashedKey(let address, let dumped, let computed):
            "account \(address): key \(dumped) is not keccak(address) \(computed)"
        case .codeHash(let address, let dumped, let computed):
            "account \(address): codeHash \(dumped), but its code hashes to \(computed)"
        case .storageRoot(let address, let dumped, let computed):
            "account \(address): storage root \(dumped), but its storage makes \(computed)"
        case .stateRoot(let dumped, let computed):
            "state root \(dumped), but the accounts make \(computed)"
        }
    }
}

/// Why a state dump could not be loaded: it does not parse, or does not verify.
public enum StateLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    case dump(StateDumpError)
    case verification(StateVerificationError)

    public var description: String {
        switch self {
        case .dump(let error): error.description
        case .verification(let error): error.description
        }
    }
}
