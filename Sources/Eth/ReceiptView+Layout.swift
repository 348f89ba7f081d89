// SPDX-License-Identifier: Apache-2.0
import RLP

extension ReceiptView {
    /// A checked receipt's shape: its two integers and where its status, bloom and logs sit (32-bit offsets: views
    /// read inputs under 4 GiB). Holds no reference and fits 32 bytes, so a receipt's view is copied in a few moves.
    @usableFromInline
    struct Layout: Sendable {
        @usableFromInline let cumulativeGasUsed: UInt64
        @usableFromInline let statusStart: UInt32
        /// Where the bloom's 256 bytes start; 0 in eth/69's form (no item of a message starts at 0).
        @usableFromInline let bloomStart: UInt32
        @usableFromInline let logStart: UInt32
        @usableFromInline let logEnd: UInt32
        @usableFromInline let type: UInt8
        @usableFromInline let statusCount: UInt8

        @inlinable var status: Range<Int> { Int(statusStart)..<(Int(statusStart) &+ Int(statusCount)) }
        /// Where the bloom starts; -1 in eth/69's form.
        @inlinable var bloom: Int { bloomStart == 0 ? -1 : Int(bloomStart) }
        @inlinable var logs: Range<Int> { Int(logStart)..<Int(logEnd) }

        /// Reads the next item of `cursor` as a receipt in `form`, checking every field and every log.
        @usableFromInline
        init(_ buffer: UnsafeBufferPointer<UInt8>, cursor: inout ViewCursor, form: Receipt.Form) throws(RLPError) {
            var fields: ViewCursor
            switch form {
            case .network:
                fields = ViewCursor(try cursor.list(buffer, ""))
                type = try fields.integer(buffer, "type")
            case .consensus:
                let item = try cursor.item(buffer, "")
                let payload = item.payload..<cursor.position
                if item.isList {
                    type = 0
                    fields = ViewCursor(payload)
                } else {
                    guard let first = payload.isEmpty ? nil : buffer[payload.lowerBound], first < 0x80, first != 0 else {
                        throw RLPError(.unknownTransactionType, "a typed receipt starts with a type byte from 1 to 0x7f", at: payload.lowerBound)
                    }
                    type = first
                    var inner = ViewCursor((payload.lowerBound &+ 1)..<payload.upperBound)
                    fields = ViewCursor(try inner.list(buffer, ""))
                    guard inner.isAtEnd else {
                        throw RLPError(.trailingBytes, "bytes follow a typed receipt's field list", at: inner.position)
                    }
                }
            }
            let statusOffset = fields.position
            let status = try fields.bytes(buffer, "status")
            guard status.count <= 1 || status.count == 32, status.count != 1 || buffer[status.lowerBound] == 1 else {
                throw RLPError(.invalidValue, "status must be empty, 01 or a 32-byte state root", at: statusOffset, path: ["status"])
            }
            cumulativeGasUsed = try fields.integer(buffer, "cumulativeGasUsed")
            let bloom = try form == .consensus ? fields.fixed(buffer, count: 256, "bloom").lowerBound : 0
            let logs = try fields.list(buffer, "logs")
            try Self.checkLogs(buffer, logs)
            try fields.finish("a receipt")
            statusStart = UInt32(truncatingIfNeeded: status.lowerBound)
            statusCount = UInt8(truncatingIfNeeded: status.count)
            bloomStart = UInt32(truncatingIfNeeded: bloom)
            logStart = UInt32(truncatingIfNeeded: logs.lowerBound)
            logEnd = UInt32(truncatingIfNeeded: logs.upperBound)
        }

        /// Checks each log: `[address, [topic, ...], data]`.
        static func checkLogs(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(RLPError) {
            var logs = ViewCursor(range)
            var index = 0
            while !logs.isAtEnd {
                do throws(RLPError) {
                    var log = ViewCursor(try logs.list(buffer, ""))
                    _ = try log.fixed(buffer, count: 20, "address")
                    try TransactionView.Layout.checkHashes(buffer, &log, "topics")
                    _ = try log.bytes(buffer, "data")
                    try log.finish("a log")
                } catch {
                    throw ViewError.prefixed(error, "logs", "[\(index)]")
                }
                index &+= 1
            }
        }
    }
}
