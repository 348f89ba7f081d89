// SPDX-License-Identifier: Apache-2.0

extension Secp256k1.PublicKey: CustomStringConvertible, CustomDebugStringConvertible {
    /// The node ID (X ‖ Y) in hex, as enode URLs write it.
    public var description: String { Secp256k1.hex(nodeID) }
    public var debugDescription: String { "PublicKey(\(description))" }
}

extension Secp256k1.PrivateKey: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never the key: its public node ID, shortened, so logs can tell keys apart without leaking one.
    public var description: String {
        let id = Secp256k1.hex(publicKey.nodeID)
        return "PrivateKey(secret; node ID \(id.prefix(8))…\(id.suffix(8)))"
    }
    public var debugDescription: String { description }
}

extension Secp256k1 {
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
