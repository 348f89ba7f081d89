// SPDX-License-Identifier: Apache-2.0
import RLP

extension Secp256k1.PublicKey: CustomStringConvertible, CustomDebugStringConvertible {
    /// The node ID (X ‖ Y) in hex, as enode URLs write it.
    public var description: String { Hex.encode(nodeID) }
    public var debugDescription: String { "PublicKey(\(description))" }
}

extension Secp256k1.PrivateKey: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never the key: its public node ID, shortened, so logs can tell keys apart without leaking one.
    public var description: String {
        let id = Hex.encode(publicKey.nodeID)
        return "PrivateKey(secret; node ID \(id.prefix(8))…\(id.suffix(8)))"
    }
    public var debugDescription: String { description }
}
