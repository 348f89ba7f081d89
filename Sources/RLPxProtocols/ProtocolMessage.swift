// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Snap

/// A subprotocol message decoded by the protocol that owns it: eth or snap, with the version it was read as.
public enum ProtocolMessage: Sendable, Hashable {
    case eth(EthMessage, version: UInt)
    case snap(SnapMessage, version: UInt)

    /// Decodes `payload` as message `code` (relative) of `protocolName`/`version`; nil when the protocol is not
    /// eth or snap (the caller shows the RLP tree), an error when it is and the payload does not follow its layout.
    @_specialize(exported:true,where Bytes == [UInt8])
    public static func decode<Bytes: Collection<UInt8>>(
        protocolName: String, version: UInt, code: UInt64, payload: Bytes
    ) throws(RLPError) -> ProtocolMessage? {
        switch protocolName {
        case "eth": .eth(try EthMessage(version: version, code: code, payload: payload), version: version)
        case "snap": .snap(try SnapMessage(version: version, code: code, payload: payload), version: version)
        default: nil
        }
    }

    /// The specification's message name.
    public var name: String {
        switch self {
        case .eth(let message, _): message.name
        case .snap(let message, _): message.name
        }
    }

    /// `eth` or `snap`.
    public var protocolName: String {
        switch self {
        case .eth: "eth"
        case .snap: "snap"
        }
    }

    public var requestID: UInt64? {
        switch self {
        case .eth(let message, _): message.requestID
        case .snap(let message, _): message.requestID
        }
    }

    /// One line for people: the name, the request id, and what matters most
    /// (`GetBlockHeaders id=7 origin=#1000 amount=192 skip=0 reverse=false`).
    public var summary: String {
        var parts = [name]
        if let requestID { parts.append("id=\(requestID)") }
        switch self {
        case .eth(let message, _): parts += Self.details(message)
        case .snap(let message, _): parts += Self.details(message)
        }
        return parts.joined(separator: " ")
    }

    static func details(_ message: EthMessage) -> [String] {
        switch message {
        case .status(let status):
            var parts = ["version=\(status.version)", "network=\(status.networkID)", "genesis=\(status.genesis)", "forkid=\(status.forkID)"]
            switch status.head {
            case .totalDifficulty(let difficulty, let best): parts += ["td=\(difficulty)", "best=\(best)"]
            case .range(let range): parts += ["range=\(range.earliest)-\(range.latest)", "latest=\(range.latestHash)"]
            }
            return parts
        case .newBlockHashes(let announcements):
            return ["blocks=\(announcements.count)"] + announcements.prefix(1).map { "first=#\($0.number)" }
        case .transactions(let txs), .pooledTransactions(_, let txs): return ["transactions=\(txs.count)"] + typeCounts(txs)
        case .getBlockHeaders(_, let request):
            return ["origin=\(request.origin)", "amount=\(request.amount)", "skip=\(request.skip)", "reverse=\(request.reverse)"]
        case .blockHeaders(_, let headers):
            return ["headers=\(headers.count)"] + (headers.first.map { ["first=#\($0.number)"] } ?? [])
                + (headers.count > 1 ? headers.last.map { ["last=#\($0.number)"] } ?? [] : [])
        case .getBlockBodies(_, let hashes), .getPooledTransactions(_, let hashes), .getBlockAccessLists(_, let hashes):
            return ["hashes=\(hashes.count)"]
        case .blockBodies(_, let bodies):
            return ["bodies=\(bodies.count)", "transactions=\(bodies.reduce(0) { $0 + $1.transactions.count })"]
        case .newBlock(let block, let difficulty):
            return [
                "block=#\(block.header.number)", "hash=\(block.header.hash)", "transactions=\(block.body.transactions.count)", "td=\(difficulty)",
            ]
        case .newPooledTransactionHashes(let announcement):
            return ["hashes=\(announcement.hashes.count)"] + (announcement.isConsistent ? [] : ["lengths-disagree"])
        case .getReceipts(_, let first, let hashes):
            return ["hashes=\(hashes.count)"] + (first.map { ["firstBlockReceiptIndex=\($0)"] } ?? [])
        case .receipts(_, let incomplete, let blocks):
            return ["blocks=\(blocks.count)", "receipts=\(blocks.reduce(0) { $0 + $1.count })"]
                + (incomplete.map { ["lastBlockIncomplete=\($0)"] } ?? [])
        case .blockRangeUpdate(let range): return ["earliest=\(range.earliest)", "latest=\(range.latest)", "latestHash=\(range.latestHash)"]
        case .blockAccessLists(_, let lists):
            return ["lists=\(lists.count)", "unavailable=\(lists.filter { $0 == nil }.count)"]
        case .getCells(_, let hashes, _): return ["hashes=\(hashes.count)"]
        case .cells(_, let hashes, let cells, _): return ["hashes=\(hashes.count)", "cells=\(cells.reduce(0) { $0 + $1.count })"]
        }
    }

    static func typeCounts(_ txs: [Transaction]) -> [String] {
        let counts = Dictionary(grouping: txs, by: \.type.rawValue).mapValues(\.count)
        return counts.isEmpty ? [] : ["types=" + counts.keys.sorted().map { "\($0):\(counts[$0] ?? 0)" }.joined(separator: ",")]
    }

    static func details(_ message: SnapMessage) -> [String] {
        switch message {
        case .getAccountRange(_, let request):
            ["root=\(request.root)", "origin=\(request.origin)", "limit=\(request.limit)", "bytes=\(request.responseBytes)"]
        case .accountRange(_, let accounts, let proof): ["accounts=\(accounts.count)", "proof=\(proof.count)"]
        case .getStorageRanges(_, let request):
            ["root=\(request.root)", "accounts=\(request.accounts.count)", "bytes=\(request.responseBytes)"]
        case .storageRanges(_, let slots, let proof):
            ["accounts=\(slots.count)", "slots=\(slots.reduce(0) { $0 + $1.count })", "proof=\(proof.count)"]
        case .getByteCodes(_, let hashes, let bytes), .getBlockAccessLists(_, let hashes, let bytes): ["hashes=\(hashes.count)", "bytes=\(bytes)"]
        case .byteCodes(_, let codes): ["codes=\(codes.count)"]
        case .getTrieNodes(_, let root, let paths, let bytes): ["root=\(root)", "paths=\(paths.count)", "bytes=\(bytes)"]
        case .trieNodes(_, let nodes): ["nodes=\(nodes.count)"]
        case .blockAccessLists(_, let lists): ["lists=\(lists.count)"]
        }
    }
}
