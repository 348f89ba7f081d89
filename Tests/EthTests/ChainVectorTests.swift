// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP
import RLPxTestSupport
import Testing

/// The committed chain (`Vectors/chain`, built and executed by py-evm, Tools/gen-vectors/gen_chain_pyevm.py): our
/// codecs read every block, every body matches its header's roots, every receipt list hashes to its header's
/// receipts root, and the chain links from the genesis the genesis file describes.
@Suite struct ChainVectorTests {
    static func blocks() throws -> [Block] {
        try Block.sequence(Array(try Vectors.projectData("chain/chain.rlp")))
    }

    @Test func blocksLinkAndMatchTheirRoots() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 65)
        let receipts = try #require(try Vectors.project("chain/receipts.json") as? [String: Any])
        let entries = try #require(receipts["blocks"] as? [[String: Any]])
        var types = Set<UInt8>()
        for (index, block) in blocks.enumerated() {
            #expect(block.header.number == UInt64(index))
            if index > 0 { #expect(block.header.base.parentHash == blocks[index - 1].header.hash, "#\(index) links") }
            #expect(block.body.matches(block.header), "#\(index) body")
            #expect(block.header.hash.description == entries[index]["hash"] as? String, "#\(index) hash")
            let encodings = try (entries[index]["receipts"] as? [String] ?? []).map { try Hex.decode($0) }
            #expect(TrieRoot.orderedRoot(of: encodings) == block.header.base.receiptsRoot, "#\(index) receipts root")
            for transaction in block.body.transactions { types.insert(transaction.type.rawValue) }
            #expect(try Block(rlpEncoded: block.rlpEncoded()) == block)
        }
        #expect(types == [0, 1, 2, 3, 4])
        #expect(blocks.last?.header.fieldCount == 21, "Prague headers")
    }

    @Test func aTruncatedChainFileNamesTheBlock() throws {
        var bytes = Array(try Vectors.projectData("chain/chain.rlp"))
        bytes.removeLast(10)
        #expect(throws: RLPError.self) { try Block.sequence(bytes) }
        do {
            _ = try Block.sequence(bytes)
        } catch {
            #expect(error.path.first == "blocks[64]", "\(error)")
        }
    }
}
