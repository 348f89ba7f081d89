// SPDX-License-Identifier: Apache-2.0

/// An item's header as ``RLP/peekHeader(_:)`` reads it, before its payload is available.
public struct RLPItemHeader: Hashable, Sendable {
    /// Byte string or list.
    public let kind: RLPElement.Kind
    /// Header bytes (0 for a single byte below 0x80, which is its own payload).
    public let headerLength: Int
    /// Payload bytes the header announces (up to 2⁶⁴ − 1).
    public let payloadLength: UInt64
}

/// Entry points that work on encoded bytes as a whole.
public enum RLP {
    /// The deepest nesting of lists a decoder accepts: a guard against stack exhaustion from hostile input.
    /// go-ethereum has no such limit; no Ethereum structure comes near it.
    public static let maximumDepth = 1024

    /// Checks that `bytes` hold exactly one canonical item, every nested item included, without building anything.
    /// - Throws: the first rule broken, with its offset.
    public static func validate(_ bytes: some Collection<UInt8>) throws(RLPError) {
        let storage = slice(bytes)
        try storage.withUnsafeBufferPointer { buffer throws(RLPError) in
            let header = try RLPHeader.parse(buffer, at: 0, limit: buffer.count, inList: false)
            if header.isList {
                try validateElements(buffer, from: header.headerLength, to: header.totalLength, depth: 1)
            }
            guard header.totalLength == buffer.count else {
                throw RLPError(
                    .trailingBytes, "\(buffer.count - header.totalLength) bytes follow the top-level item",
                    at: header.totalLength)
            }
        }
    }

    static func validateElements(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, depth: Int
    ) throws(RLPError) {
        var position = start
        while position < end {
            let header = try RLPHeader.parse(buffer, at: position, limit: end, inList: true)
            if header.isList {
                guard depth < maximumDepth else {
                    throw RLPError(.nestingTooDeep, "lists nested deeper than \(maximumDepth)", at: position)
                }
                let payloadStart = position &+ header.headerLength
                try validateElements(
                    buffer, from: payloadStart, to: payloadStart &+ header.payloadLength, depth: depth &+ 1)
            }
            position &+= header.totalLength
        }
    }

    /// Splits the first item off `bytes`, for reading a stream of concatenated items.
    /// - Returns: the first item (not validated inside) and the bytes after it.
    public static func split(_ bytes: some Collection<UInt8>) throws(RLPError) -> (
        first: RLPElement, rest: ArraySlice<UInt8>
    ) {
        var reader = RLPReader(bytes)
        let first = try reader.readElement()
        return (first, reader.remainingBytes)
    }

    /// What the item at the start of `bytes` claims to be, read from its header alone: for stream readers that
    /// must know how many bytes to wait for. The size rules are checked; the payload need not be present.
    /// - Returns: nil when `bytes` end inside the header.
    public static func peekHeader(_ bytes: some Collection<UInt8>) throws(RLPError) -> RLPItemHeader? {
        try slice(bytes).withUnsafeBufferPointer { buffer throws(RLPError) -> RLPItemHeader? in
            guard let first = buffer.first else { return nil }
            switch first {
            case 0x00...0x7f: return RLPItemHeader(kind: .bytes, headerLength: 0, payloadLength: 1)
            case 0x80...0xb7:
                if first == 0x81, buffer.count > 1, buffer[1] < 0x80 {
                    throw RLPError(.nonCanonicalSize, "single byte below 0x80 wrapped as a string", at: 0)
                }
                return RLPItemHeader(kind: .bytes, headerLength: 1, payloadLength: UInt64(first - 0x80))
            case 0xc0...0xf7: return RLPItemHeader(kind: .list, headerLength: 1, payloadLength: UInt64(first - 0xc0))
            default:
                let isList = first >= 0xf8
                let lengthOfLength = Int(first - (isList ? 0xf7 : 0xb7))
                guard buffer.count > lengthOfLength else { return nil }
                let length = try RLPHeader.longLength(buffer, at: 0, lengthOfLength: lengthOfLength)
                return RLPItemHeader(kind: isList ? .list : .bytes, headerLength: 1 + lengthOfLength, payloadLength: length)
            }
        }
    }

    /// Counts the top-level items in a concatenation of items (checking their headers, not their contents).
    public static func countValues(_ bytes: some Collection<UInt8>) throws(RLPError) -> Int {
        var reader = RLPReader(bytes)
        var count = 0
        while !reader.isAtEnd {
            try reader.skip()
            count &+= 1
        }
        return count
    }

    /// The input as an `ArraySlice`, copying only when it is not already array storage.
    @inlinable
    public static func slice(_ bytes: some Collection<UInt8>) -> ArraySlice<UInt8> {
        if let slice = bytes as? ArraySlice<UInt8> { return slice }
        if let array = bytes as? [UInt8] { return array[...] }
        return Array(bytes)[...]
    }
}
