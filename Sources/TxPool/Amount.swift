// SPDX-License-Identifier: Apache-2.0
import RLP

/// A non-negative integer of up to 384 bits, for wei amounts: a transaction's cost (value + gas × fee cap + blob
/// gas × blob fee cap) and an account's pooled spending can pass 2²⁵⁶, which go-ethereum handles with big integers.
/// Only what the pool needs: sums, products and quotients by 64-bit numbers, differences, comparison.
struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Six 64-bit limbs, least significant first.
    private var limbs: InlineArray<6, UInt64>

    static let zero = Amount(UInt64(0))

    init(_ value: UInt64) {
        limbs = InlineArray(repeating: 0)
        limbs[0] = value
    }

    init(_ value: UInt256) {
        limbs = InlineArray(repeating: 0)
        for (index, byte) in value.bigEndianBytes.reversed().enumerated() {
            limbs[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
        }
    }

    /// Minimal big-endian bytes (empty for zero).
    var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        for index in stride(from: 5, through: 0, by: -1) {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: limbs[index] >> UInt64(shift)))
            }
        }
        return Array(bytes.drop(while: { $0 == 0 }))
    }

    var description: String { BigUInt(bigEndianBytes: bigEndianBytes).description }

    /// The sum; the inputs here stay far below 2³⁸⁴, so the final carry is always zero.
    static func + (a: Amount, b: Amount) -> Amount {
        var result = a
        var carry: UInt64 = 0
        for index in 0..<6 {
            let (sum, overflow1) = a.limbs[index].addingReportingOverflow(b.limbs[index])
            let (total, overflow2) = sum.addingReportingOverflow(carry)
            result.limbs[index] = total
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return result
    }

    /// `a − b`, or nil when `b > a`.
    static func - (a: Amount, b: Amount) -> Amount? {
        guard b <= a else { return nil }
        var result = a
        var borrow: UInt64 = 0
        for index in 0..<6 {
            let (difference, overflow1) = a.limbs[index].subtractingReportingOverflow(b.limbs[index])
            let (total, overflow2) = difference.subtractingReportingOverflow(borrow)
            result.limbs[index] = total
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        return result
    }

    /// `self × factor` (a 256-bit value times a 64-bit one fits in 320 bits).
    func multiplied(by factor: UInt64) -> Amount {
        var result = Amount.zero
        var carry: UInt64 = 0
        for index in 0..<6 {
            let (high, low) = limbs[index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            result.limbs[index] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        return result
    }

    /// `self / divisor`, rounded down (`divisor` > 0).
    func divided(by divisor: UInt64) -> Amount {
        guard divisor > 0 else { return self }
        var result = Amount.zero
        var remainder: UInt64 = 0
        for index in stride(from: 5, through: 0, by: -1) {
            let (quotient, rest) = divisor.dividingFullWidth((remainder, limbs[index]))
            result.limbs[index] = quotient
            remainder = rest
        }
        return result
    }

    static func < (a: Amount, b: Amount) -> Bool {
        for index in stride(from: 5, through: 0, by: -1) where a.limbs[index] != b.limbs[index] {
            return a.limbs[index] < b.limbs[index]
        }
        return false
    }

    static func == (a: Amount, b: Amount) -> Bool {
        for index in 0..<6 where a.limbs[index] != b.limbs[index] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        for index in 0..<6 { hasher.combine(limbs[index]) }
    }
}
