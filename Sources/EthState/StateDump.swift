// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP

/// A world state as go-ethereum's `state.Dump` writes it in JSON (`geth dump`, hive's `headstate.json`):
/// `{"root": …, "accounts": {address: {balance, nonce, root, codeHash, code?, storage?, address?, key?}}}`, with the
/// balance in decimal (hex with `0x` and JSON numbers are read too), storage slots as 32-byte hex keys and values as
/// hex without leading zero bytes. Parsing only: ``WorldState/init(dump:)`` builds and checks the tries.
public struct StateDump: Sendable {
    /// One dumped account, as written (hashes as dumped, not yet checked).
    public struct Account: Sendable {
        public var address: Address
        /// The dumped state-trie key (`key`), nil when the dump has none.
        public var hashedKey: Hash32?
        public var nonce: UInt64
        public var balance: UInt256
        /// The dumped storage root (`root`).
        public var storageRoot: Hash32
        public var codeHash: Hash32
        public var code: [UInt8]
        /// Slot to value bytes, as dumped.
        public var storage: [Hash32: [UInt8]]

        public init(
            address: Address, hashedKey: Hash32?, nonce: UInt64, balance: UInt256, storageRoot: Hash32, codeHash: Hash32,
            code: [UInt8], storage: [Hash32: [UInt8]]
        ) {
            self.address = address
            self.hashedKey = hashedKey
            self.nonce = nonce
            self.balance = balance
            self.storageRoot = storageRoot
            self.codeHash = codeHash
            self.code = code
            self.storage = storage
        }
    }

    /// The dumped state root.
    public var root: Hash32
    /// The accounts, by address ascending.
    public var accounts: [Account]

    public init(root: Hash32, accounts: [Account]) {
        self.root = root
        self.accounts = accounts
    }

    /// Parses a dump from its JSON bytes.
    /// - Throws: ``StateError`` naming the field (`accounts["0x…"].balance`) and what is wrong with it.
    public init(json: Data) throws(StateError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw StateError.dump("", "not JSON: \(error.localizedDescription)")
        }
        guard let top = object as? [String: Any] else { throw StateError.dump("", "not a JSON object") }
        root = try DumpField.hash(top["root"], at: "root")
        guard let entries = top["accounts"] as? [String: Any] else {
            throw StateError.dump("accounts", top["accounts"] == nil ? "missing" : "not an object")
        }
        var accounts: [Account] = []
        var seen: [Address: String] = [:]
        for (name, value) in entries {
            let path = "accounts[\"\(name)\"]"
            let account = try Self.account(value, name: name, at: path)
            if let other = seen.updateValue(name, forKey: account.address) {
                throw StateError.dump(path, "the same address as accounts[\"\(other)\"]")
            }
            accounts.append(account)
        }
        self.accounts = accounts.sorted { $0.address.bytes.lexicographicallyPrecedes($1.address.bytes) }
    }

    private static func account(_ value: Any, name: String, at path: String) throws(StateError) -> Account {
        guard let fields = value as? [String: Any] else { throw StateError.dump(path, "not an object") }
        // The address: the `address` field, else the map key (go-ethereum keys by address when it knows it).
        let address: Address
        if let field = fields["address"] {
            address = try DumpField.fixed(field, at: path + ".address")
        } else {
            address = try DumpField.fixed(name, at: path)
        }
        var storage: [Hash32: [UInt8]] = [:]
        if let slots = fields["storage"] {
            guard let map = slots as? [String: Any] else { throw StateError.dump(path + ".storage", "not an object") }
            for (slot, slotValue) in map {
                let slotPath = path + ".storage[\"\(slot)\"]"
                let key: Hash32 = try DumpField.padded(slot, at: slotPath)
                storage[key] = try DumpField.bytes(slotValue, at: slotPath)
            }
        }
        // The key and the code are optional (go-ethereum leaves out an empty code and, without preimages, the key).
        let hashedKey: Hash32? = fields["key"] == nil ? nil : try DumpField.hash(fields["key"], at: path + ".key")
        let code = fields["code"] == nil ? [] : try DumpField.bytes(fields["code"], at: path + ".code")
        return Account(
            address: address, hashedKey: hashedKey,
            nonce: try DumpField.integer(fields["nonce"], at: path + ".nonce"),
            balance: try DumpField.quantity(fields["balance"], at: path + ".balance"),
            storageRoot: try DumpField.hash(fields["root"], at: path + ".root"),
            codeHash: try DumpField.hash(fields["codeHash"], at: path + ".codeHash"),
            code: code, storage: storage)
    }
}
