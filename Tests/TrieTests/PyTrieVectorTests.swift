// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxTestSupport
import Testing
import Trie

/// Vectors/trie/pytrie.json (Tools/gen-vectors/gen_trie_pytrie.py): roots, proofs, nodes by path and range proofs
/// from py-trie's HexaryTrie, an independent implementation.
@Suite struct PyTrieVectorTests {
    static func cases() throws -> [[String: Any]] {
        let file = try #require(try Vectors.project("trie/pytrie.json") as? [String: Any])
        return try #require(file["cases"] as? [[String: Any]])
    }

    static func trie(_ vector: [String: Any]) throws -> MerkleTrie {
        let entries = try #require(vector["entries"] as? [[String]])
        return MerkleTrie(try entries.map { (key: try hex($0[0]), value: try hex($0[1])) })
    }

    @Test func rootsAndEntries() throws {
        let cases = try Self.cases()
        #expect(cases.count == 10)
        for vector in cases {
            let trie = try Self.trie(vector)
            let name = vector["name"] as? String ?? "?"
            #expect(trie.root == (try FixedBytes<32>(hex: try #require(vector["root"] as? String))), "\(name)")
            let entries = try #require(vector["entries"] as? [[String]])
            #expect(trie.entries.map { [Hex.encode($0.key), Hex.encode($0.value)] } == entries, "\(name)")
        }
    }

    @Test func proofs() throws {
        var count = 0
        for vector in try Self.cases() {
            let trie = try Self.trie(vector)
            for proof in try #require(vector["proofs"] as? [[String: Any]]) {
                let key = try hex(try #require(proof["key"] as? String))
                let value = try (proof["value"] as? String).map(hex)
                let expected = try #require(proof["proof"] as? [String]).map(hex)
                #expect(trie.proof(for: key) == expected, "\(Hex.encode(key))")
                #expect(try Proof.verify(root: trie.root, key: key, proof: expected) == value)
                if let own = proof["pytrieProof"] as? [String] {
                    // py-trie's own list, embedded nodes included: extra nodes are ignored.
                    #expect(try Proof.verify(root: trie.root, key: key, proof: try own.map(hex)) == value)
                }
                count += 1
            }
        }
        #expect(count == 96)
    }

    @Test func nodesByPath() throws {
        var count = 0
        for vector in try Self.cases() {
            let trie = try Self.trie(vector)
            for entry in try #require(vector["nodes"] as? [[String: Any]]) {
                let path = try #require(entry["path"] as? String).map { UInt8(String($0), radix: 16) ?? 0xff }
                let node = try (entry["node"] as? String).map(hex)
                let embedded = try #require(entry["embedded"] as? Bool)
                #expect(trie.node(atPath: path) == (embedded ? nil : node), "path \(entry["path"] ?? "")")
                #expect(try trie.node(atCompactPath: TriePath.compact(path)) == trie.node(atPath: path))
                count += 1
            }
        }
        #expect(count == 987)
    }

    @Test func rangeProofs() throws {
        var count = 0
        for vector in try Self.cases() {
            let trie = try Self.trie(vector)
            for range in try #require(vector["ranges"] as? [[String: Any]]) {
                let origin = try hex(try #require(range["origin"] as? String))
                let start = try #require(range["start"] as? Int)
                let entries = trie.entries[start..<(start + (try #require(range["count"] as? Int)))]
                let proof = try #require(range["proof"] as? [String]).map(hex)
                let hasMore = try #require(range["hasMore"] as? Bool)
                #expect(trie.rangeProof(origin: origin, last: entries.last?.key) == proof, "origin \(Hex.encode(origin))")
                #expect(
                    try RangeProof.verify(
                        root: trie.root, firstKey: origin, keys: entries.map(\.key), values: entries.map(\.value),
                        proof: proof) == hasMore)
                count += 1
            }
        }
        #expect(count == 31)
    }
}
