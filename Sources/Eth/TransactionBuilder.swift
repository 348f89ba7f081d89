// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// The fields of a transaction of any type, signed with secp256k1 into a ``Transaction``: legacy (with or without
/// EIP-155), access list, dynamic fee, blob (canonical form, or network form with a ``BlobSidecar``) and set code.
///
/// Fields a type does not have are left out of its encoding. Nothing is checked beyond what decoding the result
/// checks, so invalid transactions (too little gas, a fee cap below the tip) can be built on purpose.
public struct TransactionBuilder: Sendable, Hashable {
    public var type: Transaction.Kind
    /// The chain ID of typed transactions and of EIP-155 legacy ones.
    public var chainID: UInt64
    public var nonce: UInt64
    /// Legacy and access-list transactions.
    public var gasPrice: UInt256
    /// Dynamic-fee, blob and set-code transactions.
    public var maxPriorityFeePerGas: UInt256
    public var maxFeePerGas: UInt256
    public var gasLimit: UInt64
    /// nil creates a contract (an empty field; blob and set-code transactions need an address).
    public var to: Address?
    public var value: UInt256
    public var data: [UInt8]
    public var accessList: [AccessListEntry]
    public var maxFeePerBlobGas: UInt256
    public var blobVersionedHashes: [Hash32]
    /// A blob transaction's sidecar: the transaction is built in network form when set.
    public var sidecar: BlobSidecar?
    /// The exact encodings of EIP-7702 authorizations (see ``authorization(chainID:address:nonce:signedBy:)``).
    public var authorizations: [[UInt8]]
    /// Legacy only: sign with EIP-155 replay protection.
    public var replayProtected: Bool

    public init(
        type: Transaction.Kind = .dynamicFee, chainID: UInt64, nonce: UInt64 = 0, gasPrice: UInt256 = .zero,
        maxPriorityFeePerGas: UInt256 = .zero, maxFeePerGas: UInt256 = .zero, gasLimit: UInt64, to: Address? = nil,
        value: UInt256 = .zero, data: [UInt8] = [], accessList: [AccessListEntry] = [], maxFeePerBlobGas: UInt256 = .zero,
        blobVersionedHashes: [Hash32] = [], sidecar: BlobSidecar? = nil, authorizations: [[UInt8]] = [],
        replayProtected: Bool = true
    ) {
        self.type = type
        self.chainID = chainID
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
        self.maxFeePerBlobGas = maxFeePerBlobGas
        self.blobVersionedHashes = blobVersionedHashes
        self.sidecar = sidecar
        self.authorizations = authorizations
        self.replayProtected = replayProtected
    }

    /// The fields before the signature, in the type's order.
    private func writeFields(_ list: inout RLPWriter) {
        if type != .legacy { list.write(integer: chainID) }
        list.write(integer: nonce)
        switch type {
        case .legacy, .accessList: list.write(gasPrice)
        case .dynamicFee, .blob, .setCode:
            list.write(maxPriorityFeePerGas)
            list.write(maxFeePerGas)
        }
        list.write(integer: gasLimit)
        list.write(bytes: to?.bytes ?? [])
        list.write(value)
        list.write(bytes: data)
        if type != .legacy { list.write(accessList) }
        if type == .blob {
            list.write(maxFeePerBlobGas)
            list.write(blobVersionedHashes)
        }
        if type == .setCode { list.writeList { for authorization in authorizations { $0.write(encoded: authorization[...]) } } }
    }

    /// The hash the sender signs (legacy: of the field list, with EIP-155's `chainID, 0, 0` when replay-protected;
    /// typed: of `type ‖ rlp(fields)`).
    public var signingHash: Hash32 {
        let unsigned = RLPWriter.encode { writer in
            writer.writeList { list in
                writeFields(&list)
                if type == .legacy && replayProtected {
                    list.write(integer: chainID)
                    list.write(integer: 0 as UInt8)
                    list.write(integer: 0 as UInt8)
                }
            }
        }
        return type == .legacy ? Hash32.keccak(unsigned[...]) : Hash32.keccak([type.rawValue][...], unsigned[...])
    }

    /// The transaction signed by `key` (RFC 6979 nonces: the same fields and key give the same transaction).
    /// - Throws: ``RLPError/Code/invalidSignature`` when the key cannot sign; decoding's errors for fields the
    ///   type cannot carry.
    public func signed(by key: Secp256k1.PrivateKey) throws(RLPError) -> Transaction {
        let signature: [UInt8]
        do throws(CryptoError) {
            signature = try key.signature(forDigest: signingHash.bytes)
        } catch {
            throw RLPError(.invalidSignature, "signing failed: \(error)")
        }
        return try assembled(
            recoveryID: signature[64], r: UInt256(bigEndianBytes: signature[0..<32]) ?? .zero,
            s: UInt256(bigEndianBytes: signature[32..<64]) ?? .zero)
    }

    /// The transaction with the signature `recoveryID` (0 or 1), `r` and `s` as given, unchecked: for tampered
    /// signatures, or to give another sidecar to a transaction signed already (the hash stays the same).
    public func assembled(recoveryID: UInt8, r: UInt256, s: UInt256) throws(RLPError) -> Transaction {
        let recovery = UInt64(recoveryID)
        let v: UInt64 = type != .legacy ? recovery : (replayProtected ? chainID &* 2 &+ 35 &+ recovery : 27 &+ recovery)
        let signedFields: (inout RLPWriter) -> Void = { list in
            list.writeList { inner in
                writeFields(&inner)
                inner.write(integer: v)
                inner.write(r)
                inner.write(s)
            }
        }
        let body: [UInt8]
        if type == .blob, let sidecar {
            body = RLPWriter.encode { writer in
                writer.writeList { outer in
                    signedFields(&outer)
                    if sidecar.version != 0 { outer.write(integer: sidecar.version) }
                    outer.writeList { list in for blob in sidecar.blobs { list.write(bytes: blob) } }
                    outer.write(sidecar.commitments)
                    outer.write(sidecar.proofs)
                }
            }
        } else {
            body = RLPWriter.encode { signedFields(&$0) }
        }
        return try Transaction(binary: type == .legacy ? body : [type.rawValue] + body)
    }

    /// The encoding of an EIP-7702 authorization `[chainID, address, nonce, yParity, r, s]` signed by `key`.
    public static func authorization(
        chainID: UInt64, address: Address, nonce: UInt64, signedBy key: Secp256k1.PrivateKey
    ) throws(RLPError) -> [UInt8] {
        let writeUnsigned: (inout RLPWriter) -> Void = { list in
            list.write(integer: chainID)
            list.write(address)
            list.write(integer: nonce)
        }
        let unsigned = RLPWriter.encode { $0.writeList(writeUnsigned) }
        let signature: [UInt8]
        do throws(CryptoError) {
            signature = try key.signature(forDigest: Hash32.keccak([0x05][...], unsigned[...]).bytes)
        } catch {
            throw RLPError(.invalidSignature, "signing failed: \(error)")
        }
        return RLPWriter.encode { writer in
            writer.writeList { list in
                writeUnsigned(&list)
                list.write(integer: signature[64])
                list.write(UInt256(bigEndianBytes: signature[0..<32]) ?? .zero)
                list.write(UInt256(bigEndianBytes: signature[32..<64]) ?? .zero)
            }
        }
    }
}

extension BlobSidecar {
    /// A sidecar from its parts: version 0 carries one KZG proof per blob (EIP-4844), version 1 128 cell proofs
    /// per blob (EIP-7594). Blobs are ``blobSize`` bytes each; the counts are checked when a transaction carrying it
    /// is decoded.
    public init(version: UInt8 = 0, blobs: [[UInt8]], commitments: [FixedBytes<48>], proofs: [FixedBytes<48>]) {
        self.init(version: version, blobs: blobs.map { $0[...] }, commitments: commitments, proofs: proofs)
    }
}
