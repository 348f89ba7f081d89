// SPDX-License-Identifier: Apache-2.0
import RLP

/// The eth side of a node that serves a fixed chain, sans-I/O: it makes the local Status, answers header, body,
/// receipt and pooled-transaction requests from its blocks, and says when a peer must be disconnected and why,
/// as go-ethereum decides (a Status for another network, genesis or fork is a useless peer; a second Status, a
/// message before Status or an invalid block range is a protocol breach).
public struct EthResponder: Sendable {
    /// What to do after a message: send these, then disconnect with this reason when one is given.
    public struct Reply: Sendable {
        public var send: [EthMessage] = []
        public var disconnect: Disconnect?
    }

    /// Why the peer is dropped, as the base protocol's reason code and a line for logs.
    public struct Disconnect: Sendable, Hashable {
        /// The p2p Disconnect reason code (0x02 breach of protocol, 0x03 useless peer).
        public var reason: UInt8
        public var detail: String
    }

    public let version: UInt
    public let chain: ChainConfig
    private let blocks: [Block]
    private let receipts: [[Receipt]]
    private var byHash: [Hash32: Int] = [:]
    private var remoteStatus: Status?
    private var remoteLatest: UInt64 = 0

    /// - Parameters:
    ///   - blocks: the chain from its genesis block (number 0) on, in order.
    ///   - receipts: each block's receipts, by block number (a block without an entry has none).
    public init(version: UInt, chain: ChainConfig, blocks: [Block], receipts: [[Receipt]] = []) {
        self.version = version
        self.chain = chain
        self.blocks = blocks
        self.receipts = receipts
        for (index, block) in blocks.enumerated() { byHash[block.header.hash] = index }
    }

    /// The head block number.
    public var head: UInt64 { UInt64(max(blocks.count, 1) - 1) }

    /// The Status this node sends at `time` (seconds since 1970).
    public func status(time: UInt64) -> Status {
        let headHash = blocks.last?.header.hash ?? chain.genesisHash
        let forkID = chain.forkID(head: head, time: time)
        if version < 69 {
            let difficulty = blocks.last?.header.base.difficulty ?? .zero
            return Status(
                version: UInt32(version), networkID: chain.networkID, genesis: chain.genesisHash, forkID: forkID,
                head: .totalDifficulty(difficulty, bestHash: headHash))
        }
        return Status(
            version: UInt32(version), networkID: chain.networkID, genesis: chain.genesisHash, forkID: forkID,
            head: .range(BlockRange(earliest: 0, latest: head, latestHash: headHash)))
    }

    /// Reads one message from the peer at `time`.
    public mutating func receive(_ message: EthMessage, time: UInt64) -> Reply {
        var reply = Reply()
        func drop(_ reason: UInt8, _ detail: String) -> Reply {
            reply.disconnect = Disconnect(reason: reason, detail: detail)
            return reply
        }
        guard let remote = remoteStatus else {
            guard case .status(let status) = message else { return drop(0x02, "\(message.name) before Status") }
            if UInt(status.version) != version { return drop(0x02, "Status for eth/\(status.version) on eth/\(version)") }
            if status.networkID != chain.networkID { return drop(0x03, "network \(status.networkID), not \(chain.networkID)") }
            if status.genesis != chain.genesisHash { return drop(0x03, "genesis \(status.genesis), not \(chain.genesisHash)") }
            let verdict = chain.validate(status.forkID, head: head, time: time)
            if verdict != .compatible { return drop(0x03, "fork ID \(status.forkID): \(verdict.rawValue)") }
            if case .range(let range) = status.head {
                if range.earliest > range.latest { return drop(0x02, "block range earliest > latest") }
                remoteLatest = range.latest
            }
            remoteStatus = status
            return reply
        }
        _ = remote
        switch message {
        case .status: return drop(0x02, "a second Status")
        case .getBlockHeaders(let id, let request): reply.send = [.blockHeaders(requestID: id, headers(for: request))]
        case .getBlockBodies(let id, let hashes):
            reply.send = [.blockBodies(requestID: id, hashes.prefix(EthMessage.maximumBodiesServed).compactMap { byHash[$0].map { blocks[$0].body } })]
        case .getReceipts(let id, let first, let hashes):
            let known = hashes.prefix(EthMessage.maximumReceiptsServed).compactMap { byHash[$0] }.map { index in
                index < receipts.count ? receipts[index] : []
            }
            reply.send = [.receipts(requestID: id, lastBlockIncomplete: first == nil ? nil : false, known)]
        case .getPooledTransactions(let id, _): reply.send = [.pooledTransactions(requestID: id, [])]
        case .getBlockAccessLists(let id, let hashes): reply.send = [.blockAccessLists(requestID: id, hashes.map { _ in nil })]
        case .getCells(let id, _, let mask): reply.send = [.cells(requestID: id, hashes: [], cells: [], mask: mask)]
        case .blockRangeUpdate(let range):
            if range.earliest > range.latest { return drop(0x02, "BlockRangeUpdate earliest > latest") }
            if range.latestHash == Hash32() { return drop(0x02, "BlockRangeUpdate with a zero latest hash") }
            if range.latest < remoteLatest { return drop(0x02, "BlockRangeUpdate went back") }
            remoteLatest = range.latest
        case .newBlock where version >= 69, .newBlockHashes where version >= 69: return drop(0x02, "\(message.name) on eth/\(version)")
        default: break
        }
        return reply
    }

    /// The headers a request names, as far as this chain has them (at most 1,024).
    func headers(for request: HeaderRequest) -> [BlockHeader] {
        var number: UInt64
        switch request.origin {
        case .number(let origin): number = origin
        case .hash(let hash):
            guard let index = byHash[hash] else { return [] }
            number = UInt64(index)
        }
        var out: [BlockHeader] = []
        let count = min(request.amount, UInt64(EthMessage.maximumHeadersServed))
        let (step, overflow) = request.skip.addingReportingOverflow(1)
        while UInt64(out.count) < count, number < UInt64(blocks.count) {
            out.append(blocks[Int(number)].header)
            let (next, past) = request.reverse ? number.subtractingReportingOverflow(step) : number.addingReportingOverflow(step)
            if overflow || past { break }
            number = next
        }
        return out
    }
}
