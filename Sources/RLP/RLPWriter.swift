// SPDX-License-Identifier: Apache-2.0

/// Writes RLP in two passes over the same description: the first measures every list, the second writes each
/// byte once into a buffer of exactly the right size, so nested lists are never re-copied.
///
/// Types describe themselves in ``RLPEncodable/encode(to:)``, which the writer calls once per pass; it must write
/// the same items both times.
public struct RLPWriter {
    @usableFromInline var measuring = true
    @usableFromInline var length = 0
    @usableFromInline var listSizes: [Int] = []
    @usableFromInline var nextList = 0
    @usableFromInline var output: [UInt8] = []

    @usableFromInline init() {}

    /// Encodes whatever `describe` writes.
    @inlinable
    public static func encode(_ describe: (inout RLPWriter) -> Void) -> [UInt8] {
        var writer = RLPWriter()
        describe(&writer)
        writer.measuring = false
        writer.output.reserveCapacity(writer.length)
        describe(&writer)
        precondition(
            writer.output.count == writer.length && writer.nextList == writer.listSizes.count,
            "RLPEncodable.encode(to:) wrote different items in its two passes")
        return writer.output
    }

    /// Writes a byte string.
    @inlinable
    public mutating func write(bytes: some Collection<UInt8>) {
        let count = bytes.count
        if count == 1, let byte = bytes.first, byte < 0x80 {
            if measuring { length &+= 1 } else { output.append(byte) }
            return
        }
        writeHeader(payloadLength: count, shortBase: 0x80)
        if measuring { length &+= count } else { output.append(contentsOf: bytes) }
    }

    /// Writes an unsigned integer in canonical form: big-endian without leading zeros, zero as the empty string.
    @inlinable
    public mutating func write<T: FixedWidthInteger & UnsignedInteger>(integer value: T) {
        if value < 0x80 {
            let byte: UInt8 = value == 0 ? 0x80 : UInt8(truncatingIfNeeded: value)
            if measuring { length &+= 1 } else { output.append(byte) }
            return
        }
        let byteCount = (T.bitWidth &- value.leadingZeroBitCount &+ 7) >> 3
        writeHeader(payloadLength: byteCount, shortBase: 0x80)
        if measuring {
            length &+= byteCount
        } else {
            var shift = (byteCount &- 1) &* 8
            while shift >= 0 {
                output.append(UInt8(truncatingIfNeeded: value >> shift))
                shift &-= 8
            }
        }
    }

    /// Writes a list whose elements `body` writes.
    @inlinable
    public mutating func writeList(_ body: (inout RLPWriter) -> Void) {
        if measuring {
            let index = listSizes.count
            listSizes.append(0)
            let start = length
            body(&self)
            let payload = length &- start
            listSizes[index] = payload
            length &+= RLPHeader.length(forPayload: payload)
        } else {
            precondition(nextList < listSizes.count, "RLPEncodable.encode(to:) wrote more lists than it measured")
            let payload = listSizes[nextList]
            nextList &+= 1
            writeHeader(payloadLength: payload, shortBase: 0xc0)
            body(&self)
        }
    }

    /// Writes a value.
    @inlinable
    public mutating func write(_ value: some RLPEncodable) {
        value.encode(to: &self)
    }

    /// Writes bytes that are already RLP (one or more complete items), verbatim.
    @inlinable
    public mutating func write(encoded: some Collection<UInt8>) {
        if measuring { length &+= encoded.count } else { output.append(contentsOf: encoded) }
    }

    @inlinable
    mutating func writeHeader(payloadLength: Int, shortBase: UInt8) {
        if measuring {
            length &+= RLPHeader.length(forPayload: payloadLength)
            return
        }
        if payloadLength < 56 {
            output.append(shortBase &+ UInt8(truncatingIfNeeded: payloadLength))
            return
        }
        let lengthOfLength = RLPHeader.byteCount(UInt64(payloadLength))
        output.append(shortBase &+ 55 &+ UInt8(truncatingIfNeeded: lengthOfLength))
        var shift = (lengthOfLength &- 1) &* 8
        while shift >= 0 {
            output.append(UInt8(truncatingIfNeeded: payloadLength >> shift))
            shift &-= 8
        }
    }
}
