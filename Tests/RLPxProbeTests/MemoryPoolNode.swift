// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCrypto
import RLPxMultiplexing
import RLPxProbe
import TxPool

/// A node in memory with go-ethereum's transaction pool and fetcher (TxPool's ``TxFetcher``) shared by all its
/// connections: what one connection sends reaches the others, as on a real node. It serves a chain (Status and
/// headers) and takes transactions once its Engine API was called, as go-ethereum does. Reads wait on the node's
/// driven clock (the fetcher's timers fire meanwhile), not in real time; everything happens on the probe's thread.
final class MemoryPoolNode: @unchecked Sendable {
    /// Ways to break it.
    struct Faults {
        /// Sends nothing on: no Transactions, no announcements.
        var silent = false
        /// Keeps peers the fetcher would disconnect.
        var keepsBadPeers = false
    }

    let key: Secp256k1.PrivateKey
    let blocks: [Block]
    let config: ChainConfig
    let faults: Faults
    private var fetcher: TxFetcher
    private var connections: [PeerID: WeakConnection] = [:]
    /// The node's time, and the probe's: it moves as reads wait (in 2 ms steps, the fetcher's timers firing between).
    let clock = DrivenProbeClock()
    private let start: ContinuousClock.Instant
    private(set) var forkchoiceCalls = 0

    static let eth69 = ProtocolSpec(name: "eth", version: 69, length: 18)

    init(blocks: [Block], config: ChainConfig, faults: Faults = Faults()) {
        var random = SystemRandom()
        key = .random(using: &random)
        self.blocks = blocks
        self.config = config
        self.faults = faults
        let pool = TxPool(config: PoolConfig(chainID: config.chainID, fork: .prague, gasLimit: 30_000_000)) { _ in
            AccountState(nonce: 0, balance: UInt256(bigEndianBytes: [0x01] + [UInt8](repeating: 0, count: 15)) ?? .max)
        }
        fetcher = TxFetcher(pool: pool, selfID: key.publicKey.nodeID)
        start = clock.now
    }

    var target: ProbeTarget { ProbeTarget(host: "memory", port: 1, publicKey: key.publicKey) }
    var dialer: ProbeDialer { ProbeDialer(clock: clock) { _, _ in self.connect() } }

    /// An Engine API whose forkchoice update switches transactions on.
    var engine: EngineTarget {
        EngineTarget(url: "memory") { _, _ in
            self.forkchoiceCalls += 1
            self.fetcher.pool.accepting = true
            return .answered(status: 200, body: Array(#"{"jsonrpc":"2.0","id":1,"result":{"payloadStatus":{"status":"VALID"}}}"#.utf8))
        }
    }

    /// Transactions the pool holds.
    var pooled: Int { fetcher.pool.count }

    var now: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func connect() -> PoolConnection {
        var random = SystemRandom()
        let peer = PeerID(random.next())
        let connection = PoolConnection(node: self, peer: peer, random: &random)
        connections[peer] = WeakConnection(connection: connection)
        return connection
    }

    /// The chain's answers for `peer`, and the pool's.
    fileprivate func joined(_ peer: PeerID) { carry(fetcher.peerJoined(peer, now: now)) }

    fileprivate func received(_ message: EthMessage, from peer: PeerID) -> EthMessage? {
        switch message {
        case .transactions(let txs): carry(fetcher.broadcastReceived(peer, txs, now: now))
        case .newPooledTransactionHashes(let announcement): carry(fetcher.announced(peer, announcement, now: now))
        case .pooledTransactions(let id, let txs): carry(fetcher.delivered(peer, requestID: id, txs, now: now))
        case .getPooledTransactions(let id, let hashes): return fetcher.answer(peer, requestID: id, hashes: hashes)
        default: break
        }
        return nil
    }

    /// Fires the fetcher's timers and forgets connections the probe let go.
    fileprivate func tick() {
        for (peer, entry) in connections where entry.connection == nil {
            connections[peer] = nil
            carry(fetcher.peerLeft(peer, now: now))
        }
        carry(fetcher.tick(now: now))
    }

    /// Carries out the fetcher's actions on their connections.
    private func carry(_ actions: [TxAction]) {
        for action in actions {
            guard let connection = connections[action.peer]?.connection else { continue }
            switch action {
            case .send, .announce:
                if faults.silent { continue }
                if let message = action.message { connection.send(message) }
            case .request:
                if let message = action.message { connection.send(message) }
            case .disconnect(_, let reason, _):
                if faults.keepsBadPeers { continue }
                connection.disconnect(DevP2P.DisconnectReason(rawValue: reason.rawValue))
            }
        }
    }
}

private struct WeakConnection {
    weak var connection: PoolConnection?
}

/// One connection of a ``MemoryPoolNode``.
private final class PoolConnection: ProbeTransport {
    private unowned let node: MemoryPoolNode
    let peer: PeerID
    private var session: Session
    private var responder: EthResponder
    private var random = SystemRandom()
    private var pending: [UInt8] = []
    private var closed = false

    init(node: MemoryPoolNode, peer: PeerID, random: inout SystemRandom) {
        self.node = node
        self.peer = peer
        session = Session.recipient(
            SessionConfiguration(staticKey: node.key, protocols: [MemoryPoolNode.eth69], clientID: "memory-pool-node"), now: node.clock.now,
            random: &random)
        responder = EthResponder(version: 69, chain: node.config, blocks: node.blocks)
    }

    func send(_ message: EthMessage) {
        guard !closed, let output = try? session.send(protocol: "eth", code: message.code, payload: message.encoded(version: 69)) else { return }
        pending += output.bytes
    }

    func disconnect(_ reason: DevP2P.DisconnectReason) {
        guard !closed else { return }
        pending += session.disconnect(reason).bytes
        closed = true
    }

    func write(_ bytes: [UInt8]) -> Bool {
        guard !closed else { return false }
        let output = session.receive(bytes, now: node.clock.now, random: &random)
        pending += output.bytes
        for event in output.events { handle(event) }
        if output.close { closed = true }
        return true
    }

    private func handle(_ event: SessionEvent) {
        switch event {
        case .helloReceived:
            send(.status(responder.status(time: node.blocks.last?.header.base.timestamp ?? 0)))
        case .message(let matched, let code, let payload) where matched.name == "eth":
            guard let message = try? EthMessage(version: 69, code: code, payload: payload) else {
                disconnect(.subprotocolError)
                return
            }
            let wasPeered = responder.statusReceived
            if wasPeered, let answer = node.received(message, from: peer) {
                send(answer)
                return
            }
            let reply = responder.receive(message, time: node.blocks.last?.header.base.timestamp ?? 0)
            for answer in reply.send { send(answer) }
            if let drop = reply.disconnect {
                disconnect(DevP2P.DisconnectReason(rawValue: drop.reason))
                return
            }
            if !wasPeered && responder.statusReceived { node.joined(peer) }
        default: break
        }
    }

    func read(timeout: Double) -> ProbeRead {
        let deadline = node.now + timeout
        while true {
            node.tick()
            if !pending.isEmpty {
                defer { pending = [] }
                return .bytes(pending)
            }
            if closed { return .closed(reset: false) }
            guard node.now < deadline else { return .timeout }
            node.clock.advance(by: 0.002)
        }
    }
}
