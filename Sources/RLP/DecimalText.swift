// SPDX-License-Identifier: Apache-2.0

/// Numbers as decimal text, appended as bytes or written through a pointer: for writers that render a line per
/// message (a replay's transcript), where a string per number costs more than the rest of the line.
public enum DecimalText {
    /// Appends `value` in decimal to `out`, as `String(value)` writes it.
    public static func append(_ value: Int, to out: inout [UInt8]) {
        out.appendWriting(atMost: maximumIntegerLength) { writeInteger(value, to: $0) }
    }

    /// Appends `value` with `digits` decimals to `out` (the whole part truncated toward zero, the fraction rounded).
    public static func append(_ value: Double, digits: Int, to out: inout [UInt8]) {
        out.appendWriting(atMost: maximumDecimalLength(digits: digits)) { writeDecimal(value, digits, to: $0) }
    }

    /// The longest `Int` in decimal: a sign and 19 digits.
    public static let maximumIntegerLength = 20

    /// The longest ``writeDecimal(_:_:to:)`` output for `digits` decimals (or of Swift's own form, past what an
    /// integer holds).
    public static func maximumDecimalLength(digits: Int) -> Int { max(maximumIntegerLength + 2 + digits, 32) }

    /// Writes `value` as `String(value)` would; returns the bytes written (at most ``maximumIntegerLength``).
    public static func writeInteger(_ value: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            count = 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var limit: UInt = 10
        while magnitude >= limit && digits < 19 {
            digits += 1
            limit &*= 10
        }
        if digits == 19 && magnitude >= limit { digits = 20 }
        var index = count + digits - 1
        repeat {
            out[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
        return count + digits
    }

    /// Writes `value` with `digits` decimals (the whole part truncated toward zero, the fraction rounded); returns
    /// the bytes written (at most ``maximumDecimalLength(digits:)``).
    public static func writeDecimal(_ value: Double, _ digits: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 0x1p62 else {
            // Past what an integer holds: the shortest form Swift prints (never reached by a capture's times).
            let text = Array(String(value).utf8.prefix(32))
            for (index, byte) in text.enumerated() { out[index] = byte }
            return text.count
        }
        // Below 2^53 the scaled value is an exact integer and integer division gives what the floating-point one
        // gives (whole part truncated, remainder of the magnitude), without a call to fmod.
        let exact = abs(scaled) < 0x1p53 && scale < 0x1p53
        let whole = exact ? Int(scaled) / Int(scale) : Int(scaled / scale)
        guard digits > 0 else { return writeInteger(whole, to: out) }
        var count = 0
        if value < 0 && whole == 0 {
            out[0] = UInt8(ascii: "-")
            count = 1
        }
        count += writeInteger(whole, to: out + count)
        out[count] = UInt8(ascii: ".")
        count += 1
        var fraction = exact ? abs(Int(scaled) % Int(scale)) : Int(abs(scaled).truncatingRemainder(dividingBy: scale))
        for index in stride(from: count + digits - 1, through: count, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        return count + digits
    }
}
