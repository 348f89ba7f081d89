// SPDX-License-Identifier: Apache-2.0

/// An unsigned integer of any size, kept as its minimal big-endian bytes: what RLP stores.
///
/// It converts to and from decimal and hex text and compares by value; it is a carrier for RLP, not an
/// arithmetic library.
public struct BigUInt: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// Big-endian bytes without leading zeros; empty for zero.
    public let bigEndianBytes: [UInt8]

    /// The value of big-endian `bytes`; leading zeros are dropped.
    public init(bigEndianBytes bytes: some Collection<UInt8>) {
        bigEndianBytes = Array(bytes.drop(while: { $0 == 0 }))
    }

    /// The value of a non-negative binary integer.
    public init(_ value: some UnsignedInteger) {
        var bytes: [UInt8] = []
        var rest = value
        while rest > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        bigEndianBytes = bytes.reversed()
    }

    public init(integerLiteral value: UInt64) { self.init(value) }

    /// Parses decimal digits, or hex digits after `0x`. Returns nil for anything else, or for empty text.
    public init?(_ text: some StringProtocol) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard text.count > 2, let bytes = try? Hex.decode((text.count % 2 == 1 ? "0" : "") + text.dropFirst(2))
            else { return nil }
            self.init(bigEndianBytes: bytes)
            return
        }
        guard !text.isEmpty else { return nil }
        var littleEndian: [UInt8] = []
        for character in text.utf8 {
            guard (0x30...0x39).contains(character) else { return nil }
            var carry = UInt(character - 0x30)
            for index in littleEndian.indices {
                let product = UInt(littleEndian[index]) * 10 + carry
                littleEndian[index] = UInt8(truncatingIfNeeded: product)
                carry = product >> 8
            }
            while carry > 0 {
                littleEndian.append(UInt8(truncatingIfNeeded: carry))
                carry >>= 8
            }
        }
        self.init(bigEndianBytes: littleEndian.reversed())
    }

    /// Zero.
    public static let zero = BigUInt(bigEndianBytes: [])

    /// The value in decimal.
    public var description: String {
        guard !bigEndianBytes.isEmpty else { return "0" }
        var digits: [UInt8] = []
        var dividend = bigEndianBytes
        while !dividend.isEmpty {
            var remainder: UInt = 0
            var quotient: [UInt8] = []
            quotient.reserveCapacity(dividend.count)
            for byte in dividend {
                let current = remainder << 8 | UInt(byte)
                let digit = UInt8(truncatingIfNeeded: current / 10)
                remainder = current % 10
                if !quotient.isEmpty || digit != 0 { quotient.append(digit) }
            }
            digits.append(UInt8(truncatingIfNeeded: remainder) + 0x30)
            dividend = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// The value as `0x`-prefixed lowercase hex without leading zeros (`0x0` for zero).
    public var hexString: String {
        let hex = Hex.encode(bigEndianBytes).drop(while: { $0 == "0" })
        return "0x" + (hex.isEmpty ? "0" : hex)
    }

    public static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.bigEndianBytes.count != rhs.bigEndianBytes.count {
            return lhs.bigEndianBytes.count < rhs.bigEndianBytes.count
        }
        return lhs.bigEndianBytes.lexicographicallyPrecedes(rhs.bigEndianBytes)
    }
}

/// A canonical unsigned integer of any length.
extension BigUInt: RLPCodable {
    public func encode(to writer: inout RLPWriter) { writer.write(bytes: bigEndianBytes) }
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        let start = reader.offset
        let bytes = try reader.readBytes()
        guard bytes.first != 0 else {
            throw RLPError(.nonCanonicalInteger, "integer has a leading zero byte", at: start)
        }
        self.init(bigEndianBytes: bytes)
    }
}
