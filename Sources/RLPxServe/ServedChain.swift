// SPDX-License-Identifier: Apache-2.0
import DevP2P
import EngineAPI
import Eth
import EthState
import Foundation
import NIOConcurrencyHelpers
import RLP
import RLPxMultiplexing
import RLPxPeer
import RLPxProtocols
import Snap
import TxPool

/// A chain served to peers (`serve --eth`), shared by every session: blocks and receipts for eth, state for snap, and
/// whether a consensus client has named the head (go-ethereum takes transactions only after that).
public final class ServedChain: Sendable {
    /// What `serve --eth` announces without `--cap`: what go-ethereum v1.17.5 speaks.
    public static let protocols = ["eth/69", "eth/70", "snap/1"].compactMap { KnownProtocols.spec($0) }

    public let config: ChainConfig
    public let blocks: [Block]
    public let receipts: [[Receipt]]
    /// The state roots served, with the block each belongs to (nil: no block of the chain has it).
    public let stateRoots: [(root: Hash32, block: UInt64?)]
    private let snap: SnapResponder
    /// The transaction pool (go-ethereum's), checking against the head's state.
    public let pool: ServedPool?
    /// Whether an Engine API forkchoice update named a head this chain has.
    private let synced = NIOLockedValueBox(false)

    /// The chain `blocks` (from the genesis block on) with their `receipts`, answering snap from `states`; the pool
    /// checks transactions against the head's state (empty accounts when no state has the head's root).
    public init(config: ChainConfig, blocks: [Block], receipts: [[Receipt]], states: [WorldState], selfID: [UInt8]) {
        self.config = config
        self.blocks = blocks
        self.receipts = receipts
        let byRoot = Dictionary(blocks.map { ($0.header.base.stateRoot, $0.header.number) }, uniquingKeysWith: { first, _ in first })
        stateRoots = states.map { ($0.root, byRoot[$0.root]) }.sorted { ($0.block ?? 0) > ($1.block ?? 0) }
        snap = SnapResponder(states: states)
        pool = blocks.last.map { head in
            ServedPool(config: config, head: head.header, state: states.first { $0.root == head.header.base.stateRoot }, selfID: selfID)
        }
    }

    public var head: BlockHeader? { blocks.last?.header }

    /// The fork ID at the head: Status's, and the node record's `eth` entry (as go-ethereum's eth/protocols/eth/discovery.go).
    public var forkID: ForkID { EthResponder(version: 69, chain: config, blocks: blocks).status(time: head?.base.timestamp ?? 0).forkID }

    /// Lines saying what is served, for the start of `serve`'s output.
    public func summary(protocols: [ProtocolSpec]) -> [String] {
        var lines = ["network \(config.networkID) genesis \(config.genesisHash)"]
        if let head { lines.append("head #\(head.number) \(head.hash) fork-id \(forkID)") }
        lines.append("capabilities \(protocols.map { "\($0.name)/\($0.version)" }.joined(separator: ","))")
        lines.append("receipts \(receipts.isEmpty ? "none" : "for \(receipts.filter { !$0.isEmpty }.count) blocks")")
        lines.append(
            "state "
                + (stateRoots.isEmpty
                    ? "none (snap answers empty)" : stateRoots.map { "\($0.root)" + ($0.block.map { " (#\($0))" } ?? "") }.joined(separator: ", ")))
        return lines
    }

    /// An Engine API forkchoice update: VALID for a head this chain has (and transactions are taken from then on),
    /// SYNCING for one it does not.
    public func forkchoiceUpdated(_ update: ForkchoiceUpdate) -> PayloadStatus {
        guard let hash = Hash32(update.state.head.bytes), blocks.contains(where: { $0.header.hash == hash }) else { return .syncing }
        synced.withLockedValue { $0 = true }
        pool?.startAccepting()
        return .valid(head: update.state.head)
    }

    /// Whether transactions are taken (a forkchoice update named a known head).
    public var acceptsTransactions: Bool { synced.withLockedValue { $0 } }

    /// Answers one peer's eth messages, as go-ethereum does: its Status at once, nothing unsolicited after it (a
    /// served chain never moves, so no BlockRangeUpdate), requests answered within go-ethereum's limits.
    public func serveEth(_ connection: PeerConnection, _ messages: PeerMessages, version: UInt) async throws {
        var responder = EthResponder(version: version, chain: config, blocks: blocks, receipts: receipts)
        let now = { UInt64(Date().timeIntervalSince1970) }
        let ours = responder.status(time: now())
        try await connection.send(protocol: "eth", code: 0, payload: EthMessage.status(ours).encoded(version: version))
        var poolPeer: PeerID?
        defer {
            if let pool, let poolPeer { Task { await pool.left(poolPeer) } }
        }
        for await message in messages {
            let decoded: EthMessage
            do {
                decoded = try EthMessage(version: version, code: message.code, payload: message.payload)
            } catch {
                // go-ethereum's eth handler fails on a message it cannot decode: subprotocol error.
                await connection.disconnect(.subprotocolError)
                return
            }
            // Past the Status exchange, transactions go to the pool (which answers, fetches and propagates).
            if responder.statusReceived, let pool, let peer = poolPeer, await pool.receive(decoded, from: peer) { continue }
            let reply = responder.receive(decoded, time: now())
            if poolPeer == nil, responder.statusReceived, let pool { poolPeer = await pool.joined(connection, version: version) }
            for answer in reply.send {
                try await connection.send(protocol: "eth", code: answer.code, payload: answer.encoded(version: version))
            }
            if let drop = reply.disconnect {
                await connection.disconnect(DisconnectReason(rawValue: drop.reason))
                return
            }
        }
    }

    /// Answers snap requests from the state dumps (an unknown root gets go-ethereum's empty answer).
    public func serveSnap(_ connection: PeerConnection, _ messages: PeerMessages, version: UInt) async throws {
        for await message in messages {
            guard let request = try? SnapMessage(version: version, code: message.code, payload: message.payload) else {
                await connection.disconnect(.subprotocolError)
                return
            }
            switch snap.respond(to: request) {
            case .reply(let answer): try await connection.send(protocol: "snap", code: answer.code, payload: answer.encoded())
            case .drop:
                await connection.disconnect(.subprotocolError)
                return
            case .notARequest: continue
            }
        }
    }
}
