// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP

/// Reads the fields of a state dump's JSON values, each failure a ``StateError`` at the field's path.
enum DumpField {
    /// Bytes from hex text (`0x` optional; an odd digit count reads as if a leading zero were there).
    static func bytes(_ value: Any?, at path: String) throws(StateError) -> [UInt8] {
        let text = try string(value, at: path)
        let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? text.dropFirst(2) : text[...]
        do {
            return try Hex.decode(digits.count % 2 == 1 ? "0" + digits : String(digits))
        } catch {
            throw StateError.dump(path, "not hex: \(error.reason) in \"\(text)\"")
        }
    }

    /// Exactly `n` bytes of hex.
    static func fixed<let n: Int>(_ value: Any?, at path: String) throws(StateError) -> FixedBytes<n> {
        let bytes = try bytes(value, at: path)
        guard let fixed = FixedBytes<n>(bytes) else {
            throw StateError.dump(path, "\(bytes.count) bytes, expected \(n)")
        }
        return fixed
    }

    /// A 32-byte hash.
    static func hash(_ value: Any?, at path: String) throws(StateError) -> FixedBytes<32> {
        try fixed(value, at: path)
    }

    /// Up to 32 bytes of hex, left-padded with zeros (a storage slot).
    static func padded(_ value: Any?, at path: String) throws(StateError) -> FixedBytes<32> {
        let bytes = try bytes(value, at: path)
        guard bytes.count <= 32, let fixed = FixedBytes<32>([UInt8](repeating: 0, count: 32 &- bytes.count) + bytes) else {
            throw StateError.dump(path, "\(bytes.count) bytes, more than 32")
        }
        return fixed
    }

    /// A 64-bit unsigned integer: a JSON number, or decimal or `0x` hex text.
    static func integer(_ value: Any?, at path: String) throws(StateError) -> UInt64 {
        if let number = value as? UInt64 { return number }
        let quantity = try quantity(value, at: path)
        guard let small = quantity.uint64 else { throw StateError.dump(path, "\(quantity) does not fit 64 bits") }
        return small
    }

    /// A 256-bit unsigned integer: decimal or `0x` hex text, or a JSON number.
    static func quantity(_ value: Any?, at path: String) throws(StateError) -> UInt256 {
        if let number = value as? UInt64 { return UInt256(number) }
        let text = try string(value, at: path)
        guard let big = BigUInt(text) else { throw StateError.dump(path, "\"\(text)\" is not a non-negative integer") }
        guard let value = UInt256(big) else { throw StateError.dump(path, "\(text) does not fit 256 bits") }
        return value
    }

    private static func string(_ value: Any?, at path: String) throws(StateError) -> String {
        guard let value else { throw StateError.dump(path, "missing") }
        guard let text = value as? String else { throw StateError.dump(path, "not a string: \(value)") }
        return text
    }
}
