// SPDX-License-Identifier: Apache-2.0

/// One item inside encoded bytes, seen without copying them: a byte string or a list.
///
/// An element shares the input's storage. ``encoded`` is the item's exact bytes, header included, so re-encoding
/// an element reproduces its input. A list's contents are read with ``listReader()``.
public struct RLPElement: Sendable {
    /// Whether the item is a byte string or a list.
    public enum Kind: Sendable, Hashable {
        case bytes
        case list
    }

    @usableFromInline let storage: ArraySlice<UInt8>
    @usableFromInline let header: RLPHeader
    /// Where the item starts, counted from the start of the input.
    public let offset: Int
    @usableFromInline let depth: Int

    @inlinable
    init(storage: ArraySlice<UInt8>, header: RLPHeader, offset: Int, depth: Int) {
        self.storage = storage
        self.header = header
        self.offset = offset
        self.depth = depth
    }

    /// Byte string or list.
    @inlinable public var kind: Kind { header.isList ? .list : .bytes }
    /// Header bytes before the payload (0 for a single byte below 0x80, which is its own payload).
    @inlinable public var headerLength: Int { header.headerLength }
    /// Payload bytes.
    @inlinable public var payloadLength: Int { header.payloadLength }

    /// The item's payload: a byte string's bytes, or a list's encoded elements.
    @inlinable public var payload: ArraySlice<UInt8> {
        let start = storage.startIndex &+ offset &+ header.headerLength
        return storage[start..<(start &+ header.payloadLength)]
    }

    /// The item's exact encoding, header included.
    @inlinable public var encoded: ArraySlice<UInt8> {
        let start = storage.startIndex &+ offset
        return storage[start..<(start &+ header.totalLength)]
    }

    /// A reader over a list's elements.
    /// - Throws: ``RLPError/Code/expectedList`` for a byte string, ``RLPError/Code/nestingTooDeep`` past
    ///   ``RLP/maximumDepth``.
    @inlinable
    public func listReader() throws(RLPError) -> RLPReader {
        guard header.isList else {
            throw RLPError(.expectedList, "expected a list, found a byte string", at: offset)
        }
        guard depth < RLP.maximumDepth else {
            throw RLPError(.nestingTooDeep, "lists nested deeper than \(RLP.maximumDepth)", at: offset)
        }
        let start = offset &+ header.headerLength
        return RLPReader(storage: storage, position: start, end: start &+ header.payloadLength, inList: true, depth: depth &+ 1)
    }
}
