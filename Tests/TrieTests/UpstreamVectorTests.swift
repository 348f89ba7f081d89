// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxTestSupport
import Testing
import Trie

/// ethereum/tests `TrieTests`: roots after inserts and deletes, plain and secure.
@Suite struct UpstreamVectorTests {
    /// A key or value as ethereum/tests writes it: hex after `0x`, else the string's UTF-8 bytes.
    static func bytes(_ text: String) throws -> [UInt8] {
        text.hasPrefix("0x") ? try Hex.decode(text) : Array(text.utf8)
    }

    @Test func trietestRoots() throws {
        let file = try #require(try Vectors.shared("trie/trietest.json") as? [String: Any])
        #expect(file.count == 4)
        for (name, body) in file.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            let operations = try #require(test["in"] as? [[Any]])
            // A null value deletes, which an empty value does in MerkleTrie; later operations win.
            let pairs = try operations.map { operation in
                let key = try Self.bytes(try #require(operation.first as? String))
                return (key: key, value: try (operation[1] as? String).map(Self.bytes) ?? [])
            }
            let expected = try FixedBytes<32>(hex: try #require(test["root"] as? String))
            let trie = MerkleTrie(pairs)
            #expect(trie.root == expected, "\(name)")
            #expect(MerkleTrie.root(of: pairs) == expected, "\(name)")
            for entry in trie.entries {
                #expect(try Proof.verify(root: trie.root, key: entry.key, proof: trie.proof(for: entry.key)) == entry.value)
            }
        }
    }

    @Test func secureTrieRoot() throws {
        let file = try #require(try Vectors.shared("trie/hex_encoded_securetrie_test.json") as? [String: Any])
        let test = try #require(file["test1"] as? [String: Any])
        let data = try #require(test["data"] as? [[String]])
        let pairs = try data.map { (key: try Hex.decode($0[0]), value: try Hex.decode($0[1])) }
        let expected = try FixedBytes<32>(hex: try #require(test["result"] as? String))
        #expect(MerkleTrie.secure(pairs).root == expected)
        #expect(MerkleTrie.secureRoot(of: pairs) == expected)
    }

    @Test func emptyRoot() {
        #expect(MerkleTrie.emptyRoot.description == "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        #expect(MerkleTrie([] as [MerkleTrie.Entry]).root == MerkleTrie.emptyRoot)
        #expect(MerkleTrie.root(of: []) == MerkleTrie.emptyRoot)
        #expect(MerkleTrie.orderedRoot(of: []) == MerkleTrie.emptyRoot)
    }
}
