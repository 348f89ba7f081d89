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
    let base: ArraySlice<UInt8>
    let list: Range<Int>
    /// The request this answers.
    public let requestID: UInt64

    /// Reads the message's outer layout from its (decompressed) payload; the layout is the same on eth/68 to eth/72.
    public init(payload: some Collection<UInt8>) throws(RLPError) {
        let base = RLP.slice(payload)
        let (id, bodies) = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
            var top = ViewCursor(0..<buffer.count)
            let (header, offset) = try top.next(buffer)
            guard header.isList else { throw RLPError(.expectedList, "a BlockBodies message is a list", at: offset) }
            guard top.isAtEnd else {
                throw RLPError(.trailingBytes, "\(buffer.count - top.position) bytes follow the message", at: top.position)
            }
            var fields = ViewCursor((offset &+ header.headerLength)..<top.position)
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
    public func bodies() -> Bodies { Bodies(base: base, cursor: ViewCursor(list)) }

    /// The bodies in order, each checked when reached.
    public struct Bodies: Sendable {
        let base: ArraySlice<UInt8>
        var cursor: ViewCursor
        var index = 0

        /// The next body, nil after the last.
        /// - Throws: ``RLPError`` when the body's layout is wrong (`bodies[i]` in its path).
        public mutating func next() throws(RLPError) -> BlockBodyView? {
            guard !cursor.isAtEnd else { return nil }
            let base = self.base
            let index = self.index
            self.index &+= 1
            do throws(RLPError) {
                return try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                    var body = ViewCursor(try cursor.list(buffer, "body"))
                    let transactions = try body.list(buffer, "transactions")
                    let ommers = try body.list(buffer, "ommers")
                    let withdrawals = try body.isAtEnd ? nil : body.list(buffer, "withdrawals")
                    try body.finish("a block body")
                    return BlockBodyView(
                        base: base, index: index, transactionList: transactions, ommerList: ommers, withdrawalList: withdrawals)
                }
            } catch {
                throw error.prefixingPath("[\(index)]").prefixingPath("bodies")
            }
        }
    }
}

/// One block body inside a ``BlockBodiesView``.
public struct BlockBodyView: Sendable {
    let base: ArraySlice<UInt8>
    /// Where the body sits in its message (for error paths).
    let index: Int
    let transactionList: Range<Int>
    let ommerList: Range<Int>
    let withdrawalList: Range<Int>?

    /// True when the body has a withdrawals list (Shanghai and later).
    public var hasWithdrawals: Bool { withdrawalList != nil }

    /// A cursor over the transactions.
    public func transactions() -> Transactions { Transactions(base: base, body: index, cursor: ViewCursor(transactionList)) }

    /// The encodings of the ommer headers, one by one (decode them with ``BlockHeader``; empty after the merge).
    public var ommers: [BlockHeader] {
        get throws(RLPError) {
            var reader = RLPReader(base[(base.startIndex &+ ommerList.lowerBound)..<(base.startIndex &+ ommerList.upperBound)])
            do throws(RLPError) {
                return try reader.readAll(BlockHeader.self)
            } catch {
                throw error.offsetBy(ommerList.lowerBound).prefixingPath("ommers").prefixingPath("[\(index)]").prefixingPath("bodies")
            }
        }
    }

    /// A cursor over the withdrawals (none before Shanghai).
    public func withdrawals() -> Withdrawals {
        Withdrawals(base: base, body: index, cursor: ViewCursor(withdrawalList ?? ommerList.upperBound..<ommerList.upperBound))
    }

    /// The transactions in order, each checked when reached.
    public struct Transactions: Sendable {
        let base: ArraySlice<UInt8>
        let body: Int
        var cursor: ViewCursor
        var index = 0

        /// The next transaction, nil after the last.
        /// - Throws: ``RLPError`` when it is malformed (`transactions[i].field` in its path).
        public mutating func next() throws(RLPError) -> TransactionView? {
            guard !cursor.isAtEnd else { return nil }
            let base = self.base
            let index = self.index
            self.index &+= 1
            do throws(RLPError) {
                return try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                    try TransactionView(base: base, buffer: buffer, cursor: &cursor)
                }
            } catch {
                throw error.prefixingPath("[\(index)]").prefixingPath("transactions").prefixingPath("[\(body)]").prefixingPath("bodies")
            }
        }
    }

    /// The withdrawals in order, each checked and decoded when reached (a withdrawal is four small values).
    public struct Withdrawals: Sendable {
        let base: ArraySlice<UInt8>
        let body: Int
        var cursor: ViewCursor
        var index = 0

        /// The next withdrawal, nil after the last.
        public mutating func next() throws(RLPError) -> Withdrawal? {
            guard !cursor.isAtEnd else { return nil }
            let index = self.index
            self.index &+= 1
            do throws(RLPError) {
                return try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                    var fields = ViewCursor(try cursor.list(buffer, "withdrawal"))
                    let withdrawal = Withdrawal(
                        index: try fields.integer(buffer, "index"), validatorIndex: try fields.integer(buffer, "validatorIndex"),
                        address: ViewValue.fixed(buffer, try fields.fixed(buffer, count: 20, "address")),
                        amountGwei: try fields.integer(buffer, "amountGwei"))
                    try fields.finish("a withdrawal")
                    return withdrawal
                }
            } catch {
                throw error.prefixingPath("[\(index)]").prefixingPath("withdrawals").prefixingPath("[\(body)]").prefixingPath("bodies")
            }
        }
    }
}
