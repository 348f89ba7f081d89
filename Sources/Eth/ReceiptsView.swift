// SPDX-License-Identifier: Apache-2.0
import RLP

/// A `Receipts` message read in place: `[requestID, (lastBlockIncomplete,) [[receipt, ...], ...]]`, receipts in
/// eth/68's consensus form (with the bloom) or eth/69's network form (without), the flag from eth/70.
///
/// Making the view reads the outer layout; ``blocks()`` walks the blocks and each block's ``ReceiptBlockView/receipts()``
/// its receipts, checking each as it is reached (a malformed one throws ``RLPError`` with its offset in the payload
/// and its path, `receipts[0][3].logs`). Nothing is allocated per receipt or log. ``EthMessage/receipts(requestID:lastBlockIncomplete:_:)``
/// is the owned form.
public struct ReceiptsView: Sendable {
    let base: ArraySlice<UInt8>
    let list: Range<Int>
    let form: Receipt.Form
    /// The request this answers.
    public let requestID: UInt64
    /// eth/70 and later: whether the last block's receipts continue in a later message; nil before.
    public let lastBlockIncomplete: Bool?

    /// Reads the message's outer layout from its (decompressed) payload on eth/`version`.
    public init(version: UInt, payload: some Collection<UInt8>) throws(RLPError) {
        let base = RLP.slice(payload)
        let (id, incomplete, blocks) = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
            var top = ViewCursor(0..<buffer.count)
            let (header, offset) = try top.next(buffer)
            guard header.isList else { throw RLPError(.expectedList, "a Receipts message is a list", at: offset) }
            guard top.isAtEnd else {
                throw RLPError(.trailingBytes, "\(buffer.count - top.position) bytes follow the message", at: top.position)
            }
            var fields = ViewCursor((offset &+ header.headerLength)..<top.position)
            let id: UInt64 = try fields.integer(buffer, "requestID")
            var incomplete: Bool?
            if version >= 70 {
                let flagOffset = fields.position
                let flag: UInt8 = try fields.integer(buffer, "lastBlockIncomplete")
                guard flag <= 1 else {
                    throw RLPError(.invalidBool, "a boolean is empty or 01", at: flagOffset, path: ["lastBlockIncomplete"])
                }
                incomplete = flag == 1
            }
            let blocks = try fields.list(buffer, "receipts")
            try fields.finish("a Receipts message")
            return (id, incomplete, blocks)
        }
        requestID = id
        lastBlockIncomplete = incomplete
        list = blocks
        self.base = base
        form = version >= 69 ? .network : .consensus
    }

    /// A cursor over the blocks' receipt lists.
    public func blocks() -> Blocks { Blocks(base: base, form: form, cursor: ViewCursor(list)) }

    /// The blocks in order.
    public struct Blocks: Sendable {
        let base: ArraySlice<UInt8>
        let form: Receipt.Form
        var cursor: ViewCursor
        var index = 0

        /// The next block's receipts, nil after the last.
        public mutating func next() throws(RLPError) -> ReceiptBlockView? {
            guard !cursor.isAtEnd else { return nil }
            let index = self.index
            self.index &+= 1
            do throws(RLPError) {
                let range = try base.withUnsafeBufferPointer { buffer throws(RLPError) in try cursor.list(buffer, "[\(index)]") }
                return ReceiptBlockView(base: base, form: form, list: range, index: index)
            } catch {
                throw error.prefixingPath("receipts")
            }
        }
    }
}

/// One block's receipts inside a ``ReceiptsView``.
public struct ReceiptBlockView: Sendable {
    let base: ArraySlice<UInt8>
    let form: Receipt.Form
    let list: Range<Int>
    let index: Int

    /// A cursor over the receipts.
    public func receipts() -> Receipts { Receipts(block: self, cursor: ViewCursor(list)) }

    /// The receipts in order, each checked when reached.
    public struct Receipts: Sendable {
        let block: ReceiptBlockView
        var cursor: ViewCursor
        var index = 0

        /// The next receipt, nil after the last.
        /// - Throws: ``RLPError`` when it is malformed (`receipts[block][i].field` in its path).
        public mutating func next() throws(RLPError) -> ReceiptView? {
            guard !cursor.isAtEnd else { return nil }
            let index = self.index
            self.index &+= 1
            let base = block.base
            let form = block.form
            do throws(RLPError) {
                return try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                    try ReceiptView(base: base, buffer: buffer, cursor: &cursor, form: form)
                }
            } catch {
                throw error.prefixingPath("[\(index)]").prefixingPath("[\(block.index)]").prefixingPath("receipts")
            }
        }
    }
}

/// One receipt read in place: fields checked when the view is made, logs read when iterated.
public struct ReceiptView: Sendable {
    let base: ArraySlice<UInt8>
    let status: Range<Int>
    let bloomRange: Range<Int>?
    let logList: Range<Int>
    /// The transaction's type.
    public let type: UInt8
    /// Gas used by this and the earlier transactions of the block.
    public let cumulativeGasUsed: UInt64

    init(base: ArraySlice<UInt8>, buffer: UnsafeBufferPointer<UInt8>, cursor: inout ViewCursor, form: Receipt.Form) throws(RLPError) {
        var fields: ViewCursor
        switch form {
        case .network:
            fields = ViewCursor(try cursor.list(buffer, "receipt"))
            type = try fields.integer(buffer, "type")
        case .consensus:
            let (header, offset) = try cursor.next(buffer)
            let payload = (offset &+ header.headerLength)..<cursor.position
            if header.isList {
                type = 0
                fields = ViewCursor(payload)
            } else {
                guard let first = payload.isEmpty ? nil : buffer[payload.lowerBound], first < 0x80, first != 0 else {
                    throw RLPError(.unknownTransactionType, "a typed receipt starts with a type byte from 1 to 0x7f", at: payload.lowerBound)
                }
                type = first
                var inner = ViewCursor((payload.lowerBound &+ 1)..<payload.upperBound)
                fields = ViewCursor(try inner.list(buffer, "receipt"))
                guard inner.isAtEnd else {
                    throw RLPError(.trailingBytes, "bytes follow a typed receipt's field list", at: inner.position)
                }
            }
        }
        let statusOffset = fields.position
        status = try fields.bytes(buffer, "status")
        guard status.count <= 1 || status.count == 32, status.count != 1 || buffer[status.lowerBound] == 1 else {
            throw RLPError(.invalidValue, "status must be empty, 01 or a 32-byte state root", at: statusOffset, path: ["status"])
        }
        cumulativeGasUsed = try fields.integer(buffer, "cumulativeGasUsed")
        bloomRange = try form == .consensus ? fields.fixed(buffer, count: 256, "bloom") : nil
        logList = try fields.list(buffer, "logs")
        var logs = ViewCursor(logList)
        var index = 0
        while !logs.isAtEnd {
            do throws(RLPError) {
                var log = ViewCursor(try logs.list(buffer, "[\(index)]"))
                _ = try log.fixed(buffer, count: 20, "address")
                var topics = ViewCursor(try log.list(buffer, "topics"))
                while !topics.isAtEnd { _ = try topics.fixed(buffer, count: 32, "topics") }
                _ = try log.bytes(buffer, "data")
                try log.finish("a log")
            } catch {
                throw error.prefixingPath("logs")
            }
            index &+= 1
        }
        try fields.finish("a receipt")
        self.base = base
    }

    /// Empty for a failed transaction, `01` for a successful one, or a 32-byte state root (before Byzantium).
    public var statusOrPostState: ArraySlice<UInt8> { base[(base.startIndex &+ status.lowerBound)..<(base.startIndex &+ status.upperBound)] }

    /// True or false for a Byzantium status, nil for a pre-Byzantium state root.
    public var succeeded: Bool? {
        switch status.count {
        case 0: false
        case 1: true
        default: nil
        }
    }

    /// The logs bloom (eth/68's form); nil in eth/69's.
    public var bloom: Bloom? {
        guard let range = bloomRange else { return nil }
        let bloom: Bloom = base.withUnsafeBufferPointer { ViewValue.fixed($0, range) }
        return bloom
    }

    /// The logs.
    public var logs: LogsView { LogsView(base: base, range: logList) }

    /// The owned ``Receipt`` with these fields.
    public var receipt: Receipt {
        Receipt(
            type: type, statusOrPostState: Array(statusOrPostState), cumulativeGasUsed: cumulativeGasUsed, bloom: bloom,
            logs: logs.map { Log(address: $0.address, topics: Array($0.topics), data: Array($0.data)) })
    }
}

/// The logs of a ``ReceiptView``, read in place.
public struct LogsView: Sequence, Sendable {
    let base: ArraySlice<UInt8>
    let range: Range<Int>

    public func makeIterator() -> Iterator { Iterator(base: base, cursor: ViewCursor(range)) }

    public struct Iterator: IteratorProtocol {
        let base: ArraySlice<UInt8>
        var cursor: ViewCursor

        public mutating func next() -> LogView? {
            guard !cursor.isAtEnd else { return nil }
            let base = self.base
            return base.withUnsafeBufferPointer { buffer in
                guard let logRange = try? cursor.list(buffer, "") else { return nil }
                var fields = ViewCursor(logRange)
                guard let address = try? fields.fixed(buffer, count: 20, ""), let topics = try? fields.list(buffer, ""),
                    let data = try? fields.bytes(buffer, "")
                else { return nil }
                return LogView(address: ViewValue.fixed(buffer, address), topics: HashesView(base: base, range: topics), dataRange: data, base: base)
            }
        }
    }
}

/// One log: `[address, topics, data]`, read in place.
public struct LogView: Sendable {
    /// The contract that emitted it.
    public let address: Address
    /// Its topics.
    public let topics: HashesView
    let dataRange: Range<Int>
    let base: ArraySlice<UInt8>

    /// Its data, sharing the message's storage.
    public var data: ArraySlice<UInt8> { base[(base.startIndex &+ dataRange.lowerBound)..<(base.startIndex &+ dataRange.upperBound)] }
}
