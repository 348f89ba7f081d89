// SPDX-License-Identifier: Apache-2.0

/// Every way a frame, a message in it or its compressed payload can be wrong. Carries sizes, never plaintext.
public struct FramingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The header MAC does not match: nothing in the header was trusted.
        public static let headerMACMismatch = Code("headerMACMismatch")
        /// The frame MAC does not match the body.
        public static let frameMACMismatch = Code("frameMACMismatch")
        /// A frame size above the configured limit (checked before anything is allocated), or data too large to send.
        public static let frameTooLarge = Code("frameTooLarge")
        /// A MAC failed earlier on this stream: it accepts nothing more.
        public static let streamFailed = Code("streamFailed")
        /// Header data longer than the 13 bytes a frame header has room for (a caller's mistake, not the peer's).
        public static let headerDataTooLarge = Code("headerDataTooLarge")
        /// Fewer bytes than the part of a frame being opened (a caller's mistake: ``FrameDecoder`` never does it).
        public static let incompleteFrame = Code("incompleteFrame")
        /// Frame data that does not start with a canonical RLP integer (the message code).
        public static let invalidMessageCode = Code("invalidMessageCode")
        /// A message's compressed payload is corrupt or declares too much.
        public static let invalidCompression = Code("invalidCompression")
        /// A snappy block's length header is not a valid varint, or its body does not decode to that length.
        public static let snappyCorrupt = Code("snappyCorrupt")
        /// A snappy block declares more than the limit (checked before anything is allocated).
        public static let snappyTooLarge = Code("snappyTooLarge")
    }

    public let code: Code
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "FramingError.\(code.name): \(reason)" }
    public static func == (lhs: FramingError, rhs: FramingError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public static let headerMACMismatch = FramingError(.headerMACMismatch, "header MAC does not match")
    public static let frameMACMismatch = FramingError(.frameMACMismatch, "frame MAC does not match")
    public static let frameTooLarge = FramingError(.frameTooLarge, "frame is larger than the limit")
    public static let streamFailed = FramingError(.streamFailed, "a MAC failed earlier; the stream accepts nothing more")
    public static let headerDataTooLarge = FramingError(.headerDataTooLarge, "header data longer than 13 bytes")
    public static let incompleteFrame = FramingError(.incompleteFrame, "fewer bytes than the frame part needs")
    public static let invalidMessageCode = FramingError(.invalidMessageCode, "message code is not a canonical RLP integer")
    public static let invalidCompression = FramingError(.invalidCompression, "payload does not decompress")
    public static let snappyCorrupt = FramingError(.snappyCorrupt, "not a valid snappy block")
    public static let snappyTooLarge = FramingError(.snappyTooLarge, "declared length exceeds the limit")
}
