// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Trie

/// One account of a world state: its balance, nonce, code and storage, with the storage trie built and the hashes
/// that the state trie holds for it.
public struct StateAccount: Sendable {
    /// The account's address.
    public let address: Address
    /// Its key in the state trie: Keccak-256 of the address.
    public let hashedKey: Hash32
    public let nonce: UInt64
    /// The balance in wei.
    public let balance: UInt256
    /// The root of the storage trie (``MerkleTrie/emptyRoot`` without storage).
    public let storageRoot: Hash32
    /// Keccak-256 of the code (of no bytes for an account without code).
    public let codeHash: Hash32
    public let code: [UInt8]
    /// The storage: slot to value, each value without leading zero bytes and never empty (zero is not stored).
    public let storage: [Hash32: [UInt8]]
    /// The storage trie: keyed by Keccak-256 of the slot, each value the RLP string of the slot's value.
    public let storageTrie: MerkleTrie

    /// An account; storage values are trimmed of leading zero bytes and zero values dropped.
    public init(address: Address, nonce: UInt64, balance: UInt256, code: [UInt8] = [], storage: [Hash32: [UInt8]] = [:]) {
        var slots: [Hash32: [UInt8]] = [:]
        for (slot, value) in storage {
            let trimmed = Array(value.drop { $0 == 0 })
            if !trimmed.isEmpty { slots[slot] = trimmed }
        }
        self.address = address
        hashedKey = Hash32.keccak(address.bytes[...])
        self.nonce = nonce
        self.balance = balance
        self.code = code
        codeHash = Hash32.keccak(code[...])
        self.storage = slots
        storageTrie = MerkleTrie.secure(
            slots.map { slot, value in (key: slot.bytes, value: RLPWriter.encode { $0.write(bytes: value) }) })
        storageRoot = storageTrie.root
    }

    /// The account as the state trie holds it: the RLP list `[nonce, balance, storageRoot, codeHash]`.
    public var stateEncoding: [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(integer: nonce)
                list.write(balance)
                list.write(storageRoot)
                list.write(codeHash)
            }
        }
    }

    /// Whether the account has code.
    public var hasCode: Bool { !code.isEmpty }
}
