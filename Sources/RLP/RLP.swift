// SPDX-License-Identifier: Apache-2.0

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
    static func slice(_ bytes: some Collection<UInt8>) -> ArraySlice<UInt8> {
        if let slice = bytes as? ArraySlice<UInt8> { return slice }
        if let array = bytes as? [UInt8] { return array[...] }
        return Array(bytes)[...]
    }
}
