// SPDX-License-Identifier: Apache-2.0
import CSnappy

/// Snappy's raw block format through Debian's libsnappy, as devp2p uses it for message payloads (p2p v5+).
public enum Snappy {
    /// The largest decompressed message accepted: 16 MiB − 1, go-ethereum's limit (`maxUint24`).
    public static let maximumDecompressedLength = 0xFF_FFFF

    /// The raw snappy block of `bytes`.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maximumCompressedLength(bytes.count)) { buffer, count in
            count = bytes.withUnsafeBytes { compress($0, into: UnsafeMutableRawBufferPointer(buffer)) }
        }
    }

    /// The most bytes the block of `count` input bytes can take.
    public static func maximumCompressedLength(_ count: Int) -> Int { snappy_max_compressed_length(count) }

    /// Writes the raw snappy block of `input` to the start of `output` (at least
    /// ``maximumCompressedLength(_:)`` bytes) and returns its length.
    package static func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var length = maximumCompressedLength(input.count)
        precondition(output.count >= length, "snappy needs room for its worst case")
        guard let source = input.baseAddress, !input.isEmpty else {
            output[0] = 0  // the block of nothing: a zero length and no body
            return 1
        }
        let status = snappy_compress(
            source.assumingMemoryBound(to: CChar.self), input.count,
            output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
        precondition(status == SNAPPY_OK, "snappy_compress failed with room for the worst case")
        return length
    }

    /// The length a block declares, read from its varint header alone.
    /// - Throws: ``FramingError/snappyCorrupt`` for a bad header.
    public static func declaredLength(_ bytes: [UInt8]) throws(FramingError) -> Int {
        try bytes.withUnsafeBytes { input in Result { () throws(FramingError) in try declaredLength(input) } }.get()
    }

    /// Decompresses a raw block, refusing a declared length above `maximumLength` before allocating for it.
    /// - Throws: ``FramingError/snappyTooLarge`` or ``FramingError/snappyCorrupt``.
    public static func decompress(
        _ bytes: [UInt8], maximumLength: Int = maximumDecompressedLength
    ) throws(FramingError) -> [UInt8] {
        try bytes.withUnsafeBytes { input in
            Result { () throws(FramingError) in try decompress(input, maximumLength: maximumLength) }
        }.get()
    }

    /// ``declaredLength(_:)-([UInt8])`` over borrowed bytes.
    public static func declaredLength(_ input: UnsafeRawBufferPointer) throws(FramingError) -> Int {
        guard let source = input.baseAddress else { throw .snappyCorrupt }
        var length = 0
        guard snappy_uncompressed_length(source.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK
        else { throw .snappyCorrupt }
        return length
    }

    /// ``decompress(_:maximumLength:)-([UInt8],_)`` over borrowed bytes: the output is the only allocation.
    public static func decompress(_ input: UnsafeRawBufferPointer, maximumLength: Int) throws(FramingError) -> [UInt8] {
        let declared = try declaredLength(input)
        guard declared <= maximumLength else {
            throw FramingError(.snappyTooLarge, "declared length \(declared) exceeds \(maximumLength)")
        }
        guard let source = input.baseAddress else { throw .snappyCorrupt }
        var length = declared
        var status = SNAPPY_OK
        let output = [UInt8](unsafeUninitializedCapacity: declared) { buffer, count in
            status = snappy_uncompress(
                source.assumingMemoryBound(to: CChar.self), input.count,
                UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), &length)
            // Snappy checks that the body fills exactly the declared length before it reports success.
            count = status == SNAPPY_OK && length == declared ? declared : 0
        }
        guard status == SNAPPY_OK, length == declared else { throw .snappyCorrupt }
        return output
    }
}
