// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing

/// Trie roots: index-keyed lists against py-trie's HexaryTrie (`Vectors/eth/genesis-pyevm.json`), and the roots in
/// the shared blocks' headers against the bodies they carry.
@Suite struct TrieRootTests {
    @Test func orderedRootsMatchPyTrie() throws {
        let file = try #require(try Vectors.project("eth/genesis-pyevm.json") as? [String: Any])
        let entries = try #require(file["orderedRoots"] as? [[String: Any]])
        #expect(entries.count == 11)
        for entry in entries {
            let values = try (entry["values"] as? [String] ?? []).map { try Hex.decode($0) }
            #expect(TrieRoot.orderedRoot(of: values).description == entry["root"] as? String, "\(entry["id"] ?? "?")")
        }
    }

    @Test func emptyTrieRoot() {
        #expect(TrieRoot.empty.description == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        #expect(TrieRoot.root(of: []) == TrieRoot.empty)
        #expect(TrieRoot.orderedRoot(of: []) == TrieRoot.empty)
    }

    @Test func entryOrderAndDuplicatesDoNotChangeTheRoot() {
        let entries: [(key: [UInt8], value: [UInt8])] = (0..<40).map { index in
            (key: [UInt8(index % 7), UInt8(index)], value: Array(repeating: UInt8(index), count: index % 5 + 1))
        }
        let root = TrieRoot.root(of: entries)
        #expect(TrieRoot.root(of: entries.reversed()) == root)
        #expect(TrieRoot.root(of: entries + [entries[3]]) == root)
        #expect(TrieRoot.root(of: Array(entries.dropLast())) != root)
    }

    /// go-ethereum's typed-transaction block fixtures pair hand-made headers with their bodies: their transactions
    /// roots belong to no body, so only those two may disagree.
    static let handMadeHeaders: Set<String> = ["geth-TestEIP1559BlockEncoding", "geth-TestEIP2718BlockEncoding"]

    @Test func sharedBlocksBodiesMatchTheirHeaders() throws {
        let entries = try EthVectors.entries("blocks.json", "blocks")
        var checked = 0
        for entry in entries {
            let block = try Block(rlpEncoded: try Vectors.bytes(entry["hex"]))
            let id = entry["id"] as? String ?? "?"
            if Self.handMadeHeaders.contains(id) {
                #expect(block.body.transactionsRoot != block.header.base.transactionsRoot, "\(id)")
                #expect(!block.body.matches(block.header), "\(id)")
                continue
            }
            #expect(block.body.transactionsRoot == block.header.base.transactionsRoot, "\(id) transactions root")
            #expect(block.body.ommersHash == block.header.base.ommersHash, "\(id) ommers hash")
            #expect(block.body.withdrawalsRoot == block.header.withdrawalsRoot, "\(id) withdrawals root")
            #expect(block.body.matches(block.header), "\(id)")
            checked += 1
        }
        #expect(checked == 11)
    }

    @Test func aBodyFromAnotherBlockDoesNotMatch() throws {
        let entries = try EthVectors.entries("blocks.json", "blocks")
        let blocks = try entries.map { try Block(rlpEncoded: try Vectors.bytes($0["hex"])) }
        let withTransactions = try #require(blocks.first { !$0.body.transactions.isEmpty })
        var body = withTransactions.body
        body.transactions.removeLast()
        #expect(!body.matches(withTransactions.header))
    }
}
