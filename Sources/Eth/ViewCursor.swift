// SPDX-License-Identifier: Apache-2.0
import RLP

/// The reader the eth views share: positions in a list of items inside a view's bytes, each call given the buffer,
/// so walking copies nothing and retains nothing. Every read checks RLP's size rules and the field's shape, and
/// throws ``RLPError`` with the offset (from the start of the view's bytes) and the field's name.
struct ViewCursor {
    var position: Int
    let end: Int

    init(_ range: Range<Int>) {
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next item: its header and where it starts.
    @inline(__always)
    mutating func next(_ buffer: UnsafeBufferPointer<UInt8>) throws(RLPError) -> (header: RLPHeader, offset: Int) {
        let offset = position
        let header = try RLPHeader.parse(buffer, at: offset, limit: end, inList: true)
        position = offset &+ header.totalLength
        return (header, offset)
    }

    /// The payload of the next item, which must be a list.
    @inline(__always)
    mutating func list(_ buffer: UnsafeBufferPointer<UInt8>, _ field: @autoclosure () -> String) throws(RLPError) -> Range<Int> {
        let (header, offset) = try fieldItem(buffer, field)
        guard header.isList else {
            throw RLPError(.expectedList, "expected a list, found a byte string", at: offset, path: [field()])
        }
        return (offset &+ header.headerLength)..<position
    }

    /// The payload of the next item, which must be a byte string.
    @inline(__always)
    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>, _ field: @autoclosure () -> String) throws(RLPError) -> Range<Int> {
        let (header, offset) = try fieldItem(buffer, field)
        guard !header.isList else {
            throw RLPError(.expectedBytes, "expected a byte string, found a list", at: offset, path: [field()])
        }
        return (offset &+ header.headerLength)..<position
    }

    /// The next item as a canonical integer of type `T`.
    @inline(__always)
    mutating func integer<T: FixedWidthInteger & UnsignedInteger>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ field: @autoclosure () -> String, as type: T.Type = T.self
    ) throws(RLPError) -> T {
        let offset = position
        let range = try bytes(buffer, field())
        do throws(RLPError) {
            return try RLPReader.integer(from: UnsafeBufferPointer(rebasing: buffer[range]), offset: offset)
        } catch {
            throw error.prefixingPath(field())
        }
    }

    /// The payload of the next item, a canonical integer of at most 32 bytes (read with ``ViewCursor/uint256(_:_:)``).
    @inline(__always)
    mutating func uint256(_ buffer: UnsafeBufferPointer<UInt8>, _ field: @autoclosure () -> String) throws(RLPError) -> Range<Int> {
        let offset = position
        let range = try bytes(buffer, field())
        guard range.count <= 32 else {
            throw RLPError(.integerOverflow, "\(range.count)-byte integer does not fit UInt256", at: offset, path: [field()])
        }
        guard range.isEmpty || buffer[range.lowerBound] != 0 else {
            throw RLPError(.nonCanonicalInteger, "integer has a leading zero byte", at: offset, path: [field()])
        }
        return range
    }

    /// The payload of the next item, a byte string of exactly `count` bytes (or empty, when `orEmpty`).
    @inline(__always)
    mutating func fixed(
        _ buffer: UnsafeBufferPointer<UInt8>, count: Int, _ field: @autoclosure () -> String, orEmpty: Bool = false
    ) throws(RLPError) -> Range<Int> {
        let offset = position
        let range = try bytes(buffer, field())
        guard range.count == count || (orEmpty && range.isEmpty) else {
            throw RLPError(.wrongByteCount, "expected \(count) bytes, found \(range.count)", at: offset, path: [field()])
        }
        return range
    }

    /// Requires that no items remain.
    func finish(_ what: @autoclosure () -> String) throws(RLPError) {
        guard position >= end else { throw RLPError(.tooManyElements, "\(what()) has elements left over", at: position) }
    }

    @inline(__always)
    private mutating func fieldItem(
        _ buffer: UnsafeBufferPointer<UInt8>, _ field: () -> String
    ) throws(RLPError) -> (header: RLPHeader, offset: Int) {
        do throws(RLPError) {
            return try next(buffer)
        } catch {
            throw error.prefixingPath(field())
        }
    }
}

/// Values read from ranges a view has validated.
enum ViewValue {
    /// The integer whose canonical bytes are `range` (validated to fit 32 bytes).
    @inline(__always)
    static func uint256(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt256 {
        UInt256(bigEndianBytes: UnsafeBufferPointer(rebasing: buffer[range])) ?? .zero
    }

    /// The fixed-size value at `range` (validated to be `count` bytes long).
    @inline(__always)
    static func fixed<let count: Int>(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> FixedBytes<count> {
        var value = FixedBytes<count>()
        guard range.count == count else { return value }
        value.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[range])) }
        return value
    }
}
