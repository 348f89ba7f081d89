// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// Why the pool refused a transaction: go-ethereum v1.17.5's pool errors, with its messages.
///
/// ``message`` is go-ethereum's error text (`errors.Is` target), ``description`` adds the details it wraps in.
public enum PoolError: Error, Sendable, Hashable, CustomStringConvertible {
    case alreadyKnown
    /// A type the pool does not take, or not yet enabled at the head's fork (`detail` says which).
    case txTypeNotSupported(type: UInt8, detail: String)
    case blobLimitExceeded(count: Int, limit: Int)
    case oversizedData(size: Int, limit: Int)
    case maxInitCodeSizeExceeded(size: Int, limit: Int)
    /// Osaka's per-transaction gas cap (EIP-7825).
    case gasLimitTooHigh(gas: UInt64, cap: UInt64)
    case exceedsBlockGasLimit(gas: UInt64, limit: UInt64)
    case tipAboveFeeCap
    /// `detail` is the signer's error: a wrong chain ID or a signature that recovers no key.
    case invalidSender(detail: String)
    case nonceMax
    case gasUintOverflow
    case intrinsicGas(gas: UInt64, needed: UInt64)
    case floorDataGas(gas: UInt64, needed: UInt64)
    /// A tip below the pool's minimum, or a blob fee cap below 1 wei.
    case gasPriceTooLow(detail: String)
    case setCodeWithoutAuthorizations
    case missingSidecar
    case unexpectedSidecarVersion(want: UInt8, got: UInt8)
    case bloblessBlobTransaction
    case tooManyBlobs(have: Int, permitted: Int)
    case blobCountMismatch(blobs: Int, hashes: Int)
    case commitmentCountMismatch(commitments: Int, hashes: Int)
    case versionedHashMismatch(index: Int, computed: Hash32, announced: Hash32)
    case proofCountMismatch(proofs: Int, expected: Int)
    case nonceTooLow(next: UInt64, nonce: UInt64)
    /// A blob transaction that would leave a nonce gap (the blob pool forbids gaps).
    case nonceTooHigh(nonce: UInt64, gap: UInt64)
    case insufficientFunds(detail: String)
    case accountLimitExceeded(pooled: Int)
    case replaceUnderpriced(detail: String)
    /// The sender has transactions in the other subpool (blob vs. the rest).
    case alreadyReserved

    /// go-ethereum's error text.
    public var message: String {
        switch self {
        case .alreadyKnown: "already known"
        case .txTypeNotSupported: "transaction type not supported"
        case .blobLimitExceeded: "transaction blob limit exceeded"
        case .oversizedData: "oversized data"
        case .maxInitCodeSizeExceeded: "max initcode size exceeded"
        case .gasLimitTooHigh: "transaction gas limit too high"
        case .exceedsBlockGasLimit: "exceeds block gas limit"
        case .tipAboveFeeCap: "max priority fee per gas higher than max fee per gas"
        case .invalidSender: "invalid sender"
        case .nonceMax: "nonce has max value"
        case .gasUintOverflow: "gas uint64 overflow"
        case .intrinsicGas: "intrinsic gas too low"
        case .floorDataGas: "insufficient gas for floor data gas cost"
        case .gasPriceTooLow: "transaction gas price below minimum"
        case .setCodeWithoutAuthorizations: "set code tx must have at least one authorization tuple"
        case .missingSidecar: "missing sidecar in blob transaction"
        case .unexpectedSidecarVersion: "unexpected sidecar version"
        case .bloblessBlobTransaction: "blobless blob transaction"
        case .tooManyBlobs: "too many blobs in transaction"
        case .blobCountMismatch: "invalid number of blobs"
        case .commitmentCountMismatch: "invalid number of blob commitments"
        case .versionedHashMismatch: "computed hash mismatches transaction one"
        case .proofCountMismatch: "invalid number of blob proofs"
        case .nonceTooLow: "nonce too low"
        case .nonceTooHigh: "nonce too high"
        case .insufficientFunds: "insufficient funds for gas * price + value"
        case .accountLimitExceeded: "account limit exceeded"
        case .replaceUnderpriced: "replacement transaction underpriced"
        case .alreadyReserved: "address already reserved"
        }
    }

    public var description: String {
        switch self {
        case .txTypeNotSupported(_, let detail), .invalidSender(let detail), .gasPriceTooLow(let detail),
            .replaceUnderpriced(let detail), .insufficientFunds(let detail):
            detail.isEmpty ? message : "\(message): \(detail)"
        case .blobLimitExceeded(let count, let limit): "\(message): blob count \(count), limit \(limit)"
        case .oversizedData(let size, let limit): "\(message): transaction size \(size), limit \(limit)"
        case .maxInitCodeSizeExceeded(let size, let limit): "\(message): code size \(size), limit \(limit)"
        case .gasLimitTooHigh(let gas, let cap): "\(message) (cap: \(cap), tx: \(gas))"
        case .exceedsBlockGasLimit(let gas, let limit): "\(message): gas \(gas), block limit \(limit)"
        case .intrinsicGas(let gas, let needed), .floorDataGas(let gas, let needed):
            "\(message): gas \(gas), minimum needed \(needed)"
        case .unexpectedSidecarVersion(let want, let got): "\(message), want: \(want), got: \(got)"
        case .tooManyBlobs(let have, let permitted): "\(message): have \(have), permitted \(permitted)"
        case .blobCountMismatch(let blobs, let hashes): "invalid number of \(blobs) blobs compared to \(hashes) blob hashes"
        case .commitmentCountMismatch(let commitments, let hashes):
            "invalid number of \(commitments) blob commitments compared to \(hashes) blob hashes"
        case .versionedHashMismatch(let index, let computed, let announced):
            "blob \(index): computed hash \(computed) mismatches transaction one \(announced)"
        case .proofCountMismatch(let proofs, let expected): "invalid number of \(proofs) blob proofs expected \(expected)"
        case .nonceTooLow(let next, let nonce): "\(message): next nonce \(next), tx nonce \(nonce)"
        case .nonceTooHigh(let nonce, let gap): "\(message): tx nonce \(nonce), gapped nonce \(gap)"
        case .accountLimitExceeded(let pooled): "\(message): pooled \(pooled) txs"
        default: message
        }
    }

    /// go-ethereum's fetcher remembers these hashes for 5 minutes and does not fetch them again.
    public var isUnderpriced: Bool {
        switch self {
        case .gasPriceTooLow, .replaceUnderpriced: true
        default: false
        }
    }
}
