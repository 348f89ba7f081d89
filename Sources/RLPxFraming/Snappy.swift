// SPDX-License-Identifier: Apache-2.0
import CSnappy

/// Snappy's raw block format through Debian's libsnappy, as devp2p uses it for message payloads (p2p v5+).
public enum Snappy {
    /// The largest decompressed message accepted: 16 MiB − 1, go-ethereum's limit (`maxUint24`).
    public static let maximumDecompressedLength = 0xFF_FFFF

    /// Why compressed bytes were refused.
    public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        public let code: String
        public let reason: String
        public var description: String { "Snappy.\(code): \(reason)" }
        public static func == (lhs: DecodingError, rhs: DecodingError) -> Bool { lhs.code == rhs.code }
        public func hash(into hasher: inout Hasher) { hasher.combine(code) }

        /// The length header is not a valid varint, or the body does not decode to it.
        public static let corrupt = DecodingError(code: "corrupt", reason: "not a valid snappy block")
        /// The declared length exceeds the limit (checked before anything is allocated).
        public static let tooLarge = DecodingError(code: "tooLarge", reason: "declared length exceeds the limit")
    }

    /// The raw snappy block of `bytes`.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var length = snappy_max_compressed_length(bytes.count)
        var output = [UInt8](repeating: 0, count: length)
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                input.withMemoryRebound(to: CChar.self) { source in
                    out.withMemoryRebound(to: CChar.self) { destination in
                        snappy_compress(source.baseAddress, input.count, destination.baseAddress, &length)
                    }
                }
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress failed")
        output.removeLast(output.count - length)
        return output
    }

    /// The length a block declares, read from its varint header alone.
    /// - Throws: ``DecodingError/corrupt`` for a bad header.
    public static func declaredLength(_ bytes: [UInt8]) throws(DecodingError) -> Int {
        var length = 0
        let status = bytes.withUnsafeBufferPointer { input in
            input.withMemoryRebound(to: CChar.self) { snappy_uncompressed_length($0.baseAddress, input.count, &length) }
        }
        guard status == SNAPPY_OK else { throw .corrupt }
        return length
    }

    /// Decompresses a raw block, refusing a declared length above `maximumLength` before allocating for it.
    /// - Throws: ``DecodingError/tooLarge`` or ``DecodingError/corrupt``.
    public static func decompress(
        _ bytes: [UInt8], maximumLength: Int = maximumDecompressedLength
    ) throws(DecodingError) -> [UInt8] {
        let declared = try declaredLength(bytes)
        guard declared <= maximumLength else {
            throw DecodingError(code: "tooLarge", reason: "declared length \(declared) exceeds \(maximumLength)")
        }
        var output = [UInt8](repeating: 0, count: declared)
        var length = declared
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                input.withMemoryRebound(to: CChar.self) { source in
                    out.withMemoryRebound(to: CChar.self) { destination in
                        snappy_uncompress(source.baseAddress, input.count, destination.baseAddress, &length)
                    }
                }
            }
        }
        guard status == SNAPPY_OK, length == declared else { throw .corrupt }
        return output
    }
}
