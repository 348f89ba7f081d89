// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// Why the pool refused a transaction: go-ethereum v1.17.5's pool errors, with its messages.
///
/// ``message`` is go-ethereum's error text (`errors.Is` target), ``description`` adds the details it wraps in.
public struct PoolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong, with go-ethereum's text for it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// go-ethereum's error text.
        public let message: String
        init(_ name: String, _ message: String) {
            self.name = name
            self.message = message
        }
        public var description: String { name }

        /// go-ethereum's "already known".
        public static let alreadyKnown = Code("alreadyKnown", "already known")
        /// A type the pool does not take, or not yet enabled at the head's fork (`detail` says which).
        public static let txTypeNotSupported = Code("txTypeNotSupported", "transaction type not supported")
        /// go-ethereum's "transaction blob limit exceeded".
        public static let blobLimitExceeded = Code("blobLimitExceeded", "transaction blob limit exceeded")
        /// go-ethereum's "oversized data".
        public static let oversizedData = Code("oversizedData", "oversized data")
        /// go-ethereum's "max initcode size exceeded".
        public static let maxInitCodeSizeExceeded = Code("maxInitCodeSizeExceeded", "max initcode size exceeded")
        /// Osaka's per-transaction gas cap (EIP-7825).
        public static let gasLimitTooHigh = Code("gasLimitTooHigh", "transaction gas limit too high")
        /// go-ethereum's "exceeds block gas limit".
        public static let exceedsBlockGasLimit = Code("exceedsBlockGasLimit", "exceeds block gas limit")
        /// go-ethereum's "max priority fee per gas higher than max fee per gas".
        public static let tipAboveFeeCap = Code("tipAboveFeeCap", "max priority fee per gas higher than max fee per gas")
        /// `detail` is the signer's error: a wrong chain ID or a signature that recovers no key.
        public static let invalidSender = Code("invalidSender", "invalid sender")
        /// go-ethereum's "nonce has max value".
        public static let nonceMax = Code("nonceMax", "nonce has max value")
        /// go-ethereum's "gas uint64 overflow".
        public static let gasUintOverflow = Code("gasUintOverflow", "gas uint64 overflow")
        /// go-ethereum's "intrinsic gas too low".
        public static let intrinsicGas = Code("intrinsicGas", "intrinsic gas too low")
        /// go-ethereum's "insufficient gas for floor data gas cost".
        public static let floorDataGas = Code("floorDataGas", "insufficient gas for floor data gas cost")
        /// A tip below the pool's minimum, or a blob fee cap below 1 wei.
        public static let gasPriceTooLow = Code("gasPriceTooLow", "transaction gas price below minimum")
        /// go-ethereum's "set code tx must have at least one authorization tuple".
        public static let setCodeWithoutAuthorizations = Code(
            "setCodeWithoutAuthorizations", "set code tx must have at least one authorization tuple")
        /// go-ethereum's "missing sidecar in blob transaction".
        public static let missingSidecar = Code("missingSidecar", "missing sidecar in blob transaction")
        /// go-ethereum's "unexpected sidecar version".
        public static let unexpectedSidecarVersion = Code("unexpectedSidecarVersion", "unexpected sidecar version")
        /// go-ethereum's "blobless blob transaction".
        public static let bloblessBlobTransaction = Code("bloblessBlobTransaction", "blobless blob transaction")
        /// go-ethereum's "too many blobs in transaction".
        public static let tooManyBlobs = Code("tooManyBlobs", "too many blobs in transaction")
        /// go-ethereum's "invalid number of blobs".
        public static let blobCountMismatch = Code("blobCountMismatch", "invalid number of blobs")
        /// go-ethereum's "invalid number of blob commitments".
        public static let commitmentCountMismatch = Code("commitmentCountMismatch", "invalid number of blob commitments")
        /// go-ethereum's "computed hash mismatches transaction one".
        public static let versionedHashMismatch = Code("versionedHashMismatch", "computed hash mismatches transaction one")
        /// go-ethereum's "invalid number of blob proofs".
        public static let proofCountMismatch = Code("proofCountMismatch", "invalid number of blob proofs")
        /// go-ethereum's "nonce too low".
        public static let nonceTooLow = Code("nonceTooLow", "nonce too low")
        /// A blob transaction that would leave a nonce gap (the blob pool forbids gaps).
        public static let nonceTooHigh = Code("nonceTooHigh", "nonce too high")
        /// go-ethereum's "insufficient funds for gas * price + value".
        public static let insufficientFunds = Code("insufficientFunds", "insufficient funds for gas * price + value")
        /// go-ethereum's "account limit exceeded".
        public static let accountLimitExceeded = Code("accountLimitExceeded", "account limit exceeded")
        /// go-ethereum's "replacement transaction underpriced".
        public static let replaceUnderpriced = Code("replaceUnderpriced", "replacement transaction underpriced")
        /// The sender has transactions in the other subpool (blob vs. the rest).
        public static let alreadyReserved = Code("alreadyReserved", "address already reserved")
    }

    public let code: Code
    /// go-ethereum's text with the details it wraps in, for people.
    public let reason: String

    init(_ code: Code, _ reason: String? = nil) {
        self.code = code
        self.reason = reason ?? code.message
    }

    init(_ code: Code, detail: String) {
        self.init(code, detail.isEmpty ? code.message : "\(code.message): \(detail)")
    }

    /// go-ethereum's error text.
    public var message: String { code.message }
    public var description: String { reason }
    public static func == (lhs: PoolError, rhs: PoolError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// go-ethereum's fetcher remembers these hashes for 5 minutes and does not fetch them again.
    public var isUnderpriced: Bool { code == .gasPriceTooLow || code == .replaceUnderpriced }

    public static let alreadyKnown = PoolError(.alreadyKnown)
    public static func txTypeNotSupported(detail: String) -> PoolError { PoolError(.txTypeNotSupported, detail: detail) }
    public static func blobLimitExceeded(count: Int, limit: Int) -> PoolError {
        PoolError(.blobLimitExceeded, "transaction blob limit exceeded: blob count \(count), limit \(limit)")
    }
    public static func oversizedData(size: Int, limit: Int) -> PoolError {
        PoolError(.oversizedData, "oversized data: transaction size \(size), limit \(limit)")
    }
    public static func maxInitCodeSizeExceeded(size: Int, limit: Int) -> PoolError {
        PoolError(.maxInitCodeSizeExceeded, "max initcode size exceeded: code size \(size), limit \(limit)")
    }
    public static func gasLimitTooHigh(gas: UInt64, cap: UInt64) -> PoolError {
        PoolError(.gasLimitTooHigh, "transaction gas limit too high (cap: \(cap), tx: \(gas))")
    }
    public static func exceedsBlockGasLimit(gas: UInt64, limit: UInt64) -> PoolError {
        PoolError(.exceedsBlockGasLimit, "exceeds block gas limit: gas \(gas), block limit \(limit)")
    }
    public static let tipAboveFeeCap = PoolError(.tipAboveFeeCap)
    public static func invalidSender(detail: String) -> PoolError { PoolError(.invalidSender, detail: detail) }
    public static let nonceMax = PoolError(.nonceMax)
    public static let gasUintOverflow = PoolError(.gasUintOverflow)
    public static func intrinsicGas(gas: UInt64, needed: UInt64) -> PoolError {
        PoolError(.intrinsicGas, "intrinsic gas too low: gas \(gas), minimum needed \(needed)")
    }
    public static func floorDataGas(gas: UInt64, needed: UInt64) -> PoolError {
        PoolError(.floorDataGas, "insufficient gas for floor data gas cost: gas \(gas), minimum needed \(needed)")
    }
    public static func gasPriceTooLow(detail: String) -> PoolError { PoolError(.gasPriceTooLow, detail: detail) }
    public static let setCodeWithoutAuthorizations = PoolError(.setCodeWithoutAuthorizations)
    public static let missingSidecar = PoolError(.missingSidecar)
    public static func unexpectedSidecarVersion(want: UInt8, got: UInt8) -> PoolError {
        PoolError(.unexpectedSidecarVersion, "unexpected sidecar version, want: \(want), got: \(got)")
    }
    public static let bloblessBlobTransaction = PoolError(.bloblessBlobTransaction)
    public static func tooManyBlobs(have: Int, permitted: Int) -> PoolError {
        PoolError(.tooManyBlobs, "too many blobs in transaction: have \(have), permitted \(permitted)")
    }
    public static func blobCountMismatch(blobs: Int, hashes: Int) -> PoolError {
        PoolError(.blobCountMismatch, "invalid number of \(blobs) blobs compared to \(hashes) blob hashes")
    }
    public static func commitmentCountMismatch(commitments: Int, hashes: Int) -> PoolError {
        PoolError(.commitmentCountMismatch, "invalid number of \(commitments) blob commitments compared to \(hashes) blob hashes")
    }
    public static func versionedHashMismatch(index: Int, computed: Hash32, announced: Hash32) -> PoolError {
        PoolError(.versionedHashMismatch, "blob \(index): computed hash \(computed) mismatches transaction one \(announced)")
    }
    public static func proofCountMismatch(proofs: Int, expected: Int) -> PoolError {
        PoolError(.proofCountMismatch, "invalid number of \(proofs) blob proofs expected \(expected)")
    }
    public static func nonceTooLow(next: UInt64, nonce: UInt64) -> PoolError {
        PoolError(.nonceTooLow, "nonce too low: next nonce \(next), tx nonce \(nonce)")
    }
    public static func nonceTooHigh(nonce: UInt64, gap: UInt64) -> PoolError {
        PoolError(.nonceTooHigh, "nonce too high: tx nonce \(nonce), gapped nonce \(gap)")
    }
    public static func insufficientFunds(detail: String) -> PoolError { PoolError(.insufficientFunds, detail: detail) }
    public static func accountLimitExceeded(pooled: Int) -> PoolError {
        PoolError(.accountLimitExceeded, "account limit exceeded: pooled \(pooled) txs")
    }
    public static func replaceUnderpriced(detail: String) -> PoolError { PoolError(.replaceUnderpriced, detail: detail) }
    public static let alreadyReserved = PoolError(.alreadyReserved)
}
