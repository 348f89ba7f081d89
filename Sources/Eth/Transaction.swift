// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPMacros

/// A signed transaction of any type, decoded from its exact bytes and keeping them.
///
/// The binary form is a legacy transaction's RLP list, or `type ‖ rlp(fields)` for a typed one (EIP-2718); inside
/// RLP lists (messages, block bodies) a typed transaction travels as a byte string holding that form. An EIP-4844
/// transaction may come in its network form (`3 ‖ rlp([fields, blobs, commitments, proofs])`, or with a wrapper
/// version 1 and cell proofs after Osaka, EIP-7594), whose ``sidecar`` is then set.
///
/// Re-encoding writes the kept bytes, so it is byte-identical to the input; ``hash`` and ``signingHash`` hash the
/// kept bytes without re-encoding the fields. Fields that a type does not have are nil or empty.
///
/// ```swift
/// let tx = try Transaction(binary: bytes)
/// print(tx.type, tx.hash, try tx.sender())
/// ```
public struct Transaction: Sendable, Hashable {
    /// The EIP-2718 transaction types.
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Before EIP-2718: an RLP list, with or without EIP-155 replay protection.
        case legacy = 0
        /// EIP-2930: access lists.
        case accessList = 1
        /// EIP-1559: priority fee and fee cap.
        case dynamicFee = 2
        /// EIP-4844: blobs.
        case blob = 3
        /// EIP-7702: code delegation by authorization list.
        case setCode = 4

        public var description: String {
            switch self {
            case .legacy: "legacy"
            case .accessList: "access-list (EIP-2930)"
            case .dynamicFee: "dynamic-fee (EIP-1559)"
            case .blob: "blob (EIP-4844)"
            case .setCode: "set-code (EIP-7702)"
            }
        }
    }

    /// The type.
    public let type: Kind
    /// The bytes as received: the binary form (network form for a blob transaction with its sidecar).
    public let encoded: ArraySlice<UInt8>
    /// The decoded fields, with the positions of the field list, the unsigned fields and the data in `encoded`'s
    /// storage: one value moved in place, so decoding copies no slices and retains the buffer once.
    let fields: Fields
    /// The blobs, commitments and proofs of a network-form blob transaction.
    public let sidecar: BlobSidecar?

    /// The RLP list of the canonical fields (for a legacy transaction, the whole encoding).
    var fieldList: ArraySlice<UInt8> { encoded[fields.fieldList] }
    /// The encodings of the fields before the signature, back to back.
    var unsignedFields: ArraySlice<UInt8> { encoded[fields.unsigned] }

    /// EIP-155 or typed chain ID; nil for a legacy transaction without replay protection.
    public var chainID: UInt256? { fields.chainID }
    /// The sender's nonce.
    public var nonce: UInt64 { fields.nonce }
    /// Gas price (legacy and EIP-2930).
    public var gasPrice: UInt256? { fields.gasPrice }
    /// EIP-1559 priority fee per gas (types 2, 3 and 4).
    public var maxPriorityFeePerGas: UInt256? { fields.maxPriorityFeePerGas }
    /// EIP-1559 fee cap per gas (types 2, 3 and 4).
    public var maxFeePerGas: UInt256? { fields.maxFeePerGas }
    /// Gas limit.
    public var gasLimit: UInt64 { fields.gasLimit }
    /// The recipient; nil for contract creation (legacy, 2930 and 1559 only).
    public var to: Address? { fields.to }
    /// Wei transferred.
    public var value: UInt256 { fields.value }
    /// Call data or init code.
    public var data: ArraySlice<UInt8> { encoded[fields.data] }
    /// EIP-2930 access list (types 1 to 4).
    public var accessList: [AccessListEntry] { fields.accessList }
    /// EIP-4844 blob fee cap.
    public var maxFeePerBlobGas: UInt256? { fields.maxFeePerBlobGas }
    /// EIP-4844 versioned hashes of the blobs.
    public var blobVersionedHashes: [Hash32] { fields.blobVersionedHashes }
    /// EIP-7702 authorizations.
    public var authorizations: [Authorization] { fields.authorizations }
    /// The signature's `v` as encoded: 27/28 or EIP-155's `chainID × 2 + 35/36` for legacy, the y parity (0 or
    /// 1) for typed transactions.
    public var v: UInt256 { fields.v }
    /// Signature `r`.
    public var r: UInt256 { fields.r }
    /// Signature `s`.
    public var s: UInt256 { fields.s }

    /// Two transactions are equal when their bytes are (the bytes determine every field).
    public static func == (a: Transaction, b: Transaction) -> Bool { a.encoded == b.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }

    /// The transaction hash: Keccak-256 of the canonical binary form (without a sidecar).
    public var hash: Hash32 {
        type == .legacy ? .keccak(fieldList) : .keccak([type.rawValue][...], fieldList)
    }

    /// The canonical binary form: `encoded`, less the sidecar of a network-form blob transaction.
    public var canonicalEncoding: [UInt8] {
        type == .legacy ? Array(fieldList) : [type.rawValue] + fieldList
    }

    /// Bytes of the canonical binary form (the size that `NewPooledTransactionHashes` announces).
    public var canonicalSize: Int { type == .legacy ? fieldList.count : fieldList.count &+ 1 }
}

/// One EIP-2930 access-list entry: an address and the storage keys it touches.
@RLPList
public struct AccessListEntry: Sendable, Hashable {
    public var address: Address
    public var storageKeys: [Hash32]

    public init(address: Address, storageKeys: [Hash32]) {
        self.address = address
        self.storageKeys = storageKeys
    }
}

/// One EIP-7702 authorization: `[chainID, address, nonce, yParity, r, s]`, signed by the account that delegates.
public struct Authorization: Sendable, Hashable, RLPDecodable {
    public let chainID: UInt256
    /// The contract whose code the authority delegates to.
    public let address: Address
    public let nonce: UInt64
    public let yParity: UInt8
    public let r: UInt256
    public let s: UInt256
    /// The encodings of chainID, address and nonce, back to back (what the authority signed).
    let unsignedFields: ArraySlice<UInt8>
    /// The exact encoding.
    public let encoded: ArraySlice<UInt8>

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        let element = try reader.readElement()
        var list = try element.listReader()
        let start = list.offset
        chainID = try list.read(field: "chainId")
        address = try list.read(field: "address")
        nonce = try list.read(field: "nonce")
        unsignedFields = list.encoded(since: start)
        yParity = try list.read(field: "yParity")
        r = try list.read(field: "r")
        s = try list.read(field: "s")
        try list.finish()
        encoded = element.encoded
    }
}

/// The EIP-4844 sidecar of a network-form blob transaction.
public struct BlobSidecar: Sendable, Hashable {
    /// Bytes in one blob.
    public static let blobSize = 131_072
    /// Cell proofs per blob in wrapper version 1 (EIP-7594).
    public static let cellProofsPerBlob = 128

    /// 0 for EIP-4844's form (one proof per blob), 1 for EIP-7594's (128 cell proofs per blob).
    public let version: UInt8
    public let blobs: [ArraySlice<UInt8>]
    public let commitments: [FixedBytes<48>]
    public let proofs: [FixedBytes<48>]
}
