// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import Trie

extension SnapSuite {
    /// GetTrieNodes: 8 requests: no paths, an empty path set (a malformed request), the parent state's root node,
    /// a path that runs off the trie, the paths down to the first account, and storage-trie nodes of the storage
    /// test account.
    static func trieNodeCases(_ chain: Chain) throws(SnapError) -> [SnapCase] {
        let head = chain.head
        guard let firstKey = head.accounts.first?.hashedKey else { throw SnapError(.stateLacksCase, "the head state has no account") }
        let accountHash = Hash32.keccak(storageTestAccount.bytes[...])
        let accountPaths = (1...65).map { [snapPath(firstKey, length: $0)] }
        let runsOff = Array((0..<6).map { _ in [UInt8](0...8) }.joined())
        // (summary, root, the state to derive from (nil: assume only the root node), path sets, budget)
        let table: [(String, Hash32, WorldState?, [[[UInt8]]]?, UInt64)] = [
            ("no path set: no node", chain.headRoot, head, [], 500),
            ("an empty path set: a malformed request", chain.headRoot, head, nil, 5000),
            (
                "the parent state's root node; a storage path of an account that does not exist adds nothing",
                chain.parentRoot, chain.parent, [[[0x00]], [[0x01], [0x00]]], 5000
            ),
            ("a 54-byte path that runs off the trie: an empty entry", chain.headRoot, head, [[runsOff]], 5000),
            ("the 65 paths down to the first account: two nodes, then empty entries", chain.headRoot, head, accountPaths, 5000),
            (
                "three of those paths, out of order", chain.headRoot, head,
                [accountPaths[10], accountPaths[1], accountPaths[0]], 5000
            ),
            ("the storage test account's storage root node", chain.headRoot, head, [[accountHash.bytes, [0x00]]], 5000),
            (
                "its storage root node and the node at storage path b", chain.headRoot, head,
                [[accountHash.bytes, [0x00], [0x1b]]], 5000
            ),
        ]
        return try table.enumerated().map { (index, row) throws(SnapError) -> SnapCase in
            let (summary, root, state, sets, bytes) = row
            let paths = sets ?? [[], [[0x00]]]
            let expectation: SnapExpectation
            if sets == nil {
                expectation = .trieNodesRejected
            } else if let state {
                expectation = .trieNodes(expectedNodes(state, paths: paths, bytes: bytes))
            } else if paths.first?.count == 1, paths.first?.first == [0x00] {
                expectation = .trieNodes([root])
            } else {
                throw SnapError(.missingState, "trie-node case \(index) needs its state")
            }
            let request = SnapMessage.getTrieNodes(
                requestID: SnapCase.requestID(.trieNodes, index), root: root,
                paths: paths.map { $0.map { $0[...] } }, responseBytes: bytes)
            return SnapCase(.trieNodes, index, summary, request: request, expectation: expectation)
        }
    }

    /// go-ethereum's path to a node on the way to `key`: the first `length` nibbles of the key and its terminator,
    /// the last of them replaced by 0, hex-prefix encoded as a path without the leaf flag. So `length` 1 is the
    /// root's child 0, and 65 is the 64 key nibbles and a 0.
    static func snapPath(_ key: Hash32, length: Int) -> [UInt8] {
        var nibbles = Array((TriePath.nibbles(key.bytes) + [16]).prefix(length))
        if !nibbles.isEmpty { nibbles[nibbles.count &- 1] = 0 }
        return TriePath.compact(nibbles, leaf: false)
    }

    /// The hashes of the nodes a go-ethereum node answers for `paths` in `state` (Keccak-256 of no bytes for a
    /// path where no node starts), up to the set that passes the budget.
    static func expectedNodes(_ state: WorldState, paths: [[[UInt8]]], bytes: UInt64) -> [Hash32] {
        let budget = min(bytes, SnapResponder.softResponseLimit)
        var hashes: [Hash32] = []
        var total: UInt64 = 0
        func add(_ trie: MerkleTrie, _ path: [UInt8]) {
            let node = (try? trie.node(atCompactPath: path)) ?? nil
            hashes.append(Hash32.keccak((node ?? [])[...]))
            total += UInt64(node?.count ?? 0)
        }
        for set in paths {
            if set.count == 1 {
                add(state.accountTrie, set[0])
            } else if let first = set.first, let account = state.account(hashedKey: Hash32(paddingOrCropping: first)) {
                for path in set.dropFirst() {
                    add(account.storageTrie, path)
                    if total > budget { break }
                }
            }
            if total > budget { break }
        }
        return hashes
    }
}
