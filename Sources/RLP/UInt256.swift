// SPDX-License-Identifier: Apache-2.0

/// A 256-bit unsigned integer stored inline (no allocation): balances, difficulties, base fees.
///
/// Like ``BigUInt`` it is a carrier for RLP values, not an arithmetic library.
public struct UInt256: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The four 64-bit limbs, most significant first.
    @usableFromInline var limbs: InlineArray<4, UInt64>

    /// Zero.
    public static let zero = UInt256(0)
    /// 2²⁵⁶ − 1.
    public static let max = UInt256(limbs: [.max, .max, .max, .max])

    @usableFromInline init(limbs: InlineArray<4, UInt64>) { self.limbs = limbs }

    /// The value of a 64-bit integer.
    public init(_ value: UInt64) { limbs = [0, 0, 0, value] }
    public init(integerLiteral value: UInt64) { self.init(value) }

    /// The value of at most 32 big-endian bytes (leading zeros allowed); nil when longer.
    @inlinable
    public init?(bigEndianBytes bytes: some Collection<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        var limbs = InlineArray<4, UInt64>(repeating: 0)
        var position = 32 - bytes.count
        for byte in bytes {
            limbs[position >> 3] |= UInt64(byte) << (8 * (7 - (position & 7)))
            position += 1
        }
        self.init(limbs: limbs)
    }

    /// The value of at most 32 big-endian bytes in memory: eight bytes per load rather than one (decoding hot path).
    /// The limbs are assembled in registers and stored 16 bytes at a time, so that copying the value (which the
    /// compiler does with 16-byte moves) does not stall on forwarding from narrower stores.
    @inlinable @inline(__always)
    public init?(bigEndianBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 32 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        if let base = bytes.baseAddress {
            @inline(__always) func word(endingAt end: Int) -> UInt64 {
                if end >= 8 { return UInt64(bigEndian: UnsafeRawPointer(base + (end &- 8)).loadUnaligned(as: UInt64.self)) }
                var value: UInt64 = 0
                for index in 0..<Swift.max(end, 0) { value = value << 8 | UInt64(base[index]) }
                return value
            }
            let count = bytes.count
            words.3 = word(endingAt: count)
            if count > 8 { words.2 = word(endingAt: count &- 8) }
            if count > 16 { words.1 = word(endingAt: count &- 16) }
            if count > 24 { words.0 = word(endingAt: count &- 24) }
        }
        var limbs = InlineArray<4, UInt64>(repeating: 0)
        withUnsafeMutableBytes(of: &limbs) { raw in
            raw.storeBytes(of: SIMD2(words.0, words.1), toByteOffset: 0, as: SIMD2<UInt64>.self)
            raw.storeBytes(of: SIMD2(words.2, words.3), toByteOffset: 16, as: SIMD2<UInt64>.self)
        }
        self.init(limbs: limbs)
    }

    /// The value as a ``BigUInt``; and back, when it fits.
    public var bigUInt: BigUInt { BigUInt(bigEndianBytes: bigEndianBytes) }
    public init?(_ value: BigUInt) { self.init(bigEndianBytes: value.bigEndianBytes) }

    /// Minimal big-endian bytes; empty for zero.
    public var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in 0..<4 {
            let limb = limbs[index]
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift)))
            }
        }
        return Array(bytes.drop(while: { $0 == 0 }))
    }

    /// The value if it fits 64 bits.
    public var uint64: UInt64? {
        limbs[0] == 0 && limbs[1] == 0 && limbs[2] == 0 ? limbs[3] : nil
    }

    /// `self − value`, or nil when that would be negative.
    public func subtracting(_ value: UInt64) -> UInt256? {
        var result = limbs
        var borrow = value
        for index in stride(from: 3, through: 0, by: -1) where borrow != 0 {
            let (difference, overflow) = result[index].subtractingReportingOverflow(borrow)
            result[index] = difference
            borrow = overflow ? 1 : 0
        }
        return borrow == 0 ? UInt256(limbs: result) : nil
    }

    /// `self / 2`, rounded down.
    public var halved: UInt256 {
        var result = limbs
        for index in stride(from: 3, through: 0, by: -1) {
            result[index] = limbs[index] >> 1 | (index > 0 ? limbs[index - 1] << 63 : 0)
        }
        return UInt256(limbs: result)
    }

    /// The lowest bit.
    public var isOdd: Bool { limbs[3] & 1 == 1 }

    /// The value in decimal.
    public var description: String { bigUInt.description }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        for index in 0..<4 where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    public static func == (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.limbs[0] == rhs.limbs[0] && lhs.limbs[1] == rhs.limbs[1] && lhs.limbs[2] == rhs.limbs[2]
            && lhs.limbs[3] == rhs.limbs[3]
    }

    public func hash(into hasher: inout Hasher) {
        for index in 0..<4 { hasher.combine(limbs[index]) }
    }
}

/// A canonical integer of at most 32 bytes.
extension UInt256: RLPCodable {
    @inlinable
    public func encode(to writer: inout RLPWriter) {
        writer.write(bytes: bigEndianBytes)
    }

    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.withNextByteString { bytes, offset throws(RLPError) in
            guard bytes.count <= 32, let value = UInt256(bigEndianBytes: bytes) else {
                throw RLPError(.integerOverflow, "\(bytes.count)-byte integer does not fit UInt256", at: offset)
            }
            guard bytes.first != 0 else {
                throw RLPError(.nonCanonicalInteger, "integer has a leading zero byte", at: offset)
            }
            return value
        }
    }
}
