// SPDX-License-Identifier: Apache-2.0
import RLP

/// A devp2p message as frame data carries it: the code (an RLP unsigned integer) followed by the payload, which
/// is snappy-compressed once both sides announced p2p version 5 or more (devp2p rlpx.md, "Message Compression").
public struct Message: Sendable, Hashable {
    /// The code on the wire: base protocol codes below 16, subprotocol codes after their offset.
    public var code: UInt64
    /// The payload, uncompressed: RLP in every devp2p protocol.
    public var payload: [UInt8]

    public init(code: UInt64, payload: [UInt8]) {
        self.code = code
        self.payload = payload
    }

    /// Why frame data is not a message.
    public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        public let code: String
        public let reason: String
        public var description: String { "Message.\(code): \(reason)" }
        public static func == (lhs: DecodingError, rhs: DecodingError) -> Bool { lhs.code == rhs.code }
        public func hash(into hasher: inout Hasher) { hasher.combine(code) }

        /// The frame data does not start with a canonical RLP integer.
        public static let invalidCode = DecodingError(code: "invalidCode", reason: "message code is not a canonical RLP integer")
        /// The compressed payload is corrupt or declares too much.
        public static let invalidCompression = DecodingError(code: "invalidCompression", reason: "payload does not decompress")
    }

    /// Frame data for this message, with the payload compressed or not.
    public func frameData(compressed: Bool) -> [UInt8] {
        code.rlpEncoded() + (compressed ? Snappy.compress(payload) : payload)
    }

    /// Reads frame data, decompressing the payload when `compressed`, with `maximumLength` as snappy's limit.
    public init(frameData: [UInt8], compressed: Bool, maximumLength: Int = Snappy.maximumDecompressedLength) throws(DecodingError) {
        self = try frameData.withUnsafeBytes { bytes in
            Result { () throws(DecodingError) in try Message(frameData: bytes, compressed: compressed, maximumLength: maximumLength) }
        }.get()
    }

    /// ``init(frameData:compressed:maximumLength:)`` over borrowed bytes (a frame decrypted where it was
    /// received): the payload is the only allocation.
    public init(
        frameData: UnsafeRawBufferPointer, compressed: Bool, maximumLength: Int = Snappy.maximumDecompressedLength
    ) throws(DecodingError) {
        let codeLength: Int
        (code, codeLength) = try Self.readCode(frameData)
        let rest = UnsafeRawBufferPointer(rebasing: frameData[codeLength...])
        if compressed {
            do throws(Snappy.DecodingError) {
                payload = try Snappy.decompress(rest, maximumLength: maximumLength)
            } catch {
                throw DecodingError(code: "invalidCompression", reason: error.description)
            }
        } else {
            payload = Array(rest)
        }
    }

    /// The code at the start of frame data and the bytes its RLP takes. Every code in use is one byte (0x80 for
    /// zero, 0x01 ... 0x7f itself), read without allocating; anything else goes through the RLP reader.
    package static func readCode(_ frameData: UnsafeRawBufferPointer) throws(DecodingError) -> (code: UInt64, length: Int) {
        if let first = frameData.first, first == 0x80 || (first > 0 && first < 0x80) {
            return (first == 0x80 ? 0 : UInt64(first), 1)
        }
        // A code is at most nine bytes of RLP, so the reader needs only the first few.
        var reader = RLPReader(frameData.prefix(16))
        do throws(RLPError) {
            return (try reader.readInteger(UInt64.self), reader.offset)
        } catch {
            throw DecodingError(code: "invalidCode", reason: "message code: \(error)")
        }
    }

    /// The RLP encoding of `code` lent to `body`, without allocating for the one-byte codes every protocol uses.
    static func withEncodedCode<Result>(_ code: UInt64, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        guard code < 0x80 else { return code.rlpEncoded().withUnsafeBytes(body) }
        return withUnsafeBytes(of: code == 0 ? UInt8(0x80) : UInt8(truncatingIfNeeded: code), body)
    }
}
