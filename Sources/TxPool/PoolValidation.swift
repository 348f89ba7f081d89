// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// What this pool knows of a blob transaction's KZG proofs.
///
/// go-ethereum verifies every blob proof (cell proofs from Osaka) before pooling a blob transaction. **This pool
/// does not verify KZG proofs** (no KZG library that Swift can link is packaged for Debian or PyPI): it checks the
/// sidecar's version, its counts and that each commitment hashes to its versioned hash, and marks the proofs
/// ``notVerified``. A transaction with valid commitments and forged proofs is accepted here and refused by
/// go-ethereum.
public enum KZGProofs: Sendable, Hashable {
    /// Not a blob transaction.
    case notApplicable
    /// Counted and matched to commitments, not verified.
    case notVerified
}

/// A transaction that passed the stateless checks, with its sender and cost.
public struct ValidatedTransaction: Sendable, Hashable {
    public let transaction: Transaction
    public let hash: Hash32
    public let sender: Address
    public let kzgProofs: KZGProofs
    /// value + gas × fee cap (+ blob gas × blob fee cap), go-ethereum's `tx.Cost()`.
    let cost: Amount
}

/// go-ethereum's stateless transaction checks (`txpool.ValidateTransaction` with the options of the subpool the
/// transaction goes to), in its order and with its errors. The checks against account state and the pool
/// (nonce, funds, replacement) are ``TxPool``'s.
public enum PoolValidation {
    /// Gas per blob (`params.BlobTxBlobGasPerBlob`).
    public static let blobGasPerBlob: UInt64 = 131_072
    /// EIP-3860's limit on init code (`params.MaxInitCodeSize`).
    public static let maxInitCodeSize = 49_152
    /// EIP-7825's per-transaction gas cap (Osaka).
    public static let maxTransactionGas: UInt64 = 1 << 24
    /// go-ethereum's per-transaction blob limit of the consensus checks (`params.BlobTxMaxBlobs`).
    public static let protocolMaxBlobs = 6

    /// Runs the stateless checks; returns the transaction with its recovered sender.
    public static func validate(_ tx: Transaction, config: PoolConfig) throws(PoolError) -> ValidatedTransaction {
        let isBlob = tx.type == .blob
        let typeByte = tx.type.rawValue
        guard config.acceptedTypes.contains(tx.type) else {
            throw .txTypeNotSupported(detail: "tx type \(typeByte) not supported by this pool")
        }
        let blobLimit = isBlob ? config.maxBlobsPerTransaction : 0
        if tx.blobVersionedHashes.count > blobLimit {
            throw .blobLimitExceeded(count: tx.blobVersionedHashes.count, limit: blobLimit)
        }
        let maxSize = isBlob ? config.maxBlobTransactionSize : config.maxSize
        if tx.encoded.count > maxSize { throw .oversizedData(size: tx.encoded.count, limit: maxSize) }
        try checkFork(tx, fork: config.fork)
        if tx.to == nil && config.fork >= .shanghai && tx.data.count > maxInitCodeSize {
            throw .maxInitCodeSizeExceeded(size: tx.data.count, limit: maxInitCodeSize)
        }
        if config.fork >= .osaka && tx.gasLimit > maxTransactionGas {
            throw .gasLimitTooHigh(gas: tx.gasLimit, cap: maxTransactionGas)
        }
        if config.gasLimit < tx.gasLimit { throw .exceedsBlockGasLimit(gas: tx.gasLimit, limit: config.gasLimit) }
        let feeCap = tx.maxFeePerGas ?? tx.gasPrice ?? .zero
        let tip = tx.maxPriorityFeePerGas ?? tx.gasPrice ?? .zero
        if feeCap < tip { throw .tipAboveFeeCap }
        let sender = try recoverSender(tx, chainID: config.chainID)
        if tx.nonce == .max { throw .nonceMax }
        guard let intrinsic = IntrinsicGas.of(tx, fork: config.fork) else { throw .gasUintOverflow }
        if tx.gasLimit < intrinsic { throw .intrinsicGas(gas: tx.gasLimit, needed: intrinsic) }
        if config.fork >= .prague {
            guard let floor = IntrinsicGas.floor(tx) else { throw .gasUintOverflow }
            if tx.gasLimit < floor { throw .floorDataGas(gas: tx.gasLimit, needed: floor) }
        }
        if tip < config.minTip { throw .gasPriceTooLow(detail: "gas tip cap \(tip), minimum needed \(config.minTip)") }
        var proofs = KZGProofs.notApplicable
        if isBlob {
            try checkBlobs(tx, fork: config.fork)
            proofs = .notVerified
        }
        if tx.type == .setCode && tx.authorizations.isEmpty { throw .setCodeWithoutAuthorizations }
        return ValidatedTransaction(transaction: tx, hash: tx.hash, sender: sender, kzgProofs: proofs, cost: cost(of: tx))
    }

    /// go-ethereum's `tx.Cost()`: value + gas × fee cap, plus blob gas × blob fee cap for a blob transaction.
    static func cost(of tx: Transaction) -> Amount {
        let feeCap = tx.maxFeePerGas ?? tx.gasPrice ?? .zero
        var total = Amount(tx.value) + Amount(feeCap).multiplied(by: tx.gasLimit)
        if let blobFeeCap = tx.maxFeePerBlobGas {
            let blobGas = UInt64(tx.blobVersionedHashes.count) &* blobGasPerBlob
            total = total + Amount(blobFeeCap).multiplied(by: blobGas)
        }
        return total
    }

    private static func checkFork(_ tx: Transaction, fork: Fork) throws(PoolError) {
        let needed: (Fork, String)? =
            switch tx.type {
            case .legacy: nil
            case .accessList: (.berlin, "Berlin")
            case .dynamicFee: (.london, "London")
            case .blob: (.cancun, "Cancun")
            case .setCode: (.prague, "Prague")
            }
        if let (first, name) = needed, fork < first {
            throw .txTypeNotSupported(
                detail: "type \(tx.type.rawValue) rejected, pool not yet in \(fork < .berlin ? "Berlin" : name)")
        }
    }

    /// go-ethereum's latest signer: the chain ID must match (unprotected legacy transactions have none), then the
    /// signature must recover a key.
    private static func recoverSender(_ tx: Transaction, chainID: UInt64) throws(PoolError) -> Address {
        if let txChainID = tx.chainID, txChainID != UInt256(chainID) {
            throw .invalidSender(detail: "invalid chain id for signer")
        }
        // A legacy `v` other than 0, 1, 27, 28 and below 35 claims replay protection with no valid chain ID.
        if tx.type == .legacy, tx.chainID == nil, tx.recoveryID == nil, tx.v > UInt256(1) {
            throw .invalidSender(detail: "invalid chain id for signer")
        }
        do throws(RLPError) {
            return try tx.sender()
        } catch {
            throw .invalidSender(detail: "invalid transaction v, r, s values")
        }
    }

    /// `validateBlobTx`: sidecar present and of the fork's version, blob fee cap ≥ 1, 1 to 6 blobs, counts equal,
    /// commitments hashing to the versioned hashes, proof counts. The proofs themselves are not verified.
    private static func checkBlobs(_ tx: Transaction, fork: Fork) throws(PoolError) {
        guard let sidecar = tx.sidecar else { throw .missingSidecar }
        let version: UInt8 = fork >= .osaka ? 1 : 0
        if sidecar.version != version { throw .unexpectedSidecarVersion(want: version, got: sidecar.version) }
        let blobFeeCap = tx.maxFeePerBlobGas ?? .zero
        if blobFeeCap < UInt256(1) {
            throw .gasPriceTooLow(detail: "blob fee cap \(blobFeeCap), minimum needed 1")
        }
        let hashes = tx.blobVersionedHashes
        if hashes.isEmpty { throw .bloblessBlobTransaction }
        if hashes.count > protocolMaxBlobs { throw .tooManyBlobs(have: hashes.count, permitted: protocolMaxBlobs) }
        if sidecar.blobs.count != hashes.count { throw .blobCountMismatch(blobs: sidecar.blobs.count, hashes: hashes.count) }
        if sidecar.commitments.count != hashes.count {
            throw .commitmentCountMismatch(commitments: sidecar.commitments.count, hashes: hashes.count)
        }
        if let (index, computed) = BlobHashes.firstMismatch(sidecar, hashes: hashes) {
            throw .versionedHashMismatch(index: index, computed: computed, announced: hashes[index])
        }
        let expected = sidecar.version == 0 ? hashes.count : hashes.count * BlobSidecar.cellProofsPerBlob
        if sidecar.proofs.count != expected { throw .proofCountMismatch(proofs: sidecar.proofs.count, expected: expected) }
    }
}
