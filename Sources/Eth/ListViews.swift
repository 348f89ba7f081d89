// SPDX-License-Identifier: Apache-2.0
import RLP

/// The 32-byte hashes of a list a view has checked (blob versioned hashes, storage keys, log topics), read in place.
public struct HashesView: Sequence, Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let range: Range<Int>

    @inlinable
    init(base: ViewStorage, range: Range<Int>) {
        self.base = base
        self.range = range
    }

    /// Hashes in the list (each item is 33 bytes: a 1-byte header and 32 bytes).
    @inlinable public var count: Int {
        @inline(always) get { range.count / 33 }
    }

    @inlinable public var underestimatedCount: Int {
        @inline(always) get { count }
    }

    @inlinable @inline(always)
    public func makeIterator() -> Iterator { Iterator(base: base, position: range.lowerBound, end: range.upperBound) }

    public struct Iterator: IteratorProtocol {
        @usableFromInline let base: ViewStorage
        @usableFromInline var position: Int
        @usableFromInline let end: Int

        @inlinable
        init(base: ViewStorage, position: Int, end: Int) {
            self.base = base
            self.position = position
            self.end = end
        }

        @inlinable @inline(always)
        public mutating func next() -> Hash32? {
            guard position &+ 33 <= end else { return nil }
            let start = position &+ 1
            position &+= 33
            let hash: Hash32 = base.withUnsafeBufferPointer { ViewValue.fixed($0, start..<(start &+ 32)) }
            return hash
        }
    }
}

/// An EIP-2930 access list a ``TransactionView`` has checked, read in place.
public struct AccessListView: Sequence, Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let range: Range<Int>

    @inlinable
    init(base: ViewStorage, range: Range<Int>) {
        self.base = base
        self.range = range
    }

    /// True when the list has no entries.
    @inlinable public var isEmpty: Bool {
        @inline(always) get { range.isEmpty }
    }

    @inlinable @inline(always)
    public func makeIterator() -> Iterator { Iterator(base: base, cursor: ViewCursor(range)) }

    /// One entry: an address and the storage keys it touches.
    public struct Entry: Sendable {
        public let address: Address
        public let storageKeys: HashesView

        @inlinable
        init(address: Address, storageKeys: HashesView) {
            self.address = address
            self.storageKeys = storageKeys
        }
    }

    public struct Iterator: IteratorProtocol {
        @usableFromInline let base: ViewStorage
        @usableFromInline var cursor: ViewCursor

        @inlinable
        init(base: ViewStorage, cursor: ViewCursor) {
            self.base = base
            self.cursor = cursor
        }

        /// The next entry. The transaction's view checked the list, so the items are read without checks again.
        @inlinable @inline(always)
        public mutating func next() -> Entry? {
            guard !cursor.isAtEnd else { return nil }
            let start = cursor.position
            let (entry, address, keys) = base.withUnsafeBufferPointer { buffer in
                let entry = ViewValue.payload(buffer, at: start)
                let address: Address = ViewValue.fixed(buffer, (entry.lowerBound &+ 1)..<(entry.lowerBound &+ 21))
                return (entry, address, ViewValue.payload(buffer, at: entry.lowerBound &+ 21))
            }
            cursor.position = entry.upperBound
            return Entry(address: address, storageKeys: HashesView(base: base, range: keys))
        }
    }
}
