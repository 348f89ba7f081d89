// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPMacros

/// An EIP-4895 withdrawal: `[index, validatorIndex, address, amount]`, the amount in Gwei.
@RLPList
public struct Withdrawal: Sendable, Hashable {
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

    /// The transactions root its header must carry (a trie of the canonical encodings keyed by index).
    public var transactionsRoot: Hash32 { TrieRoot.orderedRoot(of: transactions.map(\.canonicalEncoding)) }

    /// The ommers hash its header must carry: Keccak-256 of the ommers list.
    public var ommersHash: Hash32 { .keccak(RLPWriter.encode { $0.write(ommers) }[...]) }

    /// The withdrawals root its header must carry, nil before Shanghai.
    public var withdrawalsRoot: Hash32? { withdrawals.map { TrieRoot.orderedRoot(of: $0.map { $0.rlpEncoded() }) } }

    /// Whether this body belongs to `header`: its transactions root, ommers hash and withdrawals root agree (how a
    /// syncing node checks a `BlockBodies` answer against the headers it asked for).
    public func matches(_ header: BlockHeader) -> Bool {
        header.base.transactionsRoot == transactionsRoot && header.base.ommersHash == ommersHash
            && header.withdrawalsRoot == withdrawalsRoot
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
@RLPList
public struct Log: Sendable, Hashable {
    public var address: Address
    public var topics: [Hash32]
    public var data: [UInt8]

    public init(address: Address, topics: [Hash32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }
}

extension Block {
    /// Blocks written one after another, as `geth export` writes a chain file.
    /// - Throws: ``RLPError`` naming the block (`blocks[i]`) and the offset in the file.
    public static func sequence(_ bytes: [UInt8]) throws(RLPError) -> [Block] {
        var reader = RLPReader(bytes)
        var blocks: [Block] = []
        while !reader.isAtEnd {
            do throws(RLPError) {
                blocks.append(try Block(rlp: &reader))
            } catch {
                throw error.prefixingPath("blocks[\(blocks.count)]")
            }
        }
        return blocks
    }
}
