// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP

extension SlimAccount {
    /// The slim form of a state account: the empty root and the empty code hash left out.
    public init(_ account: StateAccount) {
        self.init(
            nonce: account.nonce, balance: account.balance,
            storageRoot: account.storageRoot == WorldState.emptyRoot ? nil : account.storageRoot,
            codeHash: account.codeHash == WorldState.emptyCodeHash ? nil : account.codeHash)
    }

    /// The account as the state trie holds it (full form): `[nonce, balance, storageRoot, codeHash]` with the
    /// empty root and the empty code hash written out, as a range proof is checked against.
    public var stateEncoding: [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(integer: nonce)
                list.write(balance)
                list.write(storageRoot ?? WorldState.emptyRoot)
                list.write(codeHash ?? WorldState.emptyCodeHash)
            }
        }
    }
}

extension AccountEntry {
    /// A state account as an AccountRange carries it: its hashed key and its slim body written in place as a list
    /// (go-ethereum's form).
    public init(_ account: StateAccount) {
        let slim = SlimAccount(account)
        self.init(hash: account.hashedKey, account: slim, bodyEncoding: slim.rlpEncoded()[...])
    }
}

extension Hash32 {
    /// Whether this hash sorts before `other` as a 256-bit big-endian number (snap's key order).
    func precedes(_ other: Hash32) -> Bool { bytes.lexicographicallyPrecedes(other.bytes) }

    /// Whether this hash is `other` or after it.
    func isAtOrAfter(_ other: Hash32) -> Bool { !precedes(other) }

    /// The 32 bytes go-ethereum reads from a byte string of any length (`BytesToHash`): the last 32 of a longer
    /// one, a shorter one left-padded with zeros.
    init(paddingOrCropping bytes: some Collection<UInt8>) {
        let tail = Array(bytes.suffix(32))
        self = Hash32([UInt8](repeating: 0, count: 32 &- tail.count) + tail) ?? Hash32()
    }

    /// 32 bytes of 0xff: the largest hash, the open end of a range.
    static let maximum = Hash32([UInt8](repeating: 0xff, count: 32)) ?? Hash32()
}
