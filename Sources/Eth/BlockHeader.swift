// SPDX-License-Identifier: Apache-2.0
import RLP

/// A block header of any fork: the 15 fields every header has, then the fields each fork appended, in order.
///
/// Later fields are optional and trailing: a header with a later field has every earlier one (go-ethereum's
/// `rlp:"optional"` rule). Decoding reads what is there; ``init(base:baseFeePerGas:withdrawalsRoot:blobGasUsed:excessBlobGas:parentBeaconBlockRoot:requestsHash:blockAccessListHash:slotNumber:)``
/// refuses a gap, so every header value encodes without shifting fields. ``hash`` is Keccak-256 of the encoding;
/// strict decoding makes the encoding unique, so a decoded header re-encodes to its input.
public struct BlockHeader: Sendable, Hashable {
    /// The 15 fields of every header (Frontier to Berlin).
    public struct Base: Sendable, Hashable {
        public var parentHash: Hash32
        public var ommersHash: Hash32
        public var coinbase: Address
        public var stateRoot: Hash32
        public var transactionsRoot: Hash32
        public var receiptsRoot: Hash32
        public var logsBloom: Bloom
        public var difficulty: UInt256
        public var number: UInt64
        public var gasLimit: UInt64
        public var gasUsed: UInt64
        public var timestamp: UInt64
        public var extraData: [UInt8]
        public var mixHash: Hash32
        public var nonce: FixedBytes<8>

        public init(
            parentHash: Hash32, ommersHash: Hash32, coinbase: Address, stateRoot: Hash32, transactionsRoot: Hash32,
            receiptsRoot: Hash32, logsBloom: Bloom, difficulty: UInt256, number: UInt64, gasLimit: UInt64,
            gasUsed: UInt64, timestamp: UInt64, extraData: [UInt8], mixHash: Hash32, nonce: FixedBytes<8>
        ) {
            self.parentHash = parentHash
            self.ommersHash = ommersHash
            self.coinbase = coinbase
            self.stateRoot = stateRoot
            self.transactionsRoot = transactionsRoot
            self.receiptsRoot = receiptsRoot
            self.logsBloom = logsBloom
            self.difficulty = difficulty
            self.number = number
            self.gasLimit = gasLimit
            self.gasUsed = gasUsed
            self.timestamp = timestamp
            self.extraData = extraData
            self.mixHash = mixHash
            self.nonce = nonce
        }
    }

    /// The fields every header has.
    public let base: Base
    /// London (EIP-1559).
    public let baseFeePerGas: UInt256?
    /// Shanghai (EIP-4895).
    public let withdrawalsRoot: Hash32?
    /// Cancun (EIP-4844).
    public let blobGasUsed: UInt64?
    /// Cancun (EIP-4844).
    public let excessBlobGas: UInt64?
    /// Cancun (EIP-4788).
    public let parentBeaconBlockRoot: Hash32?
    /// Prague (EIP-7685).
    public let requestsHash: Hash32?
    /// Amsterdam (EIP-7928, a draft in review: may still change).
    public let blockAccessListHash: Hash32?
    /// Amsterdam (EIP-7843, a draft in review: may still change).
    public let slotNumber: UInt64?

    /// The names of the fields after the base 15, in order.
    public static let optionalFieldNames = [
        "baseFeePerGas", "withdrawalsRoot", "blobGasUsed", "excessBlobGas", "parentBeaconBlockRoot", "requestsHash",
        "blockAccessListHash", "slotNumber",
    ]

    /// A header from its fields.
    /// - Throws: ``RLPError/Code/inconsistent`` naming the first missing field when a later one is present.
    public init(
        base: Base, baseFeePerGas: UInt256? = nil, withdrawalsRoot: Hash32? = nil, blobGasUsed: UInt64? = nil,
        excessBlobGas: UInt64? = nil, parentBeaconBlockRoot: Hash32? = nil, requestsHash: Hash32? = nil,
        blockAccessListHash: Hash32? = nil, slotNumber: UInt64? = nil
    ) throws(RLPError) {
        let present = [
            baseFeePerGas != nil, withdrawalsRoot != nil, blobGasUsed != nil, excessBlobGas != nil,
            parentBeaconBlockRoot != nil, requestsHash != nil, blockAccessListHash != nil, slotNumber != nil,
        ]
        if let last = present.lastIndex(of: true), let gap = present[..<last].firstIndex(of: false) {
            throw RLPError(
                .inconsistent,
                "\(Self.optionalFieldNames[last]) is set but \(Self.optionalFieldNames[gap]) is not: "
                    + "header fields after the first 15 are trailing optionals", path: [Self.optionalFieldNames[gap]])
        }
        self.base = base
        self.baseFeePerGas = baseFeePerGas
        self.withdrawalsRoot = withdrawalsRoot
        self.blobGasUsed = blobGasUsed
        self.excessBlobGas = excessBlobGas
        self.parentBeaconBlockRoot = parentBeaconBlockRoot
        self.requestsHash = requestsHash
        self.blockAccessListHash = blockAccessListHash
        self.slotNumber = slotNumber
    }

    /// How many fields the header has (15 to 23).
    public var fieldCount: Int {
        let optionals: [Bool] = [
            baseFeePerGas != nil, withdrawalsRoot != nil, blobGasUsed != nil, excessBlobGas != nil,
            parentBeaconBlockRoot != nil, requestsHash != nil, blockAccessListHash != nil, slotNumber != nil,
        ]
        return 15 &+ optionals.count(where: { $0 })
    }

    /// The fork whose header layout this field count is: the latest fork that has exactly these fields.
    public var impliedFork: String {
        switch fieldCount {
        case 15: "frontier-to-berlin"
        case 16: base.difficulty == .zero ? "paris" : "london"
        case 17: "shanghai"
        case 18, 19: "non-standard (pre-EIP-4788 Cancun draft)"
        case 20: "cancun"
        case 21: "prague"
        case 22: "non-standard (Amsterdam draft, partial)"
        default: "amsterdam (draft)"
        }
    }

    /// Keccak-256 of the encoding.
    public var hash: Hash32 { .keccak(rlpEncoded()[...]) }

    /// The block number.
    public var number: UInt64 { base.number }
}

extension BlockHeader: RLPCodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(base.parentHash)
            list.write(base.ommersHash)
            list.write(base.coinbase)
            list.write(base.stateRoot)
            list.write(base.transactionsRoot)
            list.write(base.receiptsRoot)
            list.write(base.logsBloom)
            list.write(base.difficulty)
            list.write(integer: base.number)
            list.write(integer: base.gasLimit)
            list.write(integer: base.gasUsed)
            list.write(integer: base.timestamp)
            list.write(bytes: base.extraData)
            list.write(base.mixHash)
            list.write(base.nonce)
            if let baseFeePerGas { list.write(baseFeePerGas) }
            if let withdrawalsRoot { list.write(withdrawalsRoot) }
            if let blobGasUsed { list.write(integer: blobGasUsed) }
            if let excessBlobGas { list.write(integer: excessBlobGas) }
            if let parentBeaconBlockRoot { list.write(parentBeaconBlockRoot) }
            if let requestsHash { list.write(requestsHash) }
            if let blockAccessListHash { list.write(blockAccessListHash) }
            if let slotNumber { list.write(integer: slotNumber) }
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            let base = Base(
                parentHash: try list.read(field: "parentHash"), ommersHash: try list.read(field: "ommersHash"),
                coinbase: try list.read(field: "coinbase"), stateRoot: try list.read(field: "stateRoot"),
                transactionsRoot: try list.read(field: "transactionsRoot"),
                receiptsRoot: try list.read(field: "receiptsRoot"), logsBloom: try list.read(field: "logsBloom"),
                difficulty: try list.read(field: "difficulty"), number: try list.read(field: "number"),
                gasLimit: try list.read(field: "gasLimit"), gasUsed: try list.read(field: "gasUsed"),
                timestamp: try list.read(field: "timestamp"), extraData: try list.read(field: "extraData"),
                mixHash: try list.read(field: "mixHash"), nonce: try list.read(field: "nonce"))
            func optional<T: RLPDecodable>(_ field: String) throws(RLPError) -> T? {
                list.isAtEnd ? nil : try list.read(T.self, field: field)
            }
            return try BlockHeader(
                base: base, baseFeePerGas: try optional("baseFeePerGas"), withdrawalsRoot: try optional("withdrawalsRoot"),
                blobGasUsed: try optional("blobGasUsed"), excessBlobGas: try optional("excessBlobGas"),
                parentBeaconBlockRoot: try optional("parentBeaconBlockRoot"), requestsHash: try optional("requestsHash"),
                blockAccessListHash: try optional("blockAccessListHash"), slotNumber: try optional("slotNumber"))
        }
    }
}
