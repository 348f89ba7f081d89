// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPMacros

/// Where a header request starts: a block number or a block hash.
public enum BlockOrigin: Sendable, Hashable, RLPCodable, CustomStringConvertible {
    case number(UInt64)
    case hash(Hash32)

    public var description: String {
        switch self {
        case .number(let number): "#\(number)"
        case .hash(let hash): "\(hash)"
        }
    }

    public func encode(to writer: inout RLPWriter) {
        switch self {
        case .number(let number): writer.write(integer: number)
        case .hash(let hash): writer.write(hash)
        }
    }

    /// A byte string of at most 8 bytes is a number, of 32 bytes a hash; anything else is an error.
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        let offset = reader.offset
        let bytes = try reader.readBytes()
        if bytes.count == 32, let hash = Hash32(bytes) {
            self = .hash(hash)
            return
        }
        guard bytes.count <= 8 else {
            throw RLPError(
                .wrongByteCount, "origin must be a number of at most 8 bytes or a 32-byte hash, found \(bytes.count) bytes",
                at: offset)
        }
        guard bytes.first != 0 else {
            throw RLPError(.nonCanonicalInteger, "origin number has a leading zero byte", at: offset)
        }
        self = .number(bytes.reduce(0) { $0 << 8 | UInt64($1) })
    }
}

/// GetBlockHeaders: `[origin, amount, skip, reverse]`.
public struct HeaderRequest: Sendable, Hashable, RLPCodable {
    public var origin: BlockOrigin
    public var amount: UInt64
    /// Blocks left out between two returned headers.
    public var skip: UInt64
    /// Towards lower numbers.
    public var reverse: Bool

    public init(origin: BlockOrigin, amount: UInt64, skip: UInt64, reverse: Bool) {
        self.origin = origin
        self.amount = amount
        self.skip = skip
        self.reverse = reverse
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(origin)
            list.write(integer: amount)
            list.write(integer: skip)
            list.write(reverse)
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            HeaderRequest(
                origin: try list.read(field: "origin"), amount: try list.read(field: "amount"),
                skip: try list.read(field: "skip"), reverse: try list.read(field: "reverse"))
        }
    }
}

/// One NewBlockHashes entry: `[hash, number]`.
@RLPList
public struct BlockAnnouncement: Sendable, Hashable {
    public var hash: Hash32
    public var number: UInt64

    public init(hash: Hash32, number: UInt64) {
        self.hash = hash
        self.number = number
    }
}

/// NewPooledTransactionHashes (EIP-5793): `[types, [size, ...], [hash, ...]]`, and from eth/72 (EIP-8070, a draft)
/// a trailing cell mask.
///
/// The three lists must have equal lengths; go-ethereum checks that after decoding and disconnects a peer that
/// breaks it, so decoding keeps such a message and ``isConsistent`` reports it.
public struct TransactionAnnouncement: Sendable, Hashable {
    /// One type byte per transaction.
    public var types: [UInt8]
    /// Sizes of the canonical encodings.
    public var sizes: [UInt32]
    public var hashes: [Hash32]
    /// eth/72: which cells of the announced blob transactions the sender holds; nil before eth/72.
    public var cellMask: [UInt8]?

    public init(types: [UInt8], sizes: [UInt32], hashes: [Hash32], cellMask: [UInt8]? = nil) {
        self.types = types
        self.sizes = sizes
        self.hashes = hashes
        self.cellMask = cellMask
    }

    /// The three lists have the same length.
    public var isConsistent: Bool { types.count == sizes.count && sizes.count == hashes.count }

    public init(rlp reader: inout RLPReader, protocolVersion: UInt) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            TransactionAnnouncement(
                types: try list.read(field: "types"), sizes: try list.read(field: "sizes"),
                hashes: try list.read(field: "hashes"),
                cellMask: protocolVersion >= 72 ? try list.read(field: "cellMask") : nil)
        }
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(bytes: types)
            list.write(sizes)
            list.write(hashes)
            if let cellMask { list.write(bytes: cellMask) }
        }
    }
}
