// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// The forks that change what the pool accepts, in order; a pool runs the rules of one of them (its head's).
public enum Fork: Int, Comparable, Sendable, CaseIterable {
    case frontier, homestead, istanbul, berlin, london, shanghai, cancun, prague, osaka

    public static func < (a: Fork, b: Fork) -> Bool { a.rawValue < b.rawValue }
}

/// What the pool checks transactions against: the chain, the head's fork and gas limit, and go-ethereum's default
/// pool settings (legacy pool and blob pool of v1.17.5).
public struct PoolConfig: Sendable, Hashable {
    public var chainID: UInt64
    /// The fork active at the head block.
    public var fork: Fork
    /// The head block's gas limit: no transaction may ask for more.
    public var gasLimit: UInt64
    /// Smallest priority fee (gas price for legacy types) accepted: `--txpool.pricelimit`, 1 wei.
    public var minTip: UInt256 = UInt256(1)
    /// Percent a replacement must raise each fee by: 10 in the legacy pool, 100 in the blob pool.
    public var priceBump: UInt64 = 10
    public var blobPriceBump: UInt64 = 100
    /// Largest transaction, in bytes of its network encoding: 4 slots of 32 KiB (legacy pool), 1 MiB with blobs.
    public var maxSize = 4 * 32 * 1024
    public var maxBlobTransactionSize = 1024 * 1024
    /// Blobs one transaction may carry (go-ethereum's `params.BlobTxMaxBlobs`, 6; a Prague block holds up to 9).
    public var maxBlobsPerTransaction = 6
    /// Future (nonce-gapped) transactions kept per account in the legacy pool.
    public var accountQueue = 64
    /// Blob transactions kept per account.
    public var blobTransactionsPerAccount = 16
    /// The transaction types the pool takes (all five by default).
    public var acceptedTypes: Set<Transaction.Kind> = Set(Transaction.Kind.allCases)

    public init(chainID: UInt64, fork: Fork, gasLimit: UInt64) {
        self.chainID = chainID
        self.fork = fork
        self.gasLimit = gasLimit
    }

    /// go-ethereum's eth-test chain at its head (block 600): chain ID 3503995874084926, Prague, gas limit 300,000,000.
    public static let ethTest = PoolConfig(chainID: 3_503_995_874_084_926, fork: .prague, gasLimit: 300_000_000)
}
