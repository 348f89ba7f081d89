// SPDX-License-Identifier: Apache-2.0
import Eth
import RLPxCrypto
import RLPxHandshake
import Snap

/// A chain the node was started on (go-ethereum's suites take the same: a genesis and an exported chain, or their
/// test-data directory), for requests whose answers are known.
public struct KnownChain: Sendable {
    /// The chain's configuration (network, fork schedule), when its genesis file was given.
    public var config: ChainConfig?
    /// Every block from the genesis block (number 0) on.
    public var blocks: [Block]
    /// Receipts by block number (may be empty: then the receipts test is unsupported).
    public var receipts: [[Receipt]]
    /// The block whose receipts pass eth/70's 10 MiB packet budget (go-ethereum's `txinfo.json` tx-largereceipt).
    public var largeReceiptBlock: UInt64?
    /// Funded accounts the transaction tests sign with, in ascending address order (go-ethereum's `GetSender(i)`).
    public var senders: [Secp256k1.PrivateKey]
    /// The Engine API request that names the head (`headfcu.json`), posted before each transaction test.
    public var forkchoiceRequest: [UInt8]?
    /// go-ethereum's snap suite on this chain's states (nil without the head state).
    public var snapSuite: SnapSuite?

    public init(
        config: ChainConfig? = nil, blocks: [Block], receipts: [[Receipt]], largeReceiptBlock: UInt64? = nil,
        senders: [Secp256k1.PrivateKey] = [], forkchoiceRequest: [UInt8]? = nil, snapSuite: SnapSuite? = nil
    ) {
        self.snapSuite = snapSuite
        self.config = config
        self.blocks = blocks
        self.receipts = receipts
        self.largeReceiptBlock = largeReceiptBlock
        self.senders = senders
        self.forkchoiceRequest = forkchoiceRequest
    }

    /// The head block's header (nil for a chain given without blocks).
    public var head: BlockHeader? { blocks.last?.header }
}
