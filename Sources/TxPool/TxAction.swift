// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// A peer, named by bytes the caller chooses (go-ethereum uses the 32-byte node ID, keccak of the public key).
/// The bytes also seed the deterministic choice of which peers get transactions in full.
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A peer named by a number (8 big-endian bytes).
    public init(_ number: UInt64) { bytes = (0..<8).map { UInt8(truncatingIfNeeded: number >> (56 - 8 * UInt64($0))) } }

    public var description: String { Hex.encode(bytes) }
}

/// The devp2p disconnect reasons the transaction layer uses.
public enum DisconnectReason: UInt8, Sendable, Hashable {
    /// go-ethereum's `removePeer`: the fetcher drops a peer whose announcement disagrees with what it delivered.
    case uselessPeer = 0x03
    /// The eth handler returned an error (a blob transaction in a broadcast, a sidecar-less or mismatched blob
    /// transaction in a response, duplicates, announcement lists of different lengths).
    case subprotocolError = 0x10
}

/// What the transaction layer asks the connection layer to do.
public enum TxAction: Sendable, Hashable {
    /// Send GetPooledTransactions `[requestID, hashes]`.
    case request(peer: PeerID, requestID: UInt64, hashes: [Hash32])
    /// Send Transactions with these transactions in full.
    case send(peer: PeerID, transactions: [Transaction])
    /// Send NewPooledTransactionHashes `[types, sizes, hashes]`.
    case announce(peer: PeerID, TransactionAnnouncement)
    /// Send Disconnect `[reason]` and close; `detail` is go-ethereum's error or log text.
    case disconnect(peer: PeerID, reason: DisconnectReason, detail: String)

    public var peer: PeerID {
        switch self {
        case .request(let peer, _, _), .send(let peer, _), .announce(let peer, _), .disconnect(let peer, _, _): peer
        }
    }

    /// The eth message to send, or nil for a disconnect.
    public var message: EthMessage? {
        switch self {
        case .request(_, let id, let hashes): .getPooledTransactions(requestID: id, hashes)
        case .send(_, let transactions): .transactions(transactions)
        case .announce(_, let announcement): .newPooledTransactionHashes(announcement)
        case .disconnect: nil
        }
    }
}
