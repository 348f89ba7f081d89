// SPDX-License-Identifier: Apache-2.0
import RLP

/// Every eth message of eth/68 to eth/72, decoded.
///
/// ```swift
/// let message = try EthMessage(version: 69, code: 0x03, payload: bytes)   // relative code: GetBlockHeaders
/// print(message.name, message.requestID ?? "-")
/// let same = message.encoded(version: 69)                                  // == bytes
/// ```
public enum EthMessage: Sendable, Hashable {
    case status(Status)
    case newBlockHashes([BlockAnnouncement])
    case transactions([Transaction])
    case getBlockHeaders(requestID: UInt64, HeaderRequest)
    case blockHeaders(requestID: UInt64, [BlockHeader])
    case getBlockBodies(requestID: UInt64, [Hash32])
    case blockBodies(requestID: UInt64, [BlockBody])
    case newBlock(Block, totalDifficulty: UInt256)
    case newPooledTransactionHashes(TransactionAnnouncement)
    case getPooledTransactions(requestID: UInt64, [Hash32])
    case pooledTransactions(requestID: UInt64, [Transaction])
    /// `firstBlockReceiptIndex` is eth/70's (EIP-7975) and nil before.
    case getReceipts(requestID: UInt64, firstBlockReceiptIndex: UInt64?, [Hash32])
    /// `lastBlockIncomplete` is eth/70's (EIP-7975) and nil before; receipts carry a bloom on eth/68 only.
    case receipts(requestID: UInt64, lastBlockIncomplete: Bool?, [[Receipt]])
    case blockRangeUpdate(BlockRange)
    /// eth/71 (EIP-8159, draft).
    case getBlockAccessLists(requestID: UInt64, [Hash32])
    /// eth/71 (EIP-8159, draft): each entry is a block access list's exact encoding, or nil where the peer has none
    /// (sent as an empty string).
    case blockAccessLists(requestID: UInt64, [ArraySlice<UInt8>?])
    /// eth/72 (EIP-8070, draft): the cells selected by `mask` of the blob transactions `hashes`.
    case getCells(requestID: UInt64, hashes: [Hash32], mask: [UInt8])
    /// eth/72 (EIP-8070, draft): per transaction, its cells (2,048 bytes each).
    case cells(requestID: UInt64, hashes: [Hash32], cells: [[ArraySlice<UInt8>]], mask: [UInt8])

    /// The largest message payload go-ethereum reads (`maxMessageSize`, 10 MiB).
    public static let maximumPayloadSize = 10 * 1024 * 1024
    /// go-ethereum's soft limit on a response's size (2 MiB).
    public static let softResponseLimit = 2 * 1024 * 1024
    /// go-ethereum's caps on items served per request (headers, bodies, receipts).
    public static let maximumHeadersServed = 1024
    public static let maximumBodiesServed = 1024
    public static let maximumReceiptsServed = 1024

    /// Which message this is: its code relative to eth's offset (``EthVersion/messages`` holds the rest).
    public enum Kind: UInt64, CaseIterable, Sendable {
        case status = 0x00
        case newBlockHashes = 0x01
        case transactions = 0x02
        case getBlockHeaders = 0x03
        case blockHeaders = 0x04
        case getBlockBodies = 0x05
        case blockBodies = 0x06
        case newBlock = 0x07
        case newPooledTransactionHashes = 0x08
        case getPooledTransactions = 0x09
        case pooledTransactions = 0x0a
        case getReceipts = 0x0f
        case receipts = 0x10
        case blockRangeUpdate = 0x11
        case getBlockAccessLists = 0x12
        case blockAccessLists = 0x13
        case getCells = 0x14
        case cells = 0x15
    }

    /// Which message this is.
    public var kind: Kind {
        switch self {
        case .status: .status
        case .newBlockHashes: .newBlockHashes
        case .transactions: .transactions
        case .getBlockHeaders: .getBlockHeaders
        case .blockHeaders: .blockHeaders
        case .getBlockBodies: .getBlockBodies
        case .blockBodies: .blockBodies
        case .newBlock: .newBlock
        case .newPooledTransactionHashes: .newPooledTransactionHashes
        case .getPooledTransactions: .getPooledTransactions
        case .pooledTransactions: .pooledTransactions
        case .getReceipts: .getReceipts
        case .receipts: .receipts
        case .blockRangeUpdate: .blockRangeUpdate
        case .getBlockAccessLists: .getBlockAccessLists
        case .blockAccessLists: .blockAccessLists
        case .getCells: .getCells
        case .cells: .cells
        }
    }

    /// The code relative to eth's offset.
    public var code: UInt64 { kind.rawValue }

    /// The specification's name of the message.
    public var name: String { EthVersion.messages.message(code: code)?.name ?? "?" }

    /// The request id, for requests and responses.
    public var requestID: UInt64? {
        switch self {
        case .getBlockHeaders(let id, _), .blockHeaders(let id, _), .getBlockBodies(let id, _),
            .blockBodies(let id, _), .getPooledTransactions(let id, _), .pooledTransactions(let id, _),
            .getReceipts(let id, _, _), .receipts(let id, _, _), .getBlockAccessLists(let id, _),
            .blockAccessLists(let id, _), .getCells(let id, _, _), .cells(let id, _, _, _):
            id
        case .status, .newBlockHashes, .transactions, .newBlock, .newPooledTransactionHashes, .blockRangeUpdate:
            nil
        }
    }
}
