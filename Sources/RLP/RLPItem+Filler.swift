// SPDX-License-Identifier: Apache-2.0

extension RLPWriter {
    /// The header bytes the encoder writes before a byte string or list payload of `count` bytes (a byte string
    /// of one byte below 0x80 has none: it is its own encoding).
    public static func headerLength(forPayload count: Int) -> Int {
        RLPHeader.length(forPayload: count)
    }

    /// The length of the byte string (above one byte below 0x80) that encodes to exactly `size` bytes, header
    /// included; nil when no RLP item has that size (57, 258, 65,539 and 16,777,220 bytes fall between two header
    /// lengths).
    public static func byteStringLength(encodedSize size: Int) -> Int? {
        guard size > 1 else { return size == 1 ? 0 : nil }
        // The header grows with the payload, so at most one payload length fits.
        return (1...9).first { size > $0 && headerLength(forPayload: size - $0) == $0 }.map { size - $0 }
    }
}

extension RLPItem {
    /// A byte string of random bytes whose encoding is exactly `encodedSize` bytes; nil when no RLP item has that
    /// size (``RLPWriter/byteStringLength(encodedSize:)``).
    public static func filler(encodedSize size: Int, using random: inout some RandomNumberGenerator) -> RLPItem? {
        guard let length = RLPWriter.byteStringLength(encodedSize: size) else { return nil }
        var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        // A single byte below 0x80 would be its own encoding, one byte short.
        if length == 1 { bytes[0] |= 0x80 }
        return .bytes(bytes)
    }
}
