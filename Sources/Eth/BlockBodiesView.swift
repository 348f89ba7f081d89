// SPDX-License-Identifier: Apache-2.0
import RLP

/// A `BlockBodies` message read in place: `[requestID, [[transactions, ommers(, withdrawals)], ...]]`.
///
/// Making the view reads the request ID and the list's header; ``bodies()`` walks the bodies, and each body's
/// ``BlockBodyView/transactions()`` its transactions, checking each as it is reached (a malformed one throws
/// ``RLPError`` with its offset in the payload and its path, `bodies`, `[2]`, `transactions`, `[5]`, `nonce`). Nothing is
/// allocated per body or transaction. ``EthMessage/blockBodies(requestID:_:)`` is the owned form.
///
/// ```swift
/// let message = try BlockBodiesView(payload: payload)
/// var bodies = message.bodies()
/// while let body = try bodies.next() {
///     var transactions = body.transactions()
///     while let tx = try transactions.next() { print(tx.hash) }
/// }
/// ```
public struct BlockBodiesView: Sendable {
    @usableFromInline let base: ViewStorage
    @usableFromInline let list: Range<Int>
    /// The request this answers.
    public let requestID: UInt64

    /// Reads the message's outer layout from its (decompressed) payload; the layout is the same on eth/68 to eth/72.
    /// - Throws: ``RLPError``; `unsupportedValue` for a payload of 4 GiB or more (views count offsets in 32 bits).
    public init(payload: some Collection<UInt8>) throws(RLPError) {
        let base = try ViewStorage(payload)
        let (id, bodies) = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
            var fields = try ViewCursor.message(buffer, "a BlockBodies message")
            let id: UInt64 = try fields.integer(buffer, "requestID")
            let bodies = try fields.list(buffer, "bodies")
            try fields.finish("a BlockBodies message")
            return (id, bodies)
        }
        requestID = id
        list = bodies
        self.base = base
    }

    /// A cursor over the bodies.
    @inlinable @inline(always)
    public func bodies() -> Bodies { Bodies(base: base, elements: ViewElements(list, .bodies)) }

    /// The bodies in order, each checked when reached.
    public struct Bodies: Sendable {
        @usableFromInline let base: ViewStorage
        @usableFromInline var elements: ViewElements

        @inlinable
        init(base: ViewStorage, elements: ViewElements) {
            self.base = base
            self.elements = elements
        }

        /// The next body, nil after the last.
        /// - Throws: ``RLPError`` when the body's layout is wrong (`bodies[i]` in its path).
        @inlinable @inline(always)
        public mutating func next() throws(RLPError) -> BlockBodyView? {
            let base = self.base
            let index = elements.index
            let lists = try elements.next(base) { buffer, cursor, _ throws(RLPError) in
                var body = ViewCursor(try cursor.list(buffer, ""))
                let transactions = try body.list(buffer, "transactions")
                let ommers = try body.list(buffer, "ommers")
                let withdrawals = try body.isAtEnd ? nil : body.list(buffer, "withdrawals")
                try body.finish("a block body")
                return (transactions, ommers, withdrawals)
            }
            guard let (transactions, ommers, withdrawals) = lists else { return nil }
            return BlockBodyView(base: base, index: index, transactionList: transactions, ommerList: ommers, withdrawalList: withdrawals)
        }
    }
}

/// One block body inside a ``BlockBodiesView``.
public struct BlockBodyView: Sendable {
    @usableFromInline let base: ViewStorage
    /// Where the body sits in its message (for error paths).
    @usableFromInline let index: Int
    @usableFromInline let transactionList: Range<Int>
    @usableFromInline let ommerList: Range<Int>
    @usableFromInline let withdrawalList: Range<Int>?

    @inlinable
    init(base: ViewStorage, index: Int, transactionList: Range<Int>, ommerList: Range<Int>, withdrawalList: Range<Int>?) {
        self.base = base
        self.index = index
        self.transactionList = transactionList
        self.ommerList = ommerList
        self.withdrawalList = withdrawalList
    }

    /// True when the body has a withdrawals list (Shanghai and later).
    public var hasWithdrawals: Bool { withdrawalList != nil }

    /// A cursor over the transactions.
    @inlinable @inline(always)
    public func transactions() -> Transactions {
        Transactions(base: base, elements: ViewElements(transactionList, .transactions(body: index)))
    }

    /// The ommer headers, decoded (empty after the merge).
    public var ommers: [BlockHeader] {
        get throws(RLPError) {
            var reader = RLPReader(base.slice(ommerList))
            do throws(RLPError) {
                return try reader.readAll(BlockHeader.self)
            } catch {
                throw ViewError.prefixed(error.offsetBy(ommerList.lowerBound), "bodies", "[\(index)]", "ommers")
            }
        }
    }

    /// A cursor over the withdrawals (none before Shanghai).
    @inlinable @inline(always)
    public func withdrawals() -> Withdrawals {
        let list = withdrawalList ?? ommerList.upperBound..<ommerList.upperBound
        return Withdrawals(base: base, elements: ViewElements(list, .withdrawals(body: index)))
    }

    /// The transactions in order, each checked when reached.
    public struct Transactions: Sendable {
        @usableFromInline let base: ViewStorage
        @usableFromInline var elements: ViewElements

        @inlinable
        init(base: ViewStorage, elements: ViewElements) {
            self.base = base
            self.elements = elements
        }

        /// The next transaction, nil after the last.
        /// - Throws: ``RLPError`` when it is malformed (`transactions[i].field` in its path).
        @inlinable @inline(always)
        public mutating func next() throws(RLPError) -> TransactionView? {
            let base = self.base
            let layout = try elements.next(base) { buffer, cursor, _ throws(RLPError) in try TransactionView.Layout(buffer, cursor: &cursor) }
            return layout.map { TransactionView(base: base, layout: $0) }
        }
    }

    /// The withdrawals in order, each checked and decoded when reached (a withdrawal is four small values).
    public struct Withdrawals: Sendable {
        @usableFromInline let base: ViewStorage
        @usableFromInline var elements: ViewElements

        @inlinable
        init(base: ViewStorage, elements: ViewElements) {
            self.base = base
            self.elements = elements
        }

        /// The next withdrawal, nil after the last.
        @inlinable @inline(always)
        public mutating func next() throws(RLPError) -> Withdrawal? {
            try elements.next(base) { buffer, cursor, _ throws(RLPError) in
                var fields = ViewCursor(try cursor.list(buffer, ""))
                let withdrawal = Withdrawal(
                    index: try fields.integer(buffer, "index"), validatorIndex: try fields.integer(buffer, "validatorIndex"),
                    address: ViewValue.fixed(buffer, try fields.fixed(buffer, count: 20, "address")),
                    amountGwei: try fields.integer(buffer, "amountGwei"))
                try fields.finish("a withdrawal")
                return withdrawal
            }
        }
    }
}
