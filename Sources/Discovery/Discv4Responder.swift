// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// The discv4 node logic without sockets or clocks: it takes datagrams with their source and the time, and returns
/// the datagrams to send. It answers as go-ethereum's `v4_udp.go` does:
///
/// - Ping: a Pong to the packet's real source (the `from` and `to` fields are not trusted); when the sender has no
///   endpoint proof, a Ping of our own too, and the node enters the table once its Pong comes back.
/// - Pong: accepted only as the answer to a Ping we sent (same hash, same node, same IP); it is the endpoint proof.
/// - FindNode and ENRRequest: answered only with an endpoint proof of that node from that IP in the last 24 hours
///   (the amplification guard), with Neighbors (at most 12 per packet) or our record.
/// - Expired packets are refused; unsolicited Neighbors and ENRResponses are ignored.
///
/// Full buckets raise liveness checks: the oldest entry is pinged, and removed if no Pong arrives within
/// ``pingTimeout`` (``expire(now:)`` judges; the newest replacement takes its place). ``revalidate(now:unixTime:)``
/// runs the same check on the table's stalest entry once per ``revalidationInterval``, as go-ethereum's
/// table_reval.go keeps its table live.
public struct Discv4Responder: Sendable {
    /// A UDP source or destination.
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        public var ip: IPAddress
        public var port: UInt16
        public init(ip: IPAddress, port: UInt16) {
            self.ip = ip
            self.port = port
        }
        public var description: String { ip.isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)" }
    }

    /// A datagram to send.
    public struct Outgoing: Hashable, Sendable {
        public var bytes: [UInt8]
        public var to: Address
        /// The packet's hash (what an answer quotes).
        public var hash: [UInt8]
        public init(bytes: [UInt8], to: Address, hash: [UInt8]) {
            self.bytes = bytes
            self.to = to
            self.hash = hash
        }
    }

    /// What one datagram did, for logs and callers waiting on answers.
    public enum Event: Sendable {
        /// A packet was handled (answered, or taken as a reply).
        case handled(Discv4.Message, from: NodeID, Address)
        /// A Pong answered one of our Pings, quoting `pingHash`.
        case pong(Discv4.Pong, pingHash: [UInt8], from: NodeID, Address)
        /// A Neighbors or ENRResponse packet, which only a caller waiting for it can judge.
        case reply(Discv4.Message, from: NodeID, Address)
        /// A well-formed packet that was not acted on, and why.
        case ignored(Discv4.Message, from: NodeID, Address, reason: String)
        /// A datagram that failed to decode or verify.
        case refused(DiscoveryError, Address)
    }

    struct Bond: Hashable {
        let id: NodeID
        let ip: IPAddress
    }

    struct PendingPing {
        let id: NodeID?
        let address: Address
        let sentAt: Duration
        /// The node the Pong adds to the table (nil for a liveness check of a node already there).
        let node: Discv4.Node?
    }

    /// How long an endpoint proof lasts (go-ethereum: 24 hours).
    public var bondExpiration: Duration = .seconds(24 * 3600)
    /// How long a Ping waits for its Pong.
    public var pingTimeout: Duration = .seconds(1)
    /// How often ``revalidate(now:unixTime:)`` pings an entry, and how long unheard an entry must be to be pinged.
    public var revalidationInterval: Duration = .seconds(10)
    var nextRevalidation: Duration = .zero
    /// How far ahead of now outgoing packets expire, in seconds (go-ethereum: 20).
    public var expirationWindow: UInt64 = 20

    /// The identity key.
    public let key: Secp256k1.PrivateKey
    /// Our record, served to ENRRequests; its sequence number rides in Pings and Pongs.
    public var record: ENR
    /// The routing table.
    public private(set) var table: NodeTable<Discv4.Node>
    var bonds: [Bond: Duration] = [:]
    var pendingPings: [[UInt8]: PendingPing] = [:]

    public init(key: Secp256k1.PrivateKey, record: ENR) {
        self.key = key
        self.record = record
        table = NodeTable(localID: NodeID(publicKey: key.publicKey))
    }

    /// Our node ID.
    public var localID: NodeID { table.localID }

    /// The table's subnet limits (go-ethereum's by default; nil: none).
    public var ipLimits: NodeTable<Discv4.Node>.IPLimits? {
        get { table.ipLimits }
        set { table.ipLimits = newValue }
    }

    /// Whether `id` proved `ip` (answered our Ping from it) within ``bondExpiration`` before `now`.
    public func isBonded(_ id: NodeID, ip: IPAddress, now: Duration) -> Bool {
        guard let time = bonds[Bond(id: id, ip: ip)] else { return false }
        return now - time < bondExpiration
    }

    /// Handles one datagram from `source` at `now` (any monotonic origin); `unixTime` judges expirations.
    public mutating func receive(
        _ datagram: some Collection<UInt8>, from source: Address, now: Duration, unixTime: UInt64
    ) -> (send: [Outgoing], event: Event) {
        let packet: Discv4Packet
        do {
            packet = try Discv4Packet(decoding: datagram)
        } catch {
            return ([], .refused(error, source))
        }
        let id = packet.senderID
        guard id != localID else { return ([], .ignored(packet.message, from: id, source, reason: "our own packet")) }
        if packet.message.isExpired(now: unixTime) {
            return ([], .ignored(packet.message, from: id, source, reason: "expired"))
        }
        let senderNode = Discv4.Node(endpoint: .init(ip: source.ip.bytes, udp: source.port, tcp: 0), key: packet.sender.nodeID)
        switch packet.message {
        case .ping(let request):
            var node = senderNode
            node.endpoint.tcp = request.from.tcp
            let pong = Discv4.Pong(
                to: .init(ip: source.ip.bytes, udp: source.port, tcp: request.from.tcp), pingHash: packet.hash,
                expiration: unixTime + expirationWindow, enrSeq: record.seq)
            var send = [outgoing(.pong(pong), to: source)]
            if isBonded(id, ip: source.ip, now: now) {
                send += insert(node, now: now, unixTime: unixTime)
            } else {
                send.append(ping(source, id: id, node: node, now: now, unixTime: unixTime))
            }
            return (send, .handled(packet.message, from: id, source))
        case .pong(let pong):
            guard let pending = pendingPings[pong.pingHash], pending.id == nil || pending.id == id, pending.address.ip == source.ip else {
                return ([], .ignored(packet.message, from: id, source, reason: "unsolicited pong"))
            }
            pendingPings[pong.pingHash] = nil
            bonds[Bond(id: id, ip: source.ip)] = now
            var send: [Outgoing] = []
            if let node = pending.node {
                send = insert(node, now: now, unixTime: unixTime)
            } else {
                table.markAlive(id, now: now)
            }
            return (send, .pong(pong, pingHash: pong.pingHash, from: id, source))
        case .findNode(let request):
            guard isBonded(id, ip: source.ip, now: now) else {
                return ([], .ignored(packet.message, from: id, source, reason: "no endpoint proof"))
            }
            let target = NodeID(discv4Key: request.target)
            let nodes = table.closest(to: target, count: table.bucketSize).map(\.value)
            let send = Discv4.Neighbors.split(nodes, expiration: unixTime + expirationWindow).map { outgoing(.neighbors($0), to: source) }
            return (send, .handled(packet.message, from: id, source))
        case .enrRequest:
            guard isBonded(id, ip: source.ip, now: now) else {
                return ([], .ignored(packet.message, from: id, source, reason: "no endpoint proof"))
            }
            let response = Discv4.ENRResponse(requestHash: packet.hash, record: record)
            return ([outgoing(.enrResponse(response), to: source)], .handled(packet.message, from: id, source))
        case .neighbors, .enrResponse:
            return ([], .reply(packet.message, from: id, source))
        }
    }

    /// A Ping to `address`, remembered so its Pong is accepted; when `node` is given, the Pong adds it to the table.
    public mutating func ping(_ address: Address, id: NodeID? = nil, node: Discv4.Node? = nil, now: Duration, unixTime: UInt64) -> Outgoing {
        let endpoint = Discv4.Endpoint(ip: record.ipForPing, udp: record.udpForPing, tcp: record.tcpForPing)
        let message = Discv4.Ping(
            from: endpoint, to: .init(ip: address.ip.bytes, udp: address.port, tcp: 0), expiration: unixTime + expirationWindow,
            enrSeq: record.seq)
        let packet = outgoing(.ping(message), to: address)
        pendingPings[packet.hash] = PendingPing(id: id, address: address, sentAt: now, node: node)
        return packet
    }

    /// A signed request (FindNode, ENRRequest) to `address`; its answer arrives as a ``Event/reply(_:from:_:)``.
    public func request(_ message: Discv4.Message, to address: Address) -> Outgoing {
        outgoing(message, to: address)
    }

    /// Drops Pings unanswered for ``pingTimeout``; a liveness check that timed out removes its node (the newest
    /// replacement takes the place) and the replacement is returned for the caller to know.
    public mutating func expire(now: Duration) -> [NodeID] {
        var removed: [NodeID] = []
        for (hash, pending) in pendingPings where now - pending.sentAt >= pingTimeout {
            pendingPings[hash] = nil
            if pending.node == nil, let id = pending.id, table.entry(id) != nil {
                table.markDead(id)
                removed.append(id)
            }
        }
        return removed
    }

    /// Adds a node that proved its endpoint (unless its subnet is over the limits); a full bucket pings its oldest entry.
    mutating func insert(_ node: Discv4.Node, now: Duration, unixTime: UInt64) -> [Outgoing] {
        let id = NodeID(discv4Key: node.key)
        guard case .checkLiveness(let oldest) = table.insert(id, value: node, ip: node.endpoint.address, now: now) else { return [] }
        return checkLiveness(of: oldest, now: now, unixTime: unixTime)
    }

    /// Once per ``revalidationInterval``: a Ping to the entry unheard from longest (if that is at least the interval);
    /// its Pong keeps it (moved to its bucket's tail), no Pong within ``pingTimeout`` removes it and promotes the
    /// newest replacement (``expire(now:)``).
    public mutating func revalidate(now: Duration, unixTime: UInt64) -> [Outgoing] {
        guard now >= nextRevalidation else { return [] }
        nextRevalidation = now + revalidationInterval
        guard let stale = table.staleEntry(now: now, interval: revalidationInterval) else { return [] }
        return checkLiveness(of: stale, now: now, unixTime: unixTime)
    }

    /// A Ping to a table entry, unless one is already on its way.
    mutating func checkLiveness(of entry: NodeTable<Discv4.Node>.Entry, now: Duration, unixTime: UInt64) -> [Outgoing] {
        guard !pendingPings.values.contains(where: { $0.id == entry.id && $0.node == nil }), let ip = entry.value.endpoint.address else {
            return []
        }
        return [ping(Address(ip: ip, port: entry.value.endpoint.udp), id: entry.id, now: now, unixTime: unixTime)]
    }

    func outgoing(_ message: Discv4.Message, to address: Address) -> Outgoing {
        let packet = Discv4Packet(message: message, key: key)
        return Outgoing(bytes: packet.bytes, to: address, hash: packet.hash)
    }
}

extension ENR {
    var ipForPing: [UInt8] { ((try? ip()) ?? nil)?.bytes ?? [] }
    var udpForPing: UInt16 { ((try? udp()) ?? nil) ?? 0 }
    var tcpForPing: UInt16 { ((try? tcp()) ?? nil) ?? 0 }
}
