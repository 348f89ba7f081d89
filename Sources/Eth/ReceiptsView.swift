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
    @usableFromInline let base: ViewStorage
    @usableFromInline let list: Range<Int>
    @usableFromInline let form: Receipt.Form
    /// The request this answers.
    public let requestID: UInt64
    /// eth/70 and later: whether the last block's receipts continue in a later message; nil before.
    public let lastBlockIncomplete: Bool?

    /// Reads the message's outer layout from its (decompressed) payload on eth/`version`.
    /// - Throws: ``RLPError``; `unsupportedValue` for a payload of 4 GiB or more (views count offsets in 32 bits).
    public init(version: UInt, payload: some Collection<UInt8>) throws(RLPError) {
        let base = try ViewStorage(payload)
        let (id, incomplete, blocks) = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
            var fields = try ViewCursor.message(buffer, "a Receipts message")
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
    @inlinable @inline(always)
    public func blocks() -> Blocks { Blocks(base: base, form: form, elements: ViewElements(list, .receiptBlocks)) }

    /// The blocks in order.
    public struct Blocks: Sendable {
        @usableFromInline let base: ViewStorage
        @usableFromInline let form: Receipt.Form
        @usableFromInline var elements: ViewElements

        @inlinable
        init(base: ViewStorage, form: Receipt.Form, elements: ViewElements) {
            self.base = base
            self.form = form
            self.elements = elements
        }

        /// The next block's receipts, nil after the last.
        @inlinable @inline(always)
        public mutating func next() throws(RLPError) -> ReceiptBlockView? {
            let base = self.base
            let form = self.form
            let index = elements.index
            guard let list = try elements.next(base, { buffer, cursor, _ throws(RLPError) in try cursor.list(buffer, "") }) else { return nil }
            return ReceiptBlockView(base: base, form: form, list: list, index: index)
        }
    }
}

/// One block's receipts inside a ``ReceiptsView``.
public struct ReceiptBlockView: Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let form: Receipt.Form
    @usableFromInline let list: Range<Int>
    @usableFromInline let index: Int

    @inlinable
    init(base: ViewStorage, form: Receipt.Form, list: Range<Int>, index: Int) {
        self.base = base
        self.form = form
        self.list = list
        self.index = index
    }

    /// A cursor over the receipts.
    @inlinable @inline(always)
    public func receipts() -> Receipts { Receipts(base: base, form: form, elements: ViewElements(list, .receipts(block: index))) }

    /// The receipts in order, each checked when reached.
    public struct Receipts: Sendable {
        @usableFromInline let base: ViewStorage
        @usableFromInline let form: Receipt.Form
        @usableFromInline var elements: ViewElements

        @inlinable
        init(base: ViewStorage, form: Receipt.Form, elements: ViewElements) {
            self.base = base
            self.form = form
            self.elements = elements
        }

        /// The next receipt, nil after the last.
        /// - Throws: ``RLPError`` when it is malformed (`receipts[block][i].field` in its path).
        @inlinable @inline(always)
        public mutating func next() throws(RLPError) -> ReceiptView? {
            let base = self.base
            let form = self.form
            let layout = try elements.next(base) { buffer, cursor, _ throws(RLPError) in
                try ReceiptView.Layout(buffer, cursor: &cursor, form: form)
            }
            return layout.map { ReceiptView(base: base, layout: $0) }
        }
    }
}
