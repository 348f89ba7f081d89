// SPDX-License-Identifier: Apache-2.0

/// The header of one encoded item: what it is and how long its parts are.
///
/// Parsing enforces every size rule of the canonical encoding (devp2p rlp.md, geth `rlp/decode.go` `readKind`),
/// so no other code checks them again.
///
/// Public for decoders that walk a buffer by position (the eth views) instead of through an ``RLPReader``.
public struct RLPHeader: Sendable {
    /// True for a list, false for a byte string.
    public var isList: Bool
    /// Bytes before the payload: 0 for a single byte below 0x80, 1 for short forms, 1 + length-of-length otherwise.
    public var headerLength: Int
    /// Bytes of payload.
    public var payloadLength: Int

    /// Header and payload bytes.
    @inlinable public var totalLength: Int { headerLength &+ payloadLength }

    @inlinable init(isList: Bool, headerLength: Int, payloadLength: Int) {
        self.isList = isList
        self.headerLength = headerLength
        self.payloadLength = payloadLength
    }

    /// Parses the header of the item at `offset`, which must end at or before `limit`.
    ///
    /// - Parameters:
    ///   - inList: whether `limit` is the end of a containing list (an overrun is then ``RLPError/Code/elementTooLarge``)
    ///     rather than the end of the input (``RLPError/Code/valueTooLarge``); at `limit` itself the error is
    ///     ``RLPError/Code/tooFewElements`` in a list and ``RLPError/Code/unexpectedEnd`` otherwise.
    @inlinable
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at offset: Int,
        limit: Int,
        inList: Bool
    ) throws(RLPError) -> RLPHeader {
        guard offset < limit else {
            throw inList
                ? RLPError(.tooFewElements, "read past the end of the list", at: offset)
                : RLPError(.unexpectedEnd, "input ended where an item should start", at: offset)
        }
        let available = limit &- offset
        let first = bytes[offset]
        switch first {
        case 0x00...0x7f:
            return RLPHeader(isList: false, headerLength: 0, payloadLength: 1)
        case 0x80...0xb7:
            let length = Int(first &- 0x80)
            guard length < available else { throw overrun(offset, claimed: length, inList: inList) }
            if length == 1 && bytes[offset &+ 1] < 0x80 {
                throw RLPError(.nonCanonicalSize, "single byte below 0x80 wrapped as a string", at: offset)
            }
            return RLPHeader(isList: false, headerLength: 1, payloadLength: length)
        case 0xc0...0xf7:
            let length = Int(first &- 0xc0)
            guard length < available else { throw overrun(offset, claimed: length, inList: inList) }
            return RLPHeader(isList: true, headerLength: 1, payloadLength: length)
        default:
            let isList = first >= 0xf8
            let lengthOfLength = Int(first &- (isList ? 0xf7 : 0xb7))
            guard lengthOfLength < available else {
                throw overrun(offset, claimed: lengthOfLength, inList: inList)
            }
            let length = try longLength(bytes, at: offset, lengthOfLength: lengthOfLength)
            let headerLength = 1 &+ lengthOfLength
            guard length <= UInt64(available &- headerLength) else {
                throw overrun(offset, claimed: length, inList: inList)
            }
            return RLPHeader(isList: isList, headerLength: headerLength, payloadLength: Int(length))
        }
    }

    /// The length in a long-form header whose `lengthOfLength` bytes follow `offset` (the caller checked they are
    /// there): no leading zeros, and at least 56, or a shorter form was due.
    @inlinable
    static func longLength(
        _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, lengthOfLength: Int
    ) throws(RLPError) -> UInt64 {
        guard bytes[offset &+ 1] != 0 else {
            throw RLPError(.nonCanonicalSize, "length has leading zero bytes", at: offset)
        }
        var length: UInt64 = 0
        for index in 1...lengthOfLength {
            length = length << 8 | UInt64(bytes[offset &+ index])
        }
        guard length >= 56 else {
            throw RLPError(.nonCanonicalSize, "long form used for length \(length), under 56", at: offset)
        }
        return length
    }

    @usableFromInline @inline(never)
    static func overrun(_ offset: Int, claimed: some BinaryInteger, inList: Bool) -> RLPError {
        inList
            ? RLPError(.elementTooLarge, "item of \(claimed) payload bytes runs past the end of its list", at: offset)
            : RLPError(.valueTooLarge, "item of \(claimed) payload bytes runs past the end of the input", at: offset)
    }

    /// The number of header bytes for a payload of `length` bytes (byte strings of one byte below 0x80 excepted).
    @inlinable
    static func length(forPayload length: Int) -> Int {
        length < 56 ? 1 : 1 &+ byteCount(UInt64(length))
    }

    /// Bytes needed for `value` in big-endian form without leading zeros (0 for zero).
    @inlinable
    static func byteCount(_ value: UInt64) -> Int {
        (64 &- value.leadingZeroBitCount &+ 7) >> 3
    }
}
