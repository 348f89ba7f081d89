// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import TxPool

extension Fixture {
    /// `spec` signed by the suite's sender `index` (0, 1 and 5 are the ones the suite uses).
    func tx(_ spec: TxSpec, sender index: Int = 0) throws -> Transaction {
        try spec.signed(by: senders[index].key, fixture: self)
    }

    /// Why the stateless checks refuse `spec`, or nil.
    func statelessError(_ spec: TxSpec, sender index: Int = 0, config: PoolConfig = .ethTest) throws -> PoolError? {
        let tx = try tx(spec, sender: index)
        do throws(PoolError) {
            _ = try PoolValidation.validate(tx, config: config)
            return nil
        } catch {
            return error
        }
    }

    /// Suite-style DynamicFeeTxs from `sender`: nonces `from...`, creation, gas 75,000 (as LargeTxRequest / NewPooledTxs).
    func creations(count: Int, from nonce: UInt64 = 0, sender index: Int = 1) throws -> [Transaction] {
        try (0..<count).map { offset in
            try tx(TxSpec(nonce: nonce + UInt64(offset), gas: 75_000, to: nil), sender: index)
        }
    }
}

extension TxAction {
    var requestedHashes: [Hash32]? {
        if case .request(_, _, let hashes) = self { return hashes }
        return nil
    }

    var disconnectReason: DisconnectReason? {
        if case .disconnect(_, let reason, _) = self { return reason }
        return nil
    }

    /// Hashes this action hands to its peer, sent in full or announced.
    var propagatedHashes: [Hash32] {
        switch self {
        case .send(_, let txs): txs.map(\.hash)
        case .announce(_, let announcement): announcement.hashes
        default: []
        }
    }
}

extension Array where Element == TxAction {
    func requests(to peer: PeerID) -> [[Hash32]] { filter { $0.peer == peer }.compactMap(\.requestedHashes) }
    func disconnects(_ peer: PeerID) -> [DisconnectReason] { filter { $0.peer == peer }.compactMap(\.disconnectReason) }
    func propagated(to peer: PeerID) -> [Hash32] { filter { $0.peer == peer }.flatMap(\.propagatedHashes) }
}
