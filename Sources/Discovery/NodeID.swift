// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto

/// A node's 32-byte address in the DHT: keccak-256 of its public key's X ‖ Y. Both discv4 and discv5 use it.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// An ID from 32 bytes; nil for another length.
    public init?(bytes: some Collection<UInt8>) {
        let value = Array(bytes)
        guard value.count == 32 else { return nil }
        self.bytes = value
    }

    /// The ID of `publicKey`.
    public init(publicKey: Secp256k1.PublicKey) {
        bytes = Keccak256.hash(publicKey.nodeID)
    }

    /// The ID of a 64-byte X ‖ Y key as discv4 carries it (hashed whether or not the point is on the curve).
    public init(discv4Key: [UInt8]) {
        bytes = Keccak256.hash(discv4Key)
    }

    /// The XOR log-distance: 0 for the same ID, else 256 minus the number of leading bits the two share.
    public func logDistance(to other: NodeID) -> Int {
        for index in 0..<32 {
            let difference = bytes[index] ^ other.bytes[index]
            if difference != 0 { return (32 - index) * 8 - difference.leadingZeroBitCount }
        }
        return 0
    }

    /// Whether `self` is closer to `target` than `other` is (XOR distance, compared as big-endian numbers).
    public func isCloser(to target: NodeID, than other: NodeID) -> Bool {
        for index in 0..<32 {
            let mine = bytes[index] ^ target.bytes[index]
            let theirs = other.bytes[index] ^ target.bytes[index]
            if mine != theirs { return mine < theirs }
        }
        return false
    }

    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
    public var description: String { Hex.encode(bytes) }
}
