// SPDX-License-Identifier: Apache-2.0
import RLP

/// The nodes of a proof by hash, as a verifier looks them up: the first of equal nodes wins, and nodes nothing
/// asks for are ignored (go-ethereum accepts proofs with extra nodes too).
struct ProofDatabase {
    let nodes: [ArraySlice<UInt8>]
    let root: FixedBytes<32>
    private let positions: [FixedBytes<32>: Int]
    private let hashes: [FixedBytes<32>]

    init(_ proof: [ArraySlice<UInt8>], root: FixedBytes<32>) {
        nodes = proof
        self.root = root
        hashes = proof.map { NodeReference.keccak($0) }
        var positions: [FixedBytes<32>: Int] = [:]
        for (index, hash) in hashes.enumerated() where positions[hash] == nil { positions[hash] = index }
        self.positions = positions
    }

    /// The decoded node named `hash`.
    /// - Throws: ``TrieError/Code/missingNode`` or ``TrieError/Code/invalidNode``.
    func resolve(_ hash: FixedBytes<32>, path: ArraySlice<UInt8>) throws(TrieError) -> PartialNode {
        guard let index = positions[hash] else { throw missing(hash, path: path) }
        do {
            return try PartialNode.decode(nodes[index])
        } catch {
            throw TrieError(
                .invalidNode, "proof node \(index) (hash \(hash)) is not a trie node: \(error.reason)",
                nodeHash: hash, proofIndex: index)
        }
    }

    /// The error for a node the proof lacks, naming the first proof node that nothing references (the likely
    /// culprit: a node altered in transit, or one from another trie) when there is one.
    func missing(_ hash: FixedBytes<32>, path: ArraySlice<UInt8>) -> TrieError {
        let what = hash == root ? "the root node" : "the node at path \(Self.describe(path))"
        guard let stray = firstUnreferenced() else {
            return TrieError(.missingNode, "\(what) (hash \(hash)) is not in the proof", nodeHash: hash)
        }
        return TrieError(
            .missingNode,
            "\(what) (hash \(hash)) is not in the proof; proof node \(stray) (hash \(hashes[stray])) is referenced by "
                + "no node: altered, or from another trie?",
            nodeHash: hash, proofIndex: stray)
    }

    /// The first node of 32 bytes or more that is neither the root nor a child of any node of the proof.
    private func firstUnreferenced() -> Int? {
        var referenced: Set<FixedBytes<32>> = [root]
        for node in nodes {
            if let decoded = try? PartialNode.decode(node) { Self.collectHashes(decoded, into: &referenced) }
        }
        return hashes.indices.first { nodes[$0].count >= 32 && !referenced.contains(hashes[$0]) }
    }

    private static func collectHashes(_ node: PartialNode, into set: inout Set<FixedBytes<32>>) {
        switch node {
        case .hash(let hash): set.insert(hash)
        case .short(_, let child): collectHashes(child, into: &set)
        case .full(let children): for child in children { collectHashes(child, into: &set) }
        case .empty, .value: break
        }
    }

    /// A path of ``PartialNode`` symbols as hex digits, the end symbol left out.
    static func describe(_ path: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        let text = String(path.filter { $0 > 0 && $0 <= 16 }.map { digits[Int($0 &- 1)] })
        return text.isEmpty ? "(root)" : text
    }
}
