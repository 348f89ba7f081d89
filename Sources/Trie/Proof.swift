// SPDX-License-Identifier: Apache-2.0
import RLP

/// Single-key Merkle proofs, as `eth_getProof` and snap carry them.
public enum Proof {
    /// The value `proof` shows stored under `key` in the trie with root `root`, or nil when it shows the key absent.
    ///
    /// `proof` holds RLP-encoded nodes in any order (as ``MerkleTrie/proof(for:)`` or go-ethereum's `Prove` make
    /// them); they are found by hash, and nodes the path does not need are ignored. The empty root needs no nodes.
    /// - Throws: ``TrieError/Code/missingNode`` when a node on the path is not in the proof,
    ///   ``TrieError/Code/invalidNode`` when one does not decode.
    public static func verify<Node: Collection<UInt8>>(
        root: FixedBytes<32>, key: some Collection<UInt8>, proof: [Node]
    ) throws(TrieError) -> [UInt8]? {
        if root == NodeReference.emptyRoot { return nil }
        let database = ProofDatabase(proof.map { ArraySlice($0) }, root: root)
        let path = PartialNode.path(of: key)
        var node = try database.resolve(root, path: path[..<0])
        var position = 0
        while true {
            switch node {
            case .empty:
                return nil
            case .value(let value):
                return value
            case .hash(let hash):
                node = try database.resolve(hash, path: path[..<position])
            case .short(let nodePath, let child):
                guard path[position...].starts(with: nodePath) else { return nil }
                position &+= nodePath.count
                node = child
            case .full(let children):
                guard position < path.count else { return nil }
                node = children[Int(path[position])]
                position &+= 1
            }
        }
    }
}
