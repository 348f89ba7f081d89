// SPDX-License-Identifier: Apache-2.0
import RLP

extension Transaction: RLPCodable {
    /// Decodes a transaction's binary form: a legacy RLP list, or `type ‖ rlp(fields)` (canonical or, for blob
    /// transactions, network form), or a typed transaction wrapped in an RLP byte string as it sits in a block body
    /// or a Transactions message (`b8c5 02f8…`). Nothing may follow it.
    /// - Throws: ``RLPError`` naming the field and offset: ``RLPError/Code/unknownTransactionType``,
    ///   ``RLPError/Code/inconsistent`` for sidecar counts that disagree, RLP's own codes for the rest.
    public init(binary: some Collection<UInt8>) throws(RLPError) {
        let bytes = RLP.slice(binary)
        guard let first = bytes.first else { throw RLPError(.unexpectedEnd, "empty transaction", at: 0) }
        if first >= 0x80 {
            var reader = RLPReader(bytes)
            try self.init(rlp: &reader)
            try reader.finish()
        } else {
            try self.init(typedBinary: bytes, offset: 0)
        }
    }

    /// Reads one transaction as it appears inside an RLP list: a legacy list, or a byte string holding a typed
    /// transaction's binary form.
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        let element = try reader.readElement()
        switch element.kind {
        case .list:
            try self.init(legacy: element)
        case .bytes:
            try self.init(typedBinary: element.payload, offset: element.offset &+ element.headerLength)
        }
    }

    /// Writes the kept bytes: a legacy list as is, a typed transaction as a byte string.
    public func encode(to writer: inout RLPWriter) {
        if type == .legacy { writer.write(encoded: encoded) } else { writer.write(bytes: encoded) }
    }

    /// `type ‖ payload`, where `offset` is where `bytes` start in the caller's input (for error offsets).
    init(typedBinary bytes: ArraySlice<UInt8>, offset: Int) throws(RLPError) {
        guard let typeByte = bytes.first else { throw RLPError(.unexpectedEnd, "empty typed transaction", at: offset) }
        guard typeByte < 0x80 else {
            let hex = String(typeByte, radix: 16)
            throw RLPError(.unknownTransactionType, "0x\(hex) is not a transaction type (a type is a byte below 0x80)", at: offset)
        }
        guard let type = Kind(rawValue: typeByte), type != .legacy else {
            throw RLPError(.unknownTransactionType, "transaction type \(typeByte) is not defined", at: offset)
        }
        let payload = bytes.dropFirst()
        var reader = RLPReader(payload)
        do throws(RLPError) {
            var list = try reader.listReader()
            try reader.finish()
            let networkForm = type == .blob ? try list.peekKind() == .list : false
            if !networkForm {
                try self.init(type: type, encoded: bytes, fieldList: payload.indices, list: &list)
                return
            }
        } catch {
            throw error.offsetBy(offset &+ 1)
        }
        try self.init(networkForm: bytes, offset: offset)
    }

    /// A legacy transaction: the list `element`.
    init(legacy element: RLPElement) throws(RLPError) {
        let encoded = element.encoded
        var list = try element.listReader()
        try self.init(type: .legacy, encoded: encoded, fieldList: encoded.indices, list: &list)
    }

    /// A blob transaction in network form: `bytes` is `3 ‖ rlp([fields, blobs, commitments, proofs])` (or the
    /// version-1 wrapper), starting at `offset` in the caller's input.
    private init(networkForm bytes: ArraySlice<UInt8>, offset: Int) throws(RLPError) {
        let payload = bytes.dropFirst()
        let element: RLPElement
        do throws(RLPError) {
            var reader = RLPReader(payload)
            element = try reader.readElement()
        } catch {
            throw error.offsetBy(offset &+ 1)
        }
        let (body, sidecar) = try Self.splitNetworkForm(element, offset: offset &+ 1)
        do throws(RLPError) {
            var outer = RLPReader(body)
            var list = try outer.listReader()
            try self.init(type: .blob, encoded: bytes, fieldList: body.indices, list: &list, sidecar: sidecar)
        } catch {
            throw error.offsetBy(offset &+ (body.startIndex &- bytes.startIndex))
        }
        try Self.checkCounts(sidecar, hashes: blobVersionedHashes, offset: offset)
    }

    /// Decodes the fields of a transaction of `type` from `list`, a reader over its field list; `fieldList` is
    /// where that list's encoding sits in `encoded`'s storage.
    private init(
        type: Kind, encoded: ArraySlice<UInt8>, fieldList: Range<Int>, list: inout RLPReader, sidecar: BlobSidecar? = nil
    ) throws(RLPError) {
        var fields = try Fields(type: type, list: &list)
        if type == .legacy {
            fields.chainID = try Self.legacyChainID(v: fields.v, offset: list.offset)
        }
        fields.fieldList = fieldList
        self.type = type
        self.encoded = encoded
        self.fields = fields
        self.sidecar = sidecar
    }

    /// The fields in their order for each type (the EIPs' payload definitions); byte fields as positions in the
    /// transaction's storage.
    struct Fields: Sendable {
        var chainID: UInt256?
        var nonce: UInt64 = 0
        var gasPrice: UInt256?
        var maxPriorityFeePerGas: UInt256?
        var maxFeePerGas: UInt256?
        var gasLimit: UInt64 = 0
        var to: Address?
        var value = UInt256.zero
        var data: Range<Int> = 0..<0
        var accessList: [AccessListEntry] = []
        var maxFeePerBlobGas: UInt256?
        var blobVersionedHashes: [Hash32] = []
        var authorizations: [Authorization] = []
        var v = UInt256.zero
        var r = UInt256.zero
        var s = UInt256.zero
        var unsigned: Range<Int> = 0..<0
        var fieldList: Range<Int> = 0..<0

        init(type: Kind, list: inout RLPReader) throws(RLPError) {
            let start = list.offset
            if type != .legacy { chainID = try list.read(field: "chainId") }
            nonce = try list.read(field: "nonce")
            switch type {
            case .legacy, .accessList:
                gasPrice = try list.read(field: "gasPrice")
            case .dynamicFee, .blob, .setCode:
                maxPriorityFeePerGas = try list.read(field: "maxPriorityFeePerGas")
                maxFeePerGas = try list.read(field: "maxFeePerGas")
            }
            gasLimit = try list.read(field: "gasLimit")
            to = try Self.readRecipient(&list, required: type == .blob || type == .setCode)
            value = try list.read(field: "value")
            data = try Self.readBytes(&list, field: "data").indices
            if type != .legacy { accessList = try list.read(field: "accessList") }
            if type == .blob {
                maxFeePerBlobGas = try list.read(field: "maxFeePerBlobGas")
                blobVersionedHashes = try list.read(field: "blobVersionedHashes")
            }
            if type == .setCode { authorizations = try list.read(field: "authorizationList") }
            unsigned = list.encoded(since: start).indices
            if type == .legacy {
                v = try list.read(field: "v")
            } else {
                let parity: UInt8 = try list.read(field: "yParity")
                v = UInt256(UInt64(parity))
            }
            r = try list.read(field: "r")
            s = try list.read(field: "s")
            if !list.isAtEnd {
                throw RLPError(.tooManyElements, "a \(type) transaction has more fields than its type defines", at: list.offset)
            }
        }

        static func readRecipient(_ list: inout RLPReader, required: Bool) throws(RLPError) -> Address? {
            let offset = list.offset
            let bytes = try readBytes(&list, field: "to")
            if bytes.isEmpty {
                guard !required else {
                    throw RLPError(.invalidValue, "this transaction type cannot create a contract", at: offset, path: ["to"])
                }
                return nil
            }
            guard let address = Address(bytes) else {
                throw RLPError(.wrongByteCount, "expected 20 bytes, found \(bytes.count)", at: offset, path: ["to"])
            }
            return address
        }

        static func readBytes(_ list: inout RLPReader, field: String) throws(RLPError) -> ArraySlice<UInt8> {
            do throws(RLPError) {
                return try list.readBytes()
            } catch {
                throw error.prefixingPath(field)
            }
        }
    }

    /// EIP-155: `v = chainID × 2 + 35 + parity`; 27 and 28 carry no chain ID. Other values are kept (the sender
    /// cannot be recovered from them).
    static func legacyChainID(v: UInt256, offset: Int) throws(RLPError) -> UInt256? {
        guard v >= UInt256(35) else { return nil }
        return v.subtracting(35)?.halved
    }

    /// Splits `[tx, blobs, commitments, proofs]` or `[tx, 1, blobs, commitments, cellProofs]`.
    static func splitNetworkForm(
        _ element: RLPElement, offset: Int
    ) throws(RLPError) -> (ArraySlice<UInt8>, BlobSidecar) {
        do throws(RLPError) {
            var list = try element.listReader()
            let body = try list.readEncoded()
            var version: UInt8 = 0
            if try list.peekKind() == .bytes {
                let versionOffset = list.offset
                version = try list.read(field: "wrapperVersion")
                guard version == 1 else {
                    throw RLPError(
                        .invalidValue, "blob sidecar wrapper version \(version) is not defined (only 1)",
                        at: versionOffset, path: ["wrapperVersion"])
                }
            }
            let blobs: [ArraySlice<UInt8>] = try list.readList { blobs throws(RLPError) in
                var result: [ArraySlice<UInt8>] = []
                while !blobs.isAtEnd {
                    let blobOffset = blobs.offset
                    let blob = try blobs.readBytes()
                    guard blob.count == BlobSidecar.blobSize else {
                        throw RLPError(
                            .wrongByteCount, "a blob has \(BlobSidecar.blobSize) bytes, found \(blob.count)",
                            at: blobOffset, path: ["blobs", "[\(result.count)]"])
                    }
                    result.append(blob)
                }
                return result
            }
            let commitments: [FixedBytes<48>] = try list.read(field: "commitments")
            let proofs: [FixedBytes<48>] = try list.read(field: version == 0 ? "proofs" : "cellProofs")
            try list.finish()
            return (body, BlobSidecar(version: version, blobs: blobs, commitments: commitments, proofs: proofs))
        } catch {
            throw error.offsetBy(offset)
        }
    }

    static func checkCounts(_ sidecar: BlobSidecar, hashes: [Hash32], offset: Int) throws(RLPError) {
        let blobs = sidecar.blobs.count
        let proofsPerBlob = sidecar.version == 0 ? 1 : BlobSidecar.cellProofsPerBlob
        guard blobs == hashes.count, sidecar.commitments.count == blobs,
            sidecar.proofs.count == blobs &* proofsPerBlob
        else {
            throw RLPError(
                .inconsistent,
                "sidecar counts disagree: \(hashes.count) versioned hashes, \(blobs) blobs, "
                    + "\(sidecar.commitments.count) commitments, \(sidecar.proofs.count) proofs "
                    + "(\(proofsPerBlob) per blob expected)", at: offset, path: ["sidecar"])
        }
    }
}
