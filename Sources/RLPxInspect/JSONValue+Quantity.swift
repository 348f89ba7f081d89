// SPDX-License-Identifier: Apache-2.0
import RLP

extension JSONValue {
    /// The largest integer every JSON reader holds exactly (an IEEE double's 53-bit mantissa): 2⁵³ − 1.
    public static let largestExactInteger: UInt64 = (1 << 53) - 1

    /// An integer quantity by the one rule all JSON output follows: a number up to 2⁵³ − 1, a decimal string
    /// above (JavaScript and most JSON readers would round a larger number).
    public static func quantity(_ value: UInt64) -> JSONValue {
        value <= largestExactInteger ? .int(Int(value)) : .string(String(value))
    }

    /// ``quantity(_:)-(UInt64)`` for integers of any width.
    public static func quantity(_ value: BigUInt) -> JSONValue {
        let bytes = value.bigEndianBytes
        guard bytes.count <= 8 else { return .string(value.description) }
        return quantity(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
}
