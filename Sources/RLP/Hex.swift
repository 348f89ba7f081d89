// SPDX-License-Identifier: Apache-2.0

/// Hexadecimal text to bytes and back.
public enum Hex {
    /// Why text is not hex.
    public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The position of the offending character (counted in Unicode scalars, whitespace included).
        public let position: Int
        /// What was wrong.
        public let reason: String
        public var description: String { "invalid hex: \(reason) at character \(position)" }
    }

    /// Decodes hex digits of either case; an optional `0x`/`0X` prefix and any whitespace are ignored.
    /// - Throws: ``DecodingError`` for any other character or an odd number of digits.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        try decode(text, allowingWhitespace: true)
    }

    /// Decodes hex digits of either case; an optional `0x`/`0X` prefix is ignored, and any whitespace unless
    /// `allowingWhitespace` is false (a hash or a key on a wire, where a blank is an error).
    /// - Throws: ``DecodingError`` for any other character or an odd number of digits.
    public static func decode(_ text: some StringProtocol, allowingWhitespace: Bool) throws(DecodingError) -> [UInt8] {
        var scalars = Array(text.unicodeScalars)
        var skipped = 0
        while allowingWhitespace, let first = scalars.first, first.properties.isWhitespace {
            scalars.removeFirst()
            skipped += 1
        }
        if scalars.count >= 2, scalars[0] == "0", scalars[1] == "x" || scalars[1] == "X" {
            scalars.removeFirst(2)
            skipped += 2
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count / 2)
        var high: UInt8?
        var highPosition = 0
        for (index, scalar) in scalars.enumerated() {
            if allowingWhitespace, scalar.properties.isWhitespace { continue }
            guard let nibble = nibble(scalar) else {
                throw DecodingError(position: index + skipped, reason: "'\(scalar)' is not a hex digit")
            }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
                highPosition = index + skipped
            }
        }
        if high != nil {
            throw DecodingError(position: highPosition, reason: "odd number of hex digits")
        }
        return bytes
    }

    /// Lowercase hex without a prefix.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String { encode(bytes, prefixed: false) }

    /// Lowercase hex, after `0x` when `prefixed`.
    public static func encode(_ bytes: some Sequence<UInt8>, prefixed: Bool) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = prefixed ? Array("0x".utf8) : []
        out.reserveCapacity(out.count + bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func nibble(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: UInt8(scalar.value - 0x30)
        case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
        case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
        default: nil
        }
    }
}
