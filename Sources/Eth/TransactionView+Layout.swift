// SPDX-License-Identifier: Apache-2.0
import RLP

extension TransactionView {
    /// A checked transaction's shape: its type, where its binary form and each field's item start in the view's
    /// bytes (32-bit offsets: views read inputs under 4 GiB), and the two integers every transaction has. Holds no
    /// reference, so reading one retains nothing.
    @usableFromInline
    struct Layout: Sendable {
        /// The fields whose items are kept, by index into ``Layout/items``.
        @usableFromInline
        enum Slot: Int {
            case chainID, gasPrice, maxPriorityFeePerGas, maxFeePerGas, to, value, data, accessList
            case maxFeePerBlobGas, blobVersionedHashes, authorizations, v, r, s
        }

        @usableFromInline let type: Transaction.Kind
        @usableFromInline let start: UInt32
        @usableFromInline let end: UInt32
        @usableFromInline var items = InlineArray<14, UInt32>(repeating: 0)
        @usableFromInline var nonce: UInt64 = 0
        @usableFromInline var gasLimit: UInt64 = 0

        /// The canonical binary form: `type ‖ rlp(fields)`, or a legacy transaction's list.
        @inlinable var binary: Range<Int> { Int(start)..<Int(end) }

        /// Where `slot`'s item starts.
        @inlinable subscript(slot: Slot) -> Int { Int(items[slot.rawValue]) }

        /// Reads the next item of `cursor` as a transaction: a legacy list, or a byte string holding a typed one.
        @usableFromInline
        init(_ buffer: UnsafeBufferPointer<UInt8>, cursor: inout ViewCursor) throws(RLPError) {
            let item = try cursor.item(buffer, "")
            let payload = item.payload..<cursor.position
            if item.isList {
                var fields = ViewCursor(payload)
                try self.init(buffer, type: .legacy, binary: item.offset..<cursor.position, fields: &fields)
            } else {
                try self.init(buffer, typed: payload, offset: item.offset)
            }
        }

        /// `type ‖ rlp(fields)` at `range`; `offset` is where its item starts (for errors).
        init(_ buffer: UnsafeBufferPointer<UInt8>, typed range: Range<Int>, offset: Int) throws(RLPError) {
            guard let typeByte = range.isEmpty ? nil : buffer[range.lowerBound] else {
                throw RLPError(.unexpectedEnd, "empty typed transaction", at: offset)
            }
            guard typeByte < 0x80, let type = Transaction.Kind(rawValue: typeByte), type != .legacy else {
                throw RLPError(.unknownTransactionType, "transaction type 0x\(String(typeByte, radix: 16)) is not defined", at: range.lowerBound)
            }
            var outer = ViewCursor((range.lowerBound &+ 1)..<range.upperBound)
            let item = try outer.item(buffer, "")
            guard item.isList else {
                throw RLPError(.expectedList, "a typed transaction's fields are a list", at: item.offset)
            }
            guard outer.isAtEnd else {
                throw RLPError(.trailingBytes, "bytes follow a typed transaction's field list", at: outer.position)
            }
            var fields = ViewCursor(item.payload..<outer.position)
            if type == .blob, !fields.isAtEnd, buffer[fields.position] >= 0xc0 {
                throw RLPError(
                    .unsupportedValue, "a network-form blob transaction (with its sidecar): decode it as Transaction", at: item.offset)
            }
            try self.init(buffer, type: type, binary: range, fields: &fields)
        }

        private init(
            _ buffer: UnsafeBufferPointer<UInt8>, type: Transaction.Kind, binary: Range<Int>, fields list: inout ViewCursor
        ) throws(RLPError) {
            self.type = type
            start = UInt32(truncatingIfNeeded: binary.lowerBound)
            end = UInt32(truncatingIfNeeded: binary.upperBound)
            if type != .legacy { try integer(.chainID, buffer, &list, "chainId") }
            nonce = try list.integer(buffer, "nonce")
            switch type {
            case .legacy, .accessList:
                try integer(.gasPrice, buffer, &list, "gasPrice")
            case .dynamicFee, .blob, .setCode:
                try integer(.maxPriorityFeePerGas, buffer, &list, "maxPriorityFeePerGas")
                try integer(.maxFeePerGas, buffer, &list, "maxFeePerGas")
            }
            gasLimit = try list.integer(buffer, "gasLimit")
            note(.to, list)
            _ = try list.fixed(buffer, count: 20, "to", orEmpty: type != .blob && type != .setCode)
            try integer(.value, buffer, &list, "value")
            note(.data, list)
            _ = try list.bytes(buffer, "data")
            if type != .legacy {
                note(.accessList, list)
                try Self.checkAccessList(buffer, &list)
            }
            if type == .blob {
                try integer(.maxFeePerBlobGas, buffer, &list, "maxFeePerBlobGas")
                note(.blobVersionedHashes, list)
                try Self.checkHashes(buffer, &list, "blobVersionedHashes")
            }
            if type == .setCode {
                note(.authorizations, list)
                try Self.checkAuthorizations(buffer, &list)
            }
            if type == .legacy {
                try integer(.v, buffer, &list, "v")
            } else {
                note(.v, list)
                _ = try list.integer(buffer, "yParity", as: UInt8.self)
            }
            try integer(.r, buffer, &list, "r")
            try integer(.s, buffer, &list, "s")
            if !list.isAtEnd {
                throw RLPError(.tooManyElements, "a \(type) transaction has more fields than its type defines", at: list.position)
            }
        }

        /// Notes where `slot`'s item starts.
        @inline(always)
        private mutating func note(_ slot: Slot, _ list: ViewCursor) {
            items[slot.rawValue] = UInt32(truncatingIfNeeded: list.position)
        }

        /// Notes where `slot`'s item starts and checks it is an integer of at most 32 bytes.
        @inline(always)
        private mutating func integer(
            _ slot: Slot, _ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor, _ field: StaticString
        ) throws(RLPError) {
            note(slot, list)
            _ = try list.uint256(buffer, field)
        }
    }
}
