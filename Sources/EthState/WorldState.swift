// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Trie

/// A world state: accounts with their storage and code, and the secure state trie over them (keyed by Keccak-256
/// of the address, each value `[nonce, balance, storageRoot, codeHash]`), as a node serves it over snap and a
/// transaction pool reads nonces and balances from it. A value: built once, never changed.
public struct WorldState: Sendable {
    /// The state root.
    public let root: Hash32
    /// The accounts in state-trie order (by hashed key, ascending).
    public let accounts: [StateAccount]
    /// The state trie.
    public let accountTrie: MerkleTrie
    private let byAddress: [Address: Int]
    private let byHashedKey: [Hash32: Int]
    private let codes: [Hash32: [UInt8]]

    /// The state holding `accounts`; of two with the same address the later wins.
    public init(accounts: some Sequence<StateAccount>) {
        var latest: [Address: StateAccount] = [:]
        for account in accounts { latest[account.address] = account }
        let sorted = latest.values.sorted { $0.hashedKey.bytes.lexicographicallyPrecedes($1.hashedKey.bytes) }
        self.accounts = sorted
        accountTrie = MerkleTrie(sorted.map { (key: $0.hashedKey.bytes, value: $0.stateEncoding) })
        root = accountTrie.root
        var byAddress: [Address: Int] = [:]
        var byHashedKey: [Hash32: Int] = [:]
        var codes: [Hash32: [UInt8]] = [:]
        for (index, account) in sorted.enumerated() {
            byAddress[account.address] = index
            byHashedKey[account.hashedKey] = index
            if account.hasCode { codes[account.codeHash] = account.code }
        }
        self.byAddress = byAddress
        self.byHashedKey = byHashedKey
        self.codes = codes
    }

    /// The account at `address`, or nil.
    public func account(at address: Address) -> StateAccount? {
        byAddress[address].map { accounts[$0] }
    }

    /// The account whose state-trie key is `hashedKey`, or nil.
    public func account(hashedKey: Hash32) -> StateAccount? {
        byHashedKey[hashedKey].map { accounts[$0] }
    }

    /// The nonce of `address`: 0 for an account the state does not hold.
    public func nonce(of address: Address) -> UInt64 { account(at: address)?.nonce ?? 0 }

    /// The balance of `address`: 0 for an account the state does not hold.
    public func balance(of address: Address) -> UInt256 { account(at: address)?.balance ?? .zero }

    /// The code whose Keccak-256 is `hash`: empty for the empty code's hash, nil when no account holds it.
    public func code(hash: Hash32) -> [UInt8]? {
        hash == Self.emptyCodeHash ? [] : codes[hash]
    }

    /// Every distinct hash of non-empty code, ascending.
    public var codeHashes: [Hash32] {
        codes.keys.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }

    /// Keccak-256 of no bytes: the code hash of an account without code.
    public static let emptyCodeHash = Hash32.keccak([][...])
    /// The root of the empty trie: the storage root of an account without storage.
    public static let emptyRoot: Hash32 = MerkleTrie.emptyRoot
}
