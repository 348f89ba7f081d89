// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import Foundation
import NIOConcurrencyHelpers
import RLPxCrypto

/// Discovery as a server runs it (go-ethereum's `p2p.Server` with discv4, and discv5 on the same socket when
/// ``Configuration/discv5`` is set): one UDP socket, the node's own record
/// (ip, tcp, udp, and `eth`/`snap` when served), bonds with the bootnodes first, then lookups of nodes near itself
/// that bond with every node heard of, so the table fills from the bootnodes' tables. A lookup runs at start, every
/// ``Configuration/refreshInterval`` after, and every ``Configuration/emptyRetry`` while bootnodes are given and the
/// table is empty (one started later is still found). The table itself is revalidated by ``Discv4Peer``.
public final class DiscoveryService: Sendable {
    /// A node to bond with first.
    public struct Bootnode: Hashable, Sendable {
        public var address: Discv4Responder.Address
        public var id: NodeID
        public init(address: Discv4Responder.Address, id: NodeID) {
            self.address = address
            self.id = id
        }
    }

    public struct Configuration: Sendable {
        /// The address to bind, and the UDP port (0 picks one; the record carries the port bound).
        public var host: String
        public var port: Int
        public var key: Secp256k1.PrivateKey
        /// What the record announces: IP (nil: none), RLPx TCP port (0: none), the eth fork ID, snap.
        public var ip: IPAddress?
        public var tcp: UInt16
        public var eth: ForkIDEntry?
        public var snap: Bool
        public var bootnodes: [Bootnode]
        /// Between lookups (go-ethereum: 30 minutes).
        public var refreshInterval: Duration = .seconds(30 * 60)
        /// Between lookups while bootnodes are given and the table is empty.
        public var emptyRetry: Duration = .seconds(10)
        /// How long a Ping waits for its Pong, and a FindNode for its Neighbors.
        public var pingTimeout: Duration = .seconds(2)
        /// Datagrams that are not discv4, when discv5 does not run here.
        public var unhandled: Discv4Peer.Unhandled?
        /// Run discv5 on the same socket, as go-ethereum does: every datagram discv4 does not recognise goes to it, and
        /// it answers with the same record.
        public var discv5 = false
        /// Called with each discv5 session established (either role): a key log's `DISCV5_SESSION` lines.
        public var discv5KeyLog: (@Sendable (Discv5KeyLogEntry) -> Void)?

        public init(
            host: String, port: Int, key: Secp256k1.PrivateKey, ip: IPAddress?, tcp: UInt16, eth: ForkIDEntry? = nil, snap: Bool = false,
            bootnodes: [Bootnode] = []
        ) {
            self.host = host
            self.port = port
            self.key = key
            self.ip = ip
            self.tcp = tcp
            self.eth = eth
            self.snap = snap
            self.bootnodes = bootnodes
        }
    }

    /// What a caller logs.
    public enum Event: Sendable {
        /// A datagram and what the responder did with it.
        case packet(Discv4Responder.Event)
        /// A node entered the table.
        case added(NodeID, Discv4Responder.Address)
        /// A node left the table.
        case removed(NodeID)
        /// A discv5 datagram and what the node did with it.
        case discv5(Discv5Node.Event)
    }

    /// The socket (its table, record and requests).
    public let peer: Discv4Peer
    /// discv5 on the same socket, when configured.
    public let discv5: Discv5Peer?
    private let refresher: Task<Void, Never>

    /// Binds, signs the record with the port bound, and starts bonding with the bootnodes.
    /// - Throws: when the port cannot be bound or the record cannot be signed.
    public static func start(_ configuration: Configuration, log: (@Sendable (Event) -> Void)? = nil) async throws -> DiscoveryService {
        let key = configuration.key
        let provisional = try ENR.signed(seq: 1, pairs: [], key: key)
        var packetLog: (@Sendable (Discv4Responder.Event) -> Void)?
        if let log { packetLog = { log(.packet($0)) } }
        // discv5 writes through the socket discv4 binds, which exists only once bound: the box holds it from then on.
        let socket = NIOLockedValueBox<Discv4Peer?>(nil)
        var unhandled = configuration.unhandled
        var discv5: Discv5Peer?
        if configuration.discv5 {
            var discv5Log: (@Sendable (Discv5Node.Event) -> Void)?
            if let log { discv5Log = { log(.discv5($0)) } }
            let send: @Sendable (Discv5Node.Outgoing) -> Void = { packet in
                let peer = socket.withLockedValue { $0 }
                peer?.sendRaw(packet.bytes, to: packet.to)
            }
            let node = Discv5Peer(key: key, record: provisional, send: send, keyLog: configuration.discv5KeyLog, log: discv5Log)
            unhandled = { bytes, source in node.receive(datagram: bytes, from: source) }
            discv5 = node
        }
        let peer = try await Discv4Peer.bind(
            host: configuration.host, port: configuration.port, key: key, record: provisional, pingTimeout: configuration.pingTimeout,
            unhandled: unhandled, log: packetLog)
        socket.withLockedValue { $0 = peer }
        do {
            let record = try ENR.node(
                key: key, ip: configuration.ip, udp: peer.localPort ?? 0, tcp: configuration.tcp, eth: configuration.eth, snap: configuration.snap)
            peer.setRecord(record)
            discv5?.setRecord(record)
        } catch {
            await peer.close()
            throw error
        }
        let refresher = Task { await Self.run(peer, configuration, log: log) }
        return DiscoveryService(peer: peer, discv5: discv5, refresher: refresher)
    }

    private init(peer: Discv4Peer, discv5: Discv5Peer?, refresher: Task<Void, Never>) {
        self.peer = peer
        self.discv5 = discv5
        self.refresher = refresher
    }

    /// The node's record.
    public var record: ENR { peer.record }

    /// Stops looking up and closes the socket.
    public func close() async {
        refresher.cancel()
        await refresher.value
        await peer.close()
    }

    /// Lookups until cancelled, and table changes reported as they are seen (every 250 ms).
    private static func run(_ peer: Discv4Peer, _ configuration: Configuration, log: (@Sendable (Event) -> Void)?) async {
        let watcher = Task {
            var known: [NodeID: Discv4Responder.Address] = [:]
            while !Task.isCancelled {
                var now: [NodeID: Discv4Responder.Address] = [:]
                for entry in peer.table.entries {
                    guard let ip = entry.value.endpoint.address else { continue }
                    now[entry.id] = .init(ip: ip, port: entry.value.endpoint.udp)
                }
                for (id, address) in now where known[id] == nil { log?(.added(id, address)) }
                for id in known.keys where now[id] == nil { log?(.removed(id)) }
                known = now
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        defer { watcher.cancel() }
        while !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                for bootnode in configuration.bootnodes where peer.table.entry(bootnode.id) == nil {
                    group.addTask { await bond(peer, bootnode.address, bootnode.id, configuration.pingTimeout) }
                }
            }
            await lookup(peer, configuration.pingTimeout)
            let retry = peer.table.count == 0 && !configuration.bootnodes.isEmpty
            try? await Task.sleep(for: retry ? configuration.emptyRetry : configuration.refreshInterval)
        }
    }

    /// Pings a node and waits for its Ping back (whose answer puts it in the table); bounded by `timeout` twice.
    static func bond(_ peer: Discv4Peer, _ address: Discv4Responder.Address, _ id: NodeID, _ timeout: Duration) async {
        guard await peer.ping(address, timeout: timeout) != nil else { return }
        await peer.waitUntilKnown(id, timeout: timeout)
    }

    /// A lookup of the node's own ID, as go-ethereum's table refresh starts: ask the three closest nodes not yet asked
    /// for neighbours, bond with each new one, repeat until no node is left to ask (at most 16 rounds).
    static func lookup(_ peer: Discv4Peer, _ timeout: Duration) async {
        let ownKey = peer.discv4Key
        let target = peer.table.localID
        var asked: Set<NodeID> = []
        for _ in 0..<16 {
            guard !Task.isCancelled else { return }
            let next = peer.table.closest(to: target, count: 16).filter { !asked.contains($0.id) }.prefix(3)
            guard !next.isEmpty else { return }
            let found = await withTaskGroup(of: [Discv4.Node].self) { group in
                for entry in next {
                    asked.insert(entry.id)
                    guard let ip = entry.value.endpoint.address else { continue }
                    let address = Discv4Responder.Address(ip: ip, port: entry.value.endpoint.udp)
                    group.addTask { await peer.findNode(address, id: entry.id, target: ownKey, window: timeout) }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            await withTaskGroup(of: Void.self) { group in
                var bonding: Set<NodeID> = []
                for node in found {
                    let id = NodeID(discv4Key: node.key)
                    guard id != target, peer.table.entry(id) == nil, !bonding.contains(id), let ip = node.endpoint.address else { continue }
                    bonding.insert(id)
                    group.addTask { await bond(peer, .init(ip: ip, port: node.endpoint.udp), id, timeout) }
                }
            }
        }
    }
}
