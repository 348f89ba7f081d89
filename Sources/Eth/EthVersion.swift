// SPDX-License-Identifier: Apache-2.0
import RLP

/// The eth protocol versions this module speaks, and the message codes each defines (relative to eth's offset).
public enum EthVersion {
    /// Every version, oldest first: eth/68 (EIP-5793), eth/69 (EIP-7642), eth/70 (EIP-7975), eth/71 (EIP-8159),
    /// eth/72 (EIP-8070). eth/71 and eth/72 follow drafts that may still change.
    public static let supported: ClosedRange<UInt> = 68...72

    /// Every eth message, as devp2p `caps/eth.md` names it, with the versions go-ethereum handles it on.
    ///
    /// NewBlockHashes and NewBlock are listed on eth/69+ by devp2p `caps/eth.md`, but go-ethereum has no handler
    /// for them there and disconnects a peer that sends them: the table removes them in eth/69, so decoding them
    /// there fails with ``RLPError/Code/unknownMessage`` and a reason that says so. Codes 0x0b–0x0e are unused
    /// (GetNodeData and NodeData, 0x0d and 0x0e, went with eth/67, EIP-4938).
    public static let messages = MessageTable(
        protocolName: "eth", supported: supported,
        messages: [
            MessageDefinition(EthMessage.Kind.status, "Status", since: 68),
            MessageDefinition(EthMessage.Kind.newBlockHashes, "NewBlockHashes", since: 68, removedIn: 69),
            MessageDefinition(EthMessage.Kind.transactions, "Transactions", since: 68),
            MessageDefinition(EthMessage.Kind.getBlockHeaders, "GetBlockHeaders", answeredBy: .blockHeaders, since: 68),
            MessageDefinition(EthMessage.Kind.blockHeaders, "BlockHeaders", since: 68),
            MessageDefinition(EthMessage.Kind.getBlockBodies, "GetBlockBodies", answeredBy: .blockBodies, since: 68),
            MessageDefinition(EthMessage.Kind.blockBodies, "BlockBodies", since: 68),
            MessageDefinition(EthMessage.Kind.newBlock, "NewBlock", since: 68, removedIn: 69),
            MessageDefinition(EthMessage.Kind.newPooledTransactionHashes, "NewPooledTransactionHashes", since: 68),
            MessageDefinition(
                EthMessage.Kind.getPooledTransactions, "GetPooledTransactions", answeredBy: .pooledTransactions, since: 68),
            MessageDefinition(EthMessage.Kind.pooledTransactions, "PooledTransactions", since: 68),
            MessageDefinition(EthMessage.Kind.getReceipts, "GetReceipts", answeredBy: .receipts, since: 68),
            MessageDefinition(EthMessage.Kind.receipts, "Receipts", since: 68),
            MessageDefinition(EthMessage.Kind.blockRangeUpdate, "BlockRangeUpdate", since: 69),
            MessageDefinition(
                EthMessage.Kind.getBlockAccessLists, "GetBlockAccessLists", answeredBy: .blockAccessLists, since: 71),
            MessageDefinition(EthMessage.Kind.blockAccessLists, "BlockAccessLists", since: 71),
            MessageDefinition(EthMessage.Kind.getCells, "GetCells", answeredBy: .cells, since: 72),
            MessageDefinition(EthMessage.Kind.cells, "Cells", since: 72),
        ])

    /// go-ethereum's message-code space length per version: the codes a capability takes on a connection.
    public static func codeSpaceLength(_ version: UInt) -> UInt64? { messages.codeSpaceLength(version) }

    /// The message that `code` names on `version`, or nil when the version does not define it (eth/68's 0x0b–0x0e,
    /// codes past the space, later messages on earlier versions, NewBlockHashes and NewBlock on eth/69+).
    public static func messageName(code: UInt64, version: UInt) -> String? {
        messages.messageName(code: code, version: version)
    }
}
