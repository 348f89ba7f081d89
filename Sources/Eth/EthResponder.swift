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

    /// Whether the peer's Status arrived and was accepted (the session is past its eth handshake).
    public var statusReceived: Bool { remoteStatus != nil }

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
        // go-ethereum ends the eth protocol with an error for each of these; its p2p layer sends that as subprotocol
        // error (0x10).
        let error: UInt8 = 0x10
        guard let remote = remoteStatus else {
            guard case .status(let status) = message else { return drop(error, "\(message.name) before Status") }
            if UInt(status.version) != version { return drop(error, "Status for eth/\(status.version) on eth/\(version)") }
            if status.networkID != chain.networkID { return drop(error, "network \(status.networkID), not \(chain.networkID)") }
            if status.genesis != chain.genesisHash { return drop(error, "genesis \(status.genesis), not \(chain.genesisHash)") }
            let verdict = chain.validate(status.forkID, head: head, time: time)
            if verdict != .compatible { return drop(error, "fork ID \(status.forkID): \(verdict.rawValue)") }
            if case .range(let range) = status.head {
                if range.earliest > range.latest { return drop(error, "block range earliest > latest") }
                if range.latestHash == Hash32() { return drop(error, "block range with a zero latest hash") }
                remoteLatest = range.latest
            }
            remoteStatus = status
            return reply
        }
        _ = remote
        switch message {
        case .status: return drop(error, "a second Status")
        case .getBlockHeaders(let id, let request): reply.send = [.blockHeaders(requestID: id, headers(for: request))]
        case .getBlockBodies(let id, let hashes): reply.send = [.blockBodies(requestID: id, bodies(for: hashes))]
        case .getReceipts(let id, let first, let hashes):
            let (lists, incomplete) = receiptLists(for: hashes, firstBlockReceiptIndex: first)
            reply.send = [.receipts(requestID: id, lastBlockIncomplete: first == nil ? nil : incomplete, lists)]
        case .getPooledTransactions(let id, _): reply.send = [.pooledTransactions(requestID: id, [])]
        case .getBlockAccessLists(let id, let hashes): reply.send = [.blockAccessLists(requestID: id, hashes.map { _ in nil })]
        case .getCells(let id, _, let mask): reply.send = [.cells(requestID: id, hashes: [], cells: [], mask: mask)]
        case .blockRangeUpdate(let range):
            // go-ethereum checks the range's shape only; a range that went back or lies ahead is taken as it is.
            if range.earliest > range.latest { return drop(error, "BlockRangeUpdate earliest > latest") }
            if range.latestHash == Hash32() { return drop(error, "BlockRangeUpdate with a zero latest hash") }
            remoteLatest = range.latest
        case .newBlock where version >= 69, .newBlockHashes where version >= 69: return drop(error, "\(message.name) on eth/\(version)")
        default: break
        }
        return reply
    }

    /// The bodies of the blocks `hashes` name, in order, skipping unknown ones, up to 1,024 bodies or 2 MiB.
    func bodies(for hashes: [Hash32]) -> [BlockBody] {
        var out: [BlockBody] = []
        var bytes = 0
        for hash in hashes.prefix(EthMessage.maximumBodiesServed) where bytes < EthMessage.softResponseLimit {
            guard let index = byHash[hash] else { continue }
            let body = blocks[index].body
            bytes += body.rlpEncoded().count
            out.append(body)
        }
        return out
    }

    /// The receipt lists of the blocks `hashes` name, as go-ethereum serves them: up to the first unknown block,
    /// 1,024 lists or 2 MiB. With eth/70's `firstBlockReceiptIndex` (EIP-7975) the first list starts at that
    /// receipt, and the answer stays within 10 MiB: a block whose receipts do not fit is cut where they stop
    /// fitting (the answer ends there, marked incomplete), or left out when its first receipt does not fit.
    func receiptLists(for hashes: [Hash32], firstBlockReceiptIndex first: UInt64?) -> (lists: [[Receipt]], incomplete: Bool) {
        var lists: [[Receipt]] = []
        var bytes = 0
        for (position, hash) in hashes.prefix(EthMessage.maximumReceiptsServed).enumerated() {
            guard bytes < EthMessage.softResponseLimit, let index = byHash[hash] else { break }
            var block = index < receipts.count ? receipts[index] : []
            guard let first else {
                bytes += block.reduce(0) { $0 + $1.networkSize }
                lists.append(block)
                continue
            }
            if position == 0 { block = Array(block.dropFirst(Int(min(first, UInt64(block.count))))) }
            let budget = EthMessage.maximumPayloadSize - bytes
            var taken: [Receipt] = []
            var used = 0
            for receipt in block {
                let size = receipt.networkSize
                guard used + size <= budget else { break }
                used += size
                taken.append(receipt)
            }
            if taken.count < block.count {
                if taken.isEmpty { return (lists, false) }
                lists.append(taken)
                return (lists, true)
            }
            bytes += used
            lists.append(taken)
        }
        return (lists, false)
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
