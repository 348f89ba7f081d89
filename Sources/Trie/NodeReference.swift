// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

/// How a parent holds a child: nothing, the child's encoding inline (when shorter than 32 bytes), or its hash.
enum NodeReference: Sendable {
    case empty
    case inline([UInt8])
    case hash(FixedBytes<32>)

    /// The reference to a node encoded as `encoding`.
    init(encoding: [UInt8]) {
        self = encoding.count < 32 ? .inline(encoding) : .hash(Self.keccak(encoding))
    }

    /// Writes the reference as an item of the parent's list.
    func write(into writer: inout RLPWriter) {
        switch self {
        case .empty: writer.write(bytes: EmptyCollection<UInt8>())
        case .inline(let encoding): writer.write(encoded: encoding)
        case .hash(let hash): hash.withUnsafeBytes { writer.write(bytes: $0) }
        }
    }

    /// Keccak-256 of `bytes`.
    static func keccak(_ bytes: some Collection<UInt8>) -> FixedBytes<32> {
        var hasher = Keccak256()
        hasher.update(bytes)
        var digest = FixedBytes<32>()
        digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        return digest
    }

    /// The root of the empty trie: Keccak-256 of the RLP empty string.
    static let emptyRoot = keccak([0x80])
}
