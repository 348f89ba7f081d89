// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP

extension SnapSuite {
    /// GetByteCodes: 9 requests: hashes that are no code's (state roots, the empty root), the empty code, every
    /// code of the head state under several budgets, and one code four times.
    static func byteCodeCases(_ chain: Chain) throws(SnapError) -> [SnapCase] {
        let all = chain.head.codeHashes
        guard let firstCode = all.first else { throw SnapError(.stateLacksCase, "no account of the head state has code") }
        let empty = WorldState.emptyCodeHash
        let table: [(String, [Hash32], UInt64)] = [
            ("state roots (genesis, head) are no code's hash: nothing", [chain.genesisRoot, chain.headRoot], 10000),
            ("the genesis state root twice: nothing", [chain.genesisRoot, chain.genesisRoot], 10000),
            ("the empty trie root is no code's hash: nothing", [WorldState.emptyRoot], 10000),
            ("the empty code's hash: one empty code", [empty], 10000),
            ("the empty code's hash three times: three empty codes", [empty, empty, empty], 10000),
            ("every code of the head state, 100000 bytes", all, 100000),
            ("every code of the head state, 1 byte: one code", all, 1),
            ("every code of the head state, 0 bytes: one code", all, 0),
            ("one code four times, a budget the fourth passes: all four", Array(repeating: firstCode, count: 4), 1000),
        ]
        // The codes a node holds: those of every state the suite knows, by hash, and the empty code.
        var sizes: [Hash32: Int] = [empty: 0]
        for state in [chain.head, chain.parent, chain.ancestor].compactMap({ $0 }) {
            for account in state.accounts where account.hasCode { sizes[account.codeHash] = account.code.count }
        }
        return table.enumerated().map { index, row in
            let (summary, hashes, bytes) = row
            let count = expectedCodeCount(hashes, bytes: bytes, sizes: sizes)
            return SnapCase(
                .byteCodes, index, summary,
                request: .getByteCodes(requestID: SnapCase.requestID(.byteCodes, index), hashes: hashes, responseBytes: bytes),
                expectation: .byteCodes(count: count))
        }
    }

    /// How many codes a go-ethereum node answers: each known hash in order adds its code (the empty code adds no
    /// bytes), unknown ones are skipped, and the answer ends after the code that takes it past the budget.
    static func expectedCodeCount(_ hashes: [Hash32], bytes: UInt64, sizes: [Hash32: Int]) -> Int {
        let budget = min(bytes, SnapResponder.softResponseLimit)
        var count = 0
        var total: UInt64 = 0
        for hash in hashes.prefix(SnapResponder.maxCodeLookups) {
            guard let length = sizes[hash] else { continue }
            count += 1
            total += UInt64(length)
            if total > budget { break }
        }
        return count
    }
}
