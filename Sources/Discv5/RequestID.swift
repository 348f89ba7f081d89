// SPDX-License-Identifier: Apache-2.0
import RLP

/// A request ID: an opaque byte string of at most 8 bytes that a response repeats.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    /// The ID's bytes, as sent.
    public let bytes: [UInt8]

    /// The longest request ID.
    public static let maximumSize = 8

    /// An ID of `bytes`.
    /// - Throws: ``Discv5Error/Code/requestIDTooLong`` past 8 bytes.
    public init(_ bytes: some Collection<UInt8>) throws(Discv5Error) {
        guard bytes.count <= Self.maximumSize else {
            throw Discv5Error(.requestIDTooLong, "a request ID of \(bytes.count) bytes is over 8", field: "requestID")
        }
        self.bytes = Array(bytes)
    }

    /// An ID of the 8 big-endian bytes of `value` (random IDs are usually made this way).
    public init(_ value: UInt64) {
        bytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    public var description: String { "0x" + Hex.encode(bytes) }

    /// Reads the first field of a message body.
    init(rlp reader: inout RLPReader) throws(RLPError) {
        let offset = reader.offset
        let payload = try reader.readBytes()
        guard payload.count <= Self.maximumSize else {
            throw RLPError(.wrongByteCount, "a request ID of \(payload.count) bytes is over 8", at: offset, path: ["requestID"])
        }
        bytes = Array(payload)
    }
}
