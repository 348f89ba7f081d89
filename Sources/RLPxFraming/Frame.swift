// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// Sizes of the RLPx frame format (devp2p rlpx.md, "Framing").
public enum Frame {
    /// The encrypted header: 3-byte frame size, header-data, zero padding.
    public static let headerLength = 16
    /// Each MAC on the wire.
    public static let macLength = RLPxMAC.tagLength
    /// The largest frame size the 24-bit field can express: 16 MiB − 1.
    public static let maximumSize = 0xFF_FFFF
    /// The header-data every current implementation writes: RLP `[0, 0]` (capability-id, context-id).
    public static let defaultHeaderData: [UInt8] = [0xc2, 0x80, 0x80]
    /// Bytes of header data a frame header holds (16 − 3 bytes of size).
    public static let headerDataCapacity = 13

    /// The bytes a frame of `size` data bytes takes on the wire.
    public static func wireLength(forSize size: Int) -> Int {
        headerLength + macLength + paddedLength(size) + macLength
    }

    /// `size` rounded up to whole AES blocks.
    public static func paddedLength(_ size: Int) -> Int { (size + 15) & ~15 }
}

/// A decrypted, authenticated frame header.
public struct FrameHeader: Sendable, Hashable {
    /// Bytes of frame data (before padding).
    public var size: Int
    /// Header bytes 3 ..< 11 and 11 ..< 16, little-endian: the header data held without an allocation.
    private var headerDataWords: (low: UInt64, high: UInt64)

    /// The 13 bytes after the size: RLP header-data then padding, as received. Not interpreted by the codec;
    /// go-ethereum ignores it too.
    public var headerData: [UInt8] {
        (0..<Frame.headerDataCapacity).map { index in
            index < 8
                ? UInt8(truncatingIfNeeded: headerDataWords.low >> (8 * index))
                : UInt8(truncatingIfNeeded: headerDataWords.high >> (8 * (index - 8)))
        }
    }

    /// The header in a decrypted 16-byte header block.
    init(decrypted header: UnsafeRawBufferPointer) {
        size = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
        var low: UInt64 = 0
        var high: UInt64 = 0
        for index in 0..<8 { low |= UInt64(header[3 + index]) << (8 * index) }
        for index in 8..<Frame.headerDataCapacity { high |= UInt64(header[3 + index]) << (8 * (index - 8)) }
        headerDataWords = (low, high)
    }

    /// Whether `other` carries the same header data (sizes aside), without building either array.
    public func hasSameHeaderData(as other: FrameHeader) -> Bool { headerDataWords == other.headerDataWords }

    public static func == (lhs: FrameHeader, rhs: FrameHeader) -> Bool {
        lhs.size == rhs.size && lhs.headerDataWords == rhs.headerDataWords
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        hasher.combine(headerDataWords.low)
        hasher.combine(headerDataWords.high)
    }
}

/// One received frame: its header and its data (message code and payload, padding removed).
public struct ReceivedFrame: Sendable, Hashable {
    public var header: FrameHeader
    public var data: [UInt8]

    public init(header: FrameHeader, data: [UInt8]) {
        self.header = header
        self.data = data
    }
}
