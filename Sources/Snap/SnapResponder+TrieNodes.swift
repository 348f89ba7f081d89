// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import Trie

extension SnapResponder {
    /// GetTrieNodes: for each path set in order, one element names an account-trie node by its hex-prefix path; more
    /// name the account (its 32-byte hash) and then nodes of its storage trie. A path where no node starts gets an
    /// empty entry; a node held inline by its parent, a value, or an account the state lacks gets none. Stops after
    /// the set (or the storage node) that passes the budget or ``maxTrieNodeLookups`` reads. An empty path set
    /// drops the peer. Empty for a root not held.
    func trieNodes(id: UInt64, root: Hash32, paths: [[ArraySlice<UInt8>]], responseBytes: UInt64) -> SnapAnswer {
        guard let state = states[root] else { return .reply(.trieNodes(requestID: id, nodes: [])) }
        let budget = Self.budget(responseBytes)
        var nodes: [ArraySlice<UInt8>] = []
        var bytes: UInt64 = 0
        var reads = NodeReads()
        var accountTrieOpened = Set<Hash32>()
        func append(_ node: [UInt8]?) {
            guard let node else { return }
            nodes.append(node[...])
            bytes &+= UInt64(node.count)
        }
        func overBudget() -> Bool { bytes > budget || reads.count > Self.maxTrieNodeLookups }
        for (index, set) in paths.enumerated() {
            guard let first = set.first else {
                return .drop("GetTrieNodes path set \(index) is empty")
            }
            if set.count == 1 {
                append(reads.read(state.accountTrie, compactPath: first, opened: &accountTrieOpened))
            } else if let account = reads.account(Hash32(paddingOrCropping: first), in: state) {
                var storageTrieOpened = Set<Hash32>()
                for path in set.dropFirst() {
                    append(reads.read(account.storageTrie, compactPath: path, opened: &storageTrieOpened))
                    if overBudget() { break }
                }
            }
            if overBudget() { break }
        }
        return .reply(.trieNodes(requestID: id, nodes: nodes))
    }
}

/// The node reads of one GetTrieNodes, counted as a node database serving it counts them: each node opened on
/// the way down (once per trie and request), each node read, and for a storage path set the account's lookup and
/// the opening of its storage trie.
struct NodeReads {
    private(set) var count = 0

    /// The account a storage path set names: one read to look it up, one more to open its storage trie.
    mutating func account(_ hash: Hash32, in state: WorldState) -> StateAccount? {
        count &+= 1
        guard let account = state.account(hashedKey: hash) else { return nil }
        count &+= 1
        return account
    }

    /// The node at `compactPath` in `trie` for the answer: its encoding, empty where no node starts, nil where
    /// nothing is answered (a node without a hash of its own, or a value).
    mutating func read(_ trie: MerkleTrie, compactPath: ArraySlice<UInt8>, opened: inout Set<Hash32>) -> [UInt8]? {
        let resolution = trie.lookup(path: Self.nibbles(ofCompact: compactPath))
        for hash in resolution.opened where opened.insert(hash).inserted { count &+= 1 }
        switch resolution.result {
        case .node(let encoding):
            count &+= 1
            return encoding
        case .absent: return []
        case .embedded, .value: return nil
        }
    }

    /// The nibbles of a hex-prefix path read as go-ethereum reads it, without validation: the flag's bit 0 says
    /// whether one or two nibbles of the first byte are dropped, bit 1 that the path ends in the terminator 16; the
    /// empty string is the root.
    static func nibbles(ofCompact compact: ArraySlice<UInt8>) -> [UInt8] {
        guard let first = compact.first else { return [] }
        var nibbles = TriePath.nibbles(compact)
        let flag = first >> 4
        if flag >= 2 { nibbles.append(16) }
        return Array(nibbles.dropFirst(flag & 1 == 1 ? 1 : 2))
    }
}
