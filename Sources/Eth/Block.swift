// SPDX-License-Identifier: Apache-2.0
import RLP

/// An EIP-4895 withdrawal: `[index, validatorIndex, address, amount]`, the amount in Gwei.
public struct Withdrawal: Sendable, Hashable, RLPCodable {
    public var index: UInt64
    public var validatorIndex: UInt64
    public var address: Address
    public var amountGwei: UInt64

    public init(index: UInt64, validatorIndex: UInt64, address: Address, amountGwei: UInt64) {
        self.index = index
        self.validatorIndex = validatorIndex
        self.address = address
        self.amountGwei = amountGwei
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(integer: index)
            list.write(integer: validatorIndex)
            list.write(address)
            list.write(integer: amountGwei)
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            Withdrawal(
                index: try list.read(field: "index"), validatorIndex: try list.read(field: "validatorIndex"),
                address: try list.read(field: "address"), amountGwei: try list.read(field: "amount"))
        }
    }
}

/// A block's body: `[transactions, ommers]`, and from Shanghai `[transactions, ommers, withdrawals]`.
public struct BlockBody: Sendable, Hashable, RLPCodable {
    public var transactions: [Transaction]
    public var ommers: [BlockHeader]
    /// nil before Shanghai (the element is absent), a list (maybe empty) after.
    public var withdrawals: [Withdrawal]?

    public init(transactions: [Transaction], ommers: [BlockHeader], withdrawals: [Withdrawal]?) {
        self.transactions = transactions
        self.ommers = ommers
        self.withdrawals = withdrawals
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(transactions)
            list.write(ommers)
            if let withdrawals { list.write(withdrawals) }
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            BlockBody(
                transactions: try list.read(field: "transactions"), ommers: try list.read(field: "ommers"),
                withdrawals: list.isAtEnd ? nil : try list.read(field: "withdrawals"))
        }
    }
}

/// A whole block: `[header, transactions, ommers(, withdrawals)]`.
public struct Block: Sendable, Hashable, RLPCodable {
    public var header: BlockHeader
    public var body: BlockBody

    public init(header: BlockHeader, body: BlockBody) {
        self.header = header
        self.body = body
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(header)
            list.write(body.transactions)
            list.write(body.ommers)
            if let withdrawals = body.withdrawals { list.write(withdrawals) }
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            let header: BlockHeader = try list.read(field: "header")
            let body = BlockBody(
                transactions: try list.read(field: "transactions"), ommers: try list.read(field: "ommers"),
                withdrawals: list.isAtEnd ? nil : try list.read(field: "withdrawals"))
            return Block(header: header, body: body)
        }
    }
}

/// A log entry: `[address, topics, data]`.
public struct Log: Sendable, Hashable, RLPCodable {
    public var address: Address
    public var topics: [Hash32]
    public var data: [UInt8]

    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(address)
            list.write(topics)
            list.write(bytes: data)
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            Log(address: try list.read(field: "address"), topics: try list.read(field: "topics"), data: try list.read(field: "data"))
        }
    }
}
