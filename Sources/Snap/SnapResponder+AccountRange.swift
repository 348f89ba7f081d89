// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import Trie

extension SnapResponder {
    /// GetAccountRange: accounts from the origin on, in key order, until one at or past the limit or the budget is
    /// passed (that account still included; so at least one when any exists), with the proofs of the origin and
    /// of the last account sent. Empty for a root not held.
    func accountRange(id: UInt64, _ request: AccountRangeRequest) -> SnapMessage {
        guard let state = states[request.root] else { return .accountRange(requestID: id, accounts: [], proof: []) }
        let budget = Self.budget(request.responseBytes)
        var accounts: [AccountEntry] = []
        var size: UInt64 = 0
        let start = state.accountTrie.entries(from: request.origin.bytes).startIndex
        for account in state.accounts[start...] {
            let entry = AccountEntry(account)
            accounts.append(entry)
            size &+= 32 &+ UInt64(entry.bodyEncoding.count)
            if account.hashedKey.isAtOrAfter(request.limit) || size > budget { break }
        }
        let last = accounts.last.map(\.hash).flatMap { $0 == Hash32() ? nil : $0.bytes }
        let proof = state.accountTrie.rangeProof(origin: request.origin.bytes, last: last)
        return .accountRange(requestID: id, accounts: accounts, proof: proof.map { $0[...] })
    }
}
