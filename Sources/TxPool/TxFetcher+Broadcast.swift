// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxFetcher {
    /// `BroadcastTransactions`: each transaction to every peer not known to have it, in full to the ⌈√peers⌉ peers
    /// chosen for its sender (small non-blob transactions only), announced to the others.
    mutating func broadcast(_ txs: [ValidatedTransaction]) {
        let live = ordered(peers.keys)
        guard !live.isEmpty, !txs.isEmpty else { return }
        let fanOut = Int((Double(live.count).squareRoot()).rounded(.up))
        var full: [PeerID: [Hash32]] = [:]
        var announcements: [PeerID: [Hash32]] = [:]
        for tx in txs {
            var chosen: Set<PeerID> = []
            if tx.transaction.type != .blob && tx.transaction.encoded.count <= Self.maxBroadcastSize {
                chosen = choosePeers(live, sender: tx.sender, count: fanOut)
            }
            for peer in live where !knows(peer, tx.hash) {
                if chosen.contains(peer) { full[peer, default: []].append(tx.hash) } else { announcements[peer, default: []].append(tx.hash) }
            }
        }
        for peer in live { if let hashes = full[peer] { send(hashes, to: peer) } }
        for peer in live { if let hashes = announcements[peer] { announce(hashes, to: peer) } }
    }

    /// The `count` peers with the lowest score keccak(key ‖ our ID ‖ peer ‖ sender) (go-ethereum: SipHash with a
    /// random key): the same peers for every transaction of a sender, so its nonces travel together.
    func choosePeers(_ peers: [PeerID], sender: Address, count: Int) -> Set<PeerID> {
        let scored = peers.map { peer -> (UInt64, PeerID) in
            let digest = Hash32.keccak(broadcastKey[...], selfID[...], peer.bytes[...], sender.bytes[...]).bytes
            return (digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }, peer)
        }
        return Set(scored.sorted { $0.0 < $1.0 }.prefix(count).map(\.1))
    }

    /// `AsyncSendTransactions`: known to the peer from now on; sent as Transactions packets filled until they reach
    /// 100 KiB, skipping transactions the pool no longer has (the queue keeps the newest 4096).
    mutating func send(_ hashes: [Hash32], to peer: PeerID) {
        markKnown(peer, hashes)
        var packet: [Transaction] = []
        var size = 0
        for hash in hashes.suffix(Self.maxQueued) {
            guard let tx = pool.transaction(hash) else { continue }
            packet.append(tx)
            size += tx.encoded.count
            if size >= Self.maxPacketSize {
                actions.append(.send(peer: peer, transactions: packet))
                packet = []
                size = 0
            }
        }
        if !packet.isEmpty { actions.append(.send(peer: peer, transactions: packet)) }
    }

    /// `AsyncSendPooledTransactionHashes`: known to the peer from now on; announced with type and size, 3,200
    /// hashes to a packet (100 KiB counted at 32 bytes a hash).
    mutating func announce(_ hashes: [Hash32], to peer: PeerID) {
        markKnown(peer, hashes)
        var packet = TransactionAnnouncement(types: [], sizes: [], hashes: [])
        for hash in hashes.suffix(Self.maxQueued) {
            guard let (type, size) = pool.metadata(hash) else { continue }
            packet.types.append(type)
            packet.sizes.append(size)
            packet.hashes.append(hash)
            if packet.hashes.count * 32 >= Self.maxPacketSize {
                actions.append(.announce(peer: peer, packet))
                packet = TransactionAnnouncement(types: [], sizes: [], hashes: [])
            }
        }
        if !packet.hashes.isEmpty { actions.append(.announce(peer: peer, packet)) }
    }
}
