// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import EthState
import Foundation
import NIOConcurrencyHelpers
import RLPxPeer
import TxPool

/// The served chain's transaction pool, shared by every session: the pure ``TxFetcher`` (go-ethereum's pool,
/// fetcher and propagation) behind a lock, its actions carried out on the sessions they name, and its clock
/// ticked while it has something waiting (a 500 ms announcement wait, a 5 s request timeout).
public final class ServedPool: Sendable {
    private struct Peer {
        let connection: PeerConnection
        let version: UInt
    }

    private let fetcher: NIOLockedValueBox<TxFetcher>
    private let peers = NIOLockedValueBox<[PeerID: Peer]>([:])
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    /// A pool for the chain's head, checking nonces and balances against `state` (empty accounts without one).
    public init(config: ChainConfig, head: BlockHeader, state: WorldState?, selfID: [UInt8]) {
        let fork: Fork =
            head.requestsHash != nil
            ? .prague
            : head.blobGasUsed != nil
                ? .cancun
                : head.withdrawalsRoot != nil
                    ? .shanghai
                    : head.baseFeePerGas != nil ? .london : .berlin
        let lookup: @Sendable (Address) -> AccountState = { address in
            AccountState(nonce: state?.nonce(of: address) ?? 0, balance: state?.balance(of: address) ?? .zero)
        }
        let pool = TxPool(config: PoolConfig(chainID: config.chainID, fork: fork, gasLimit: head.base.gasLimit), state: lookup)
        var random = SystemRandomNumberGenerator()
        let key = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        fetcher = NIOLockedValueBox(TxFetcher(pool: pool, selfID: selfID, broadcastKey: key))
        started = clock.now
    }

    private var now: Double {
        let elapsed = clock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Takes transactions from now on (go-ethereum does once a consensus client named the head).
    public func startAccepting() { fetcher.withLockedValue { $0.pool.accepting = true } }

    /// A session joined: it is told of the pool's pending transactions, as go-ethereum does.
    public func joined(_ connection: PeerConnection, version: UInt) async -> PeerID? {
        guard let nodeID = connection.remotePublicKey?.nodeID else { return nil }
        let peer = PeerID(nodeID)
        peers.withLockedValue { $0[peer] = Peer(connection: connection, version: version) }
        await perform(fetcher.withLockedValue { $0.peerJoined(peer, now: now) })
        return peer
    }

    public func left(_ peer: PeerID) async {
        peers.withLockedValue { $0[peer] = nil }
        await perform(fetcher.withLockedValue { $0.peerLeft(peer, now: now) })
    }

    /// Handles a transaction message from `peer`; false for any other message.
    public func receive(_ message: EthMessage, from peer: PeerID) async -> Bool {
        let time = now
        let actions: [TxAction]
        switch message {
        case .transactions(let transactions): actions = fetcher.withLockedValue { $0.broadcastReceived(peer, transactions, now: time) }
        case .newPooledTransactionHashes(let announcement): actions = fetcher.withLockedValue { $0.announced(peer, announcement, now: time) }
        case .pooledTransactions(let id, let transactions):
            actions = fetcher.withLockedValue { $0.delivered(peer, requestID: id, transactions, now: time) }
        case .getPooledTransactions(let id, let hashes):
            let answer = fetcher.withLockedValue { $0.answer(peer, requestID: id, hashes: hashes) }
            await send(answer, to: peer)
            return true
        default: return false
        }
        await perform(actions)
        return true
    }

    /// Ticks the fetcher every 50 ms (its waits are 100 ms and more) until cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let time = now
            let due = fetcher.withLockedValue { fetcher in fetcher.nextDeadline.map { $0 <= time } ?? false }
            if due { await perform(fetcher.withLockedValue { $0.tick(now: time) }) }
        }
    }

    private func perform(_ actions: [TxAction]) async {
        for action in actions {
            if case .disconnect(let peer, let reason, _) = action {
                let target = peers.withLockedValue { $0[peer] }
                await target?.connection.disconnect(DevP2P.DisconnectReason(rawValue: reason.rawValue))
            } else if let message = action.message {
                await send(message, to: action.peer)
            }
        }
    }

    private func send(_ message: EthMessage, to peer: PeerID) async {
        guard let target = peers.withLockedValue({ $0[peer] }) else { return }
        try? await target.connection.send(protocol: "eth", code: message.code, payload: message.encoded(version: target.version))
    }
}
