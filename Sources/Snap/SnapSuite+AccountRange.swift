// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP

extension SnapSuite {
    /// AccountRange: 17 requests over the head state (budgets, origins, limits), unknown and old roots, a storage
    /// root, and the head − 127 state.
    static func accountRangeCases(_ chain: Chain) throws(SnapError) -> [SnapCase] {
        let head = chain.head
        guard head.accounts.count >= 2 else { throw SnapError(.stateLacksCase, "the head state has fewer than two accounts") }
        let firstKey = head.accounts[0].hashedKey
        guard let withStorage = head.accounts.first(where: { !$0.storage.isEmpty }) else {
            throw SnapError(.stateLacksCase, "no account of the head state has storage")
        }
        let zero = Hash32()
        let top = Hash32.maximum
        let unknownRoot = Hash32([0x13, 0x37] + [UInt8](repeating: 0, count: 30)) ?? Hash32()
        // (summary, root, the state behind it if it is served, origin, limit, budget)
        let table: [(String, Hash32, Served, Hash32, Hash32, UInt64)] = [
            ("the head state from zero, 4000 bytes", chain.headRoot, .state(head), zero, top, 4000),
            ("the head state from zero, 3000 bytes", chain.headRoot, .state(head), zero, top, 3000),
            ("the head state from zero, 2000 bytes", chain.headRoot, .state(head), zero, top, 2000),
            ("a 1-byte budget still answers one account", chain.headRoot, .state(head), zero, top, 1),
            ("a 0-byte budget still answers one account", chain.headRoot, .state(head), zero, top, 0),
            (
                "origin below the first account, limit just past it: the account at the limit is included",
                chain.headRoot, .state(head), firstKey.adding(-500), firstKey.adding(1), 4000
            ),
            (
                "a range before the first account: the first account after it is answered",
                chain.headRoot, .state(head), firstKey.adding(-500), firstKey.adding(-450), 4000
            ),
            ("limit zero: one account", chain.headRoot, .state(head), zero, zero, 4000),
            ("origin the first account's key", chain.headRoot, .state(head), firstKey, top, 4000),
            ("origin just past the first account", chain.headRoot, .state(head), firstKey.adding(1), top, 4000),
            ("an unknown root: nothing", unknownRoot, .none, zero, top, 4000),
            ("the genesis state root: no longer served", chain.genesisRoot, .none, zero, top, 4000),
            (
                "the state root of head − 127: still served", chain.ancestorRoot,
                chain.ancestor.map(Served.state) ?? .unknown, zero, top, 4000
            ),
            ("a storage root as the state root: nothing", withStorage.storageRoot, .none, zero, top, 4000),
            ("origin past every key, limit zero: no account, a proof of absence", chain.headRoot, .state(head), top, zero, 4000),
            ("limit below the origin: one account", chain.headRoot, .state(head), firstKey, firstKey.adding(-1), 4000),
            ("origin the first key, limit zero: one account", chain.headRoot, .state(head), firstKey, zero, 4000),
        ]
        return table.enumerated().map { index, row in
            let (summary, root, served, origin, limit, bytes) = row
            let expectation: SnapExpectation
            switch served {
            case .state(let state): expectation = expectedRange(state, origin: origin, limit: limit, bytes: bytes)
            case .unknown: expectation = .provenAccountRange(first: firstKey)
            case .none: expectation = .accountRange(count: 0, first: nil, last: nil)
            }
            let request = AccountRangeRequest(root: root, origin: origin, limit: limit, responseBytes: bytes)
            return SnapCase(
                .accountRange, index, summary,
                request: .getAccountRange(requestID: SnapCase.requestID(.accountRange, index), request),
                expectation: expectation)
        }
    }

    /// Whether a root's state is served, and whether the suite holds it.
    private enum Served {
        case state(WorldState)
        /// Served, but its contents are not known here.
        case unknown
        case none
    }

    /// The accounts a go-ethereum node answers: from the origin in key order, each counted as 32 bytes and its slim
    /// body, until the one at or past the limit, or the one that takes the total past the budget (both included).
    static func expectedRange(_ state: WorldState, origin: Hash32, limit: Hash32, bytes: UInt64) -> SnapExpectation {
        let budget = min(bytes, SnapResponder.softResponseLimit)
        var keys: [Hash32] = []
        var size: UInt64 = 0
        for account in state.accounts where !account.hashedKey.precedes(origin) {
            keys.append(account.hashedKey)
            size += 32 + UInt64(SlimAccount(account).rlpEncoded().count)
            if !account.hashedKey.precedes(limit) || size > budget { break }
        }
        return .accountRange(count: keys.count, first: keys.first, last: keys.last)
    }
}
