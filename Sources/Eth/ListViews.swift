// SPDX-License-Identifier: Apache-2.0
import RLP

/// The 32-byte hashes of a list a view has checked (blob versioned hashes, storage keys, log topics), read in place.
public struct HashesView: Sequence, Sendable {
    let base: ArraySlice<UInt8>
    let range: Range<Int>

    /// Hashes in the list (each item is 33 bytes: a 1-byte header and 32 bytes).
    public var count: Int { range.count / 33 }

    public func makeIterator() -> Iterator { Iterator(base: base, position: range.lowerBound, end: range.upperBound) }

    public struct Iterator: IteratorProtocol {
        let base: ArraySlice<UInt8>
        var position: Int
        let end: Int

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
    let base: ArraySlice<UInt8>
    let range: Range<Int>

    /// True when the list has no entries.
    public var isEmpty: Bool { range.isEmpty }

    public func makeIterator() -> Iterator { Iterator(base: base, cursor: ViewCursor(range)) }

    /// One entry: an address and the storage keys it touches.
    public struct Entry: Sendable {
        public let address: Address
        public let storageKeys: HashesView
    }

    public struct Iterator: IteratorProtocol {
        let base: ArraySlice<UInt8>
        var cursor: ViewCursor

        public mutating func next() -> Entry? {
            guard !cursor.isAtEnd else { return nil }
            let base = self.base
            return base.withUnsafeBufferPointer { buffer in
                guard let entryRange = try? cursor.list(buffer, "") else { return nil }
                var entry = ViewCursor(entryRange)
                guard let address = try? entry.fixed(buffer, count: 20, ""), let keys = try? entry.list(buffer, "") else { return nil }
                return Entry(address: ViewValue.fixed(buffer, address), storageKeys: HashesView(base: base, range: keys))
            }
        }
    }
}
