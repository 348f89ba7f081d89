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

    /// Frame data for this message, with the payload compressed or not.
    public func frameData(compressed: Bool) -> [UInt8] {
        code.rlpEncoded() + (compressed ? Snappy.compress(payload) : payload)
    }

    /// Reads frame data, decompressing the payload when `compressed`, with `maximumLength` as snappy's limit.
    public init(frameData: [UInt8], compressed: Bool, maximumLength: Int = Snappy.maximumDecompressedLength) throws(FramingError) {
        self = try frameData.withUnsafeBytes { bytes in
            Result { () throws(FramingError) in try Message(frameData: bytes, compressed: compressed, maximumLength: maximumLength) }
        }.get()
    }

    /// ``init(frameData:compressed:maximumLength:)`` over borrowed bytes (a frame decrypted where it was
    /// received): the payload is the only allocation.
    public init(
        frameData: UnsafeRawBufferPointer, compressed: Bool, maximumLength: Int = Snappy.maximumDecompressedLength
    ) throws(FramingError) {
        let codeLength: Int
        (code, codeLength) = try Self.readCode(frameData)
        let rest = UnsafeRawBufferPointer(rebasing: frameData[codeLength...])
        if compressed {
            do throws(FramingError) {
                payload = try Snappy.decompress(rest, maximumLength: maximumLength)
            } catch {
                throw FramingError(.invalidCompression, error.description)
            }
        } else {
            payload = Array(rest)
        }
    }

    /// The code at the start of frame data and the bytes its RLP takes. Every code in use is one byte (0x80 for
    /// zero, 0x01 ... 0x7f itself), read without allocating; anything else goes through the RLP reader.
    package static func readCode(_ frameData: UnsafeRawBufferPointer) throws(FramingError) -> (code: UInt64, length: Int) {
        if let first = frameData.first, first == 0x80 || (first > 0 && first < 0x80) {
            return (first == 0x80 ? 0 : UInt64(first), 1)
        }
        // A code is at most nine bytes of RLP, so the reader needs only the first few.
        var reader = RLPReader(frameData.prefix(16))
        do throws(RLPError) {
            return (try reader.readInteger(UInt64.self), reader.offset)
        } catch {
            throw FramingError(.invalidMessageCode, "message code: \(error)")
        }
    }

    /// The RLP encoding of `code` lent to `body`, without allocating for the one-byte codes every protocol uses.
    static func withEncodedCode<Result>(_ code: UInt64, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        guard code < 0x80 else { return code.rlpEncoded().withUnsafeBytes(body) }
        return withUnsafeBytes(of: code == 0 ? UInt8(0x80) : UInt8(truncatingIfNeeded: code), body)
    }
}
