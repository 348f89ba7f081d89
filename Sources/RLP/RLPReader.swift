// SPDX-License-Identifier: Apache-2.0

/// A cursor over a sequence of encoded items: the top level of an input, or the elements of one list.
///
/// Reading never copies input bytes unless a method returns an owned value (`[UInt8]`, `String`); byte strings
/// come back as slices sharing the input's storage. Every read checks the canonical size rules, and
/// errors carry the offset of the offending item from the start of the input.
///
/// ```swift
/// var reader = RLPReader(bytes)
/// let (number, hash) = try reader.readList { list throws(RLPError) in
///     (try list.read(UInt64.self, field: "number"), try list.read(InlineArray<32, UInt8>.self, field: "hash"))
/// }
/// try reader.finish()
/// ```
public struct RLPReader: Sendable {
    @usableFromInline let storage: ArraySlice<UInt8>
    @usableFromInline var position: Int
    @usableFromInline let end: Int
    @usableFromInline let inList: Bool
    @usableFromInline let depth: Int

    @inlinable
    init(storage: ArraySlice<UInt8>, position: Int, end: Int, inList: Bool, depth: Int) {
        self.storage = storage
        self.position = position
        self.end = end
        self.inList = inList
        self.depth = depth
    }

    /// A reader over the top level of `bytes`. Use ``finish()`` to require that nothing follows what you read.
    @inlinable
    public init(_ bytes: some Collection<UInt8>) {
        let storage = RLP.slice(bytes)
        self.init(storage: storage, position: 0, end: storage.count, inList: false, depth: 0)
    }

    /// Where the next item starts, counted from the start of the input.
    @inlinable public var offset: Int { position }
    /// True when no items remain.
    @inlinable public var isAtEnd: Bool { position >= end }
    /// The bytes not read yet.
    @inlinable public var remainingBytes: ArraySlice<UInt8> {
        storage[(storage.startIndex &+ position)..<(storage.startIndex &+ end)]
    }

    /// The encodings of the items read since the reader was at `offset` (an earlier ``offset``), back to back.
    @inlinable
    public func encoded(since offset: Int) -> ArraySlice<UInt8> {
        storage[(storage.startIndex &+ offset)..<(storage.startIndex &+ position)]
    }

    @inlinable
    func peekHeader() throws(RLPError) -> RLPHeader {
        let (position, end, inList) = (self.position, self.end, self.inList)
        return try storage.withUnsafeBufferPointer { buffer throws(RLPError) in
            try RLPHeader.parse(buffer, at: position, limit: end, inList: inList)
        }
    }

    /// The kind of the next item, without reading it.
    @inlinable
    public func peekKind() throws(RLPError) -> RLPElement.Kind {
        try peekHeader().isList ? .list : .bytes
    }

    /// Reads the next item as a zero-copy ``RLPElement``.
    @inlinable
    public mutating func readElement() throws(RLPError) -> RLPElement {
        let header = try peekHeader()
        let element = RLPElement(storage: storage, header: header, offset: position, depth: depth)
        position &+= header.totalLength
        return element
    }

    /// Reads the next item's exact encoding (header included) without interpreting its contents.
    @inlinable
    public mutating func readEncoded() throws(RLPError) -> ArraySlice<UInt8> {
        try readElement().encoded
    }

    /// Reads the next item, which must be a byte string, and returns its payload without copying.
    @inlinable
    public mutating func readBytes() throws(RLPError) -> ArraySlice<UInt8> {
        let header = try peekHeader()
        guard !header.isList else {
            throw RLPError(.expectedBytes, "expected a byte string, found a list", at: position)
        }
        let start = storage.startIndex &+ position &+ header.headerLength
        position &+= header.totalLength
        return storage[start..<(start &+ header.payloadLength)]
    }

    /// Reads the next item, which must be a byte string, handing its payload to `body` in place: the hot path of
    /// fixed-size reads, with no slice to retain.
    /// - Parameter body: the payload, and the offset of the item it belongs to (for errors).
    @inlinable
    mutating func withNextByteString<Result>(
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(RLPError) -> Result
    ) throws(RLPError) -> Result {
        let (position, end, inList) = (self.position, self.end, self.inList)
        let (result, length) = try storage.withUnsafeBufferPointer { buffer throws(RLPError) -> (Result, Int) in
            let header = try RLPHeader.parse(buffer, at: position, limit: end, inList: inList)
            guard !header.isList else {
                throw RLPError(.expectedBytes, "expected a byte string, found a list", at: position)
            }
            let start = position &+ header.headerLength
            let payload = UnsafeBufferPointer(rebasing: buffer[start..<(start &+ header.payloadLength)])
            return (try body(payload, position), header.totalLength)
        }
        self.position &+= length
        return result
    }

    /// Reads the next item, which must be a list, and returns a reader over its elements.
    ///
    /// Prefer ``readList(_:)``, which also checks that every element was read.
    @inlinable
    public mutating func listReader() throws(RLPError) -> RLPReader {
        let header = try peekHeader()
        guard header.isList else {
            throw RLPError(.expectedList, "expected a list, found a byte string", at: position)
        }
        guard depth < RLP.maximumDepth else {
            throw RLPError(.nestingTooDeep, "lists nested deeper than \(RLP.maximumDepth)", at: position)
        }
        let start = position &+ header.headerLength
        position &+= header.totalLength
        return RLPReader(storage: storage, position: start, end: start &+ header.payloadLength, inList: true, depth: depth &+ 1)
    }

    /// Reads the next item, which must be a list, passes a reader over its elements to `body`, and then requires
    /// that `body` read every element.
    /// - Throws: ``RLPError/Code/expectedList``, ``RLPError/Code/tooManyElements``, or what `body` throws.
    @inlinable
    public mutating func readList<Result>(
        _ body: (inout RLPReader) throws(RLPError) -> Result
    ) throws(RLPError) -> Result {
        var list = try listReader()
        let result = try body(&list)
        try list.finish()
        return result
    }

    /// Reads the next item as a `T`.
    @inlinable
    public mutating func read<T: RLPDecodable>(_ type: T.Type = T.self) throws(RLPError) -> T {
        try T(rlp: &self)
    }

    /// Reads the next item as a `T`, naming `field` in the path of any error.
    @inlinable
    public mutating func read<T: RLPDecodable>(_ type: T.Type = T.self, field: String) throws(RLPError) -> T {
        do {
            return try T(rlp: &self)
        } catch {
            throw error.prefixingPath(field)
        }
    }

    /// Reads every remaining item as a `T`: a list's tail, or a stream of top-level items.
    @inlinable
    public mutating func readAll<T: RLPDecodable>(_ type: T.Type = T.self) throws(RLPError) -> [T] {
        var values: [T] = []
        var index = 0
        while !isAtEnd {
            do {
                values.append(try T(rlp: &self))
            } catch {
                throw error.prefixingPath("[\(index)]")
            }
            index &+= 1
        }
        return values
    }

    /// Skips the next item.
    @inlinable
    public mutating func skip() throws(RLPError) {
        position &+= try peekHeader().totalLength
    }

    /// Requires that no items remain.
    /// - Throws: ``RLPError/Code/tooManyElements`` inside a list, ``RLPError/Code/trailingBytes`` at the top level.
    @inlinable
    public func finish() throws(RLPError) {
        guard position >= end else {
            throw inList
                ? RLPError(.tooManyElements, "list has elements left over", at: position)
                : RLPError(.trailingBytes, "\(end - position) bytes follow the top-level item", at: position)
        }
    }
}
