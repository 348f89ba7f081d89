// SPDX-License-Identifier: Apache-2.0
import RLP

extension ReceiptView {
    /// A checked receipt's shape: its two integers and where its status, bloom and logs sit. Holds no reference.
    @usableFromInline
    struct Layout: Sendable {
        @usableFromInline let type: UInt8
        @usableFromInline let cumulativeGasUsed: UInt64
        @usableFromInline let status: Range<Int>
        /// Where the bloom's 256 bytes start; -1 in eth/69's form.
        @usableFromInline let bloom: Int
        @usableFromInline let logs: Range<Int>

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
            status = try fields.bytes(buffer, "status")
            guard status.count <= 1 || status.count == 32, status.count != 1 || buffer[status.lowerBound] == 1 else {
                throw RLPError(.invalidValue, "status must be empty, 01 or a 32-byte state root", at: statusOffset, path: ["status"])
            }
            cumulativeGasUsed = try fields.integer(buffer, "cumulativeGasUsed")
            bloom = try form == .consensus ? fields.fixed(buffer, count: 256, "bloom").lowerBound : -1
            logs = try fields.list(buffer, "logs")
            try Self.checkLogs(buffer, logs)
            try fields.finish("a receipt")
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
