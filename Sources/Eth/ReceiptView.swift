// SPDX-License-Identifier: Apache-2.0
import RLP

/// One receipt read in place: fields checked when the view is made, logs read when iterated.
public struct ReceiptView: Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let layout: Layout

    @inlinable
    init(base: ViewStorage, layout: Layout) {
        self.base = base
        self.layout = layout
    }

    /// The transaction's type.
    @inlinable public var type: UInt8 {
        @inline(always) get { layout.type }
    }
    /// Gas used by this and the earlier transactions of the block.
    @inlinable public var cumulativeGasUsed: UInt64 {
        @inline(always) get { layout.cumulativeGasUsed }
    }

    /// Empty for a failed transaction, `01` for a successful one, or a 32-byte state root (before Byzantium).
    @inlinable public var statusOrPostState: ArraySlice<UInt8> {
        @inline(always) get {
            base.slice(layout.status)
        }
    }

    /// True or false for a Byzantium status, nil for a pre-Byzantium state root.
    @inlinable public var succeeded: Bool? {
        @inline(always) get {
            switch layout.status.count {
            case 0: false
            case 1: true
            default: nil
            }
        }
    }

    /// The logs bloom (eth/68's form); nil in eth/69's.
    @inlinable public var bloom: Bloom? {
        @inline(always) get {
            guard layout.bloom >= 0 else { return nil }
            let start = layout.bloom
            let bloom: Bloom = base.withUnsafeBufferPointer { ViewValue.fixed($0, start..<(start &+ 256)) }
            return bloom
        }
    }

    /// The logs.
    @inlinable public var logs: LogsView {
        @inline(always) get { LogsView(base: base, range: layout.logs) }
    }

    /// The owned ``Receipt`` with these fields.
    public var receipt: Receipt {
        Receipt(
            type: type, statusOrPostState: Array(statusOrPostState), cumulativeGasUsed: cumulativeGasUsed, bloom: bloom,
            logs: logs.map { Log(address: $0.address, topics: Array($0.topics), data: Array($0.data)) })
    }
}

/// The logs of a ``ReceiptView``, read in place.
public struct LogsView: Sequence, Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let range: Range<Int>

    @inlinable
    init(base: ViewStorage, range: Range<Int>) {
        self.base = base
        self.range = range
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

        /// The next log. Its receipt's view checked every log, so the items are read without checks again.
        @inlinable @inline(always)
        public mutating func next() -> LogView? {
            guard position < end else { return nil }
            let start = position
            let (log, topics, data) = base.withUnsafeBufferPointer { buffer in
                let log = ViewValue.payload(buffer, at: start)
                let topics = ViewValue.payload(buffer, at: log.lowerBound &+ 21)
                return (log, topics, ViewValue.payload(buffer, at: topics.upperBound))
            }
            position = log.upperBound
            return LogView(base: base, log: log.lowerBound, topics: topics, data: data)
        }
    }
}

/// One log: `[address, topics, data]`, read in place.
public struct LogView: Sendable {
    @usableFromInline let base: ViewStorage
    /// Where the log's fields start (the address's 21-byte item), then the topics' and the data's payloads.
    @usableFromInline let start: UInt32
    @usableFromInline let topicStart: UInt32
    @usableFromInline let topicEnd: UInt32
    @usableFromInline let dataStart: UInt32
    @usableFromInline let dataEnd: UInt32

    @inlinable
    init(base: ViewStorage, log: Int, topics: Range<Int>, data: Range<Int>) {
        self.base = base
        start = UInt32(truncatingIfNeeded: log)
        topicStart = UInt32(truncatingIfNeeded: topics.lowerBound)
        topicEnd = UInt32(truncatingIfNeeded: topics.upperBound)
        dataStart = UInt32(truncatingIfNeeded: data.lowerBound)
        dataEnd = UInt32(truncatingIfNeeded: data.upperBound)
    }

    /// The contract that emitted it.
    @inlinable public var address: Address {
        @inline(always) get {
            let address = Int(start) &+ 1
            let value: Address = base.withUnsafeBufferPointer { ViewValue.fixed($0, address..<(address &+ 20)) }
            return value
        }
    }
    /// Its topics.
    @inlinable public var topics: HashesView {
        @inline(always) get { HashesView(base: base, range: Int(topicStart)..<Int(topicEnd)) }
    }

    /// Its data, sharing the message's storage.
    @inlinable public var data: ArraySlice<UInt8> {
        @inline(always) get { base.slice(Int(dataStart)..<Int(dataEnd)) }
    }
}
