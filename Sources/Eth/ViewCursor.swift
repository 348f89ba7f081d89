// SPDX-License-Identifier: Apache-2.0
import RLP

/// The reader the eth views share: positions in a list of items inside a view's bytes, each call given the buffer,
/// so walking copies nothing and retains nothing. Every read checks RLP's size rules and the field's shape, and
/// throws ``RLPError`` with the offset (from the start of the view's bytes) and the field's name (none when empty).
///
/// Inlinable, like the views' cursors, so that a walk compiles into its caller: short headers are read in line and
/// errors are built out of line (``ViewError``), so the happy path makes no call per field.
@usableFromInline
struct ViewCursor: Sendable {
    @usableFromInline var position: Int
    @usableFromInline let end: Int

    @inlinable
    init(_ range: Range<Int>) {
        position = range.lowerBound
        end = range.upperBound
    }

    @inlinable var isAtEnd: Bool { position >= end }

    /// The next item: whether it is a list, where it starts and where its payload starts (it ends at `position`).
    @inlinable @inline(always)
    mutating func item(_ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString) throws(RLPError) -> ViewItem {
        let offset = position
        if offset < end {
            let first = buffer[offset]
            let available = end &- offset
            if first < 0x80 {
                position = offset &+ 1
                return ViewItem(isList: false, offset: offset, payload: offset)
            }
            if first < 0xb8 {
                let length = Int(first &- 0x80)
                if length < available, length != 1 || buffer[offset &+ 1] >= 0x80 {
                    position = offset &+ 1 &+ length
                    return ViewItem(isList: false, offset: offset, payload: offset &+ 1)
                }
            } else if first >= 0xc0, first < 0xf8 {
                let length = Int(first &- 0xc0)
                if length < available {
                    position = offset &+ 1 &+ length
                    return ViewItem(isList: true, offset: offset, payload: offset &+ 1)
                }
            } else {
                // Long forms of up to 4 length bytes; the rest, and every error, are RLPHeader's.
                let isList = first >= 0xf8
                let lengthOfLength = Int(first &- (isList ? 0xf7 : 0xb7))
                if lengthOfLength <= 4, lengthOfLength < available, buffer[offset &+ 1] != 0 {
                    var length = 0
                    for index in 1...lengthOfLength { length = length << 8 | Int(buffer[offset &+ index]) }
                    let header = 1 &+ lengthOfLength
                    if length >= 56, length <= available &- header {
                        position = offset &+ header &+ length
                        return ViewItem(isList: isList, offset: offset, payload: offset &+ header)
                    }
                }
            }
        }
        return try parsedItem(buffer, field)
    }

    /// An item the fast path does not take: RLP's header parser reads it or names the rule it breaks.
    @usableFromInline @inline(never)
    mutating func parsedItem(_ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString) throws(RLPError) -> ViewItem {
        let offset = position
        do throws(RLPError) {
            let header = try RLPHeader.parse(buffer, at: offset, limit: end, inList: true)
            position = offset &+ header.totalLength
            return ViewItem(isList: header.isList, offset: offset, payload: offset &+ header.headerLength)
        } catch {
            throw ViewError.named(error, field)
        }
    }

    /// The payload of the next item, which must be a list.
    @inlinable @inline(always)
    mutating func list(_ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString) throws(RLPError) -> Range<Int> {
        let item = try item(buffer, field)
        guard item.isList else { throw ViewError.expectedList(at: item.offset, field) }
        return item.payload..<position
    }

    /// The payload of the next item, which must be a byte string.
    @inlinable @inline(always)
    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString) throws(RLPError) -> Range<Int> {
        let item = try item(buffer, field)
        guard !item.isList else { throw ViewError.expectedBytes(at: item.offset, field) }
        return item.payload..<position
    }

    /// The next item as a canonical integer of type `T`.
    @inlinable @inline(always)
    mutating func integer<T: FixedWidthInteger & UnsignedInteger>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString, as type: T.Type = T.self
    ) throws(RLPError) -> T {
        let offset = position
        let payload = try bytes(buffer, field)
        guard !payload.isEmpty else { return 0 }
        let first = buffer[payload.lowerBound]
        guard payload.count <= MemoryLayout<T>.size, first != 0 else {
            throw ViewError.integer(buffer, payload, at: offset, field, as: T.self)
        }
        var value = T(first)
        var index = payload.lowerBound &+ 1
        while index < payload.upperBound {
            value = value << 8 | T(buffer[index])
            index &+= 1
        }
        return value
    }

    /// The payload of the next item, a canonical integer of at most 32 bytes (read with ``ViewValue/uint256(_:_:)``).
    @inlinable @inline(always)
    mutating func uint256(_ buffer: UnsafeBufferPointer<UInt8>, _ field: StaticString) throws(RLPError) -> Range<Int> {
        let offset = position
        let payload = try bytes(buffer, field)
        guard payload.count <= 32, payload.isEmpty || buffer[payload.lowerBound] != 0 else {
            throw ViewError.integer(buffer, payload, at: offset, field, as: UInt256.self)
        }
        return payload
    }

    /// The payload of the next item, a byte string of exactly `count` bytes (or empty, when `orEmpty`).
    @inlinable @inline(always)
    mutating func fixed(
        _ buffer: UnsafeBufferPointer<UInt8>, count: Int, _ field: StaticString, orEmpty: Bool = false
    ) throws(RLPError) -> Range<Int> {
        let offset = position
        let payload = try bytes(buffer, field)
        guard payload.count == count || (orEmpty && payload.isEmpty) else {
            throw ViewError.wrongByteCount(count, found: payload.count, at: offset, field)
        }
        return payload
    }

    /// Requires that no items remain.
    @inlinable @inline(always)
    func finish(_ what: StaticString) throws(RLPError) {
        guard position >= end else { throw ViewError.leftOver(what, at: position) }
    }
}

/// One item a ``ViewCursor`` read: its kind, where it starts and where its payload starts.
@usableFromInline
struct ViewItem {
    @usableFromInline let isList: Bool
    @usableFromInline let offset: Int
    @usableFromInline let payload: Int

    @inlinable
    init(isList: Bool, offset: Int, payload: Int) {
        self.isList = isList
        self.offset = offset
        self.payload = payload
    }
}

/// Values read from ranges a view has validated.
@usableFromInline
enum ViewValue {
    /// The integer whose canonical bytes are `range` (validated to fit 32 bytes).
    @inlinable @inline(always)
    static func uint256(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt256 {
        UInt256(bigEndianBytes: UnsafeBufferPointer(rebasing: buffer[range])) ?? .zero
    }

    /// The fixed-size value at `range` (validated to be `count` bytes long).
    @inlinable @inline(always)
    static func fixed<let count: Int>(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> FixedBytes<count> {
        var value = FixedBytes<count>()
        guard range.count == count, let source = buffer.baseAddress else { return value }
        value.withUnsafeMutableBytes { $0.baseAddress?.copyMemory(from: source + range.lowerBound, byteCount: count) }
        return value
    }

    /// The payload of the validated byte string of under 56 bytes at `offset` (an integer, an address).
    @inlinable @inline(always)
    static func shortPayload(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Range<Int> {
        let first = buffer[offset]
        if first < 0x80 { return offset..<(offset &+ 1) }
        return (offset &+ 1)..<(offset &+ 1 &+ Int(first & 0x3f))
    }

    /// The payload of the validated item at `offset` (a byte string or a list).
    @inlinable @inline(always)
    static func payload(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Range<Int> {
        let first = buffer[offset]
        if first < 0x80 { return offset..<(offset &+ 1) }
        let short = first >= 0xc0 ? first &- 0xc0 : first &- 0x80
        if short < 56 { return (offset &+ 1)..<(offset &+ 1 &+ Int(short)) }
        let lengthOfLength = Int(short &- 55)
        var length = 0
        for index in 1...lengthOfLength { length = length << 8 | Int(buffer[offset &+ index]) }
        let start = offset &+ 1 &+ lengthOfLength
        return start..<(start &+ length)
    }
}

extension ViewCursor {
    /// A cursor over the fields of `what`, the one list `buffer` holds.
    static func message(_ buffer: UnsafeBufferPointer<UInt8>, _ what: StaticString) throws(RLPError) -> ViewCursor {
        var top = ViewCursor(0..<buffer.count)
        let item = try top.item(buffer, "")
        guard item.isList else { throw RLPError(.expectedList, "\(what) is a list", at: item.offset) }
        guard top.isAtEnd else {
            throw RLPError(.trailingBytes, "\(buffer.count - top.position) bytes follow the message", at: top.position)
        }
        return ViewCursor(item.payload..<top.position)
    }
}
