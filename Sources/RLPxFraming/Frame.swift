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
    /// The 13 bytes after the size: RLP header-data then padding, as received. Not interpreted by the codec;
    /// go-ethereum ignores it too.
    public var headerData: [UInt8]
}

/// One received frame: its header and its data (message code and payload, padding removed).
public struct ReceivedFrame: Sendable, Hashable {
    public var header: FrameHeader
    public var data: [UInt8]
}
