// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLPxCrypto

/// One discv5 node without sockets or clocks: datagrams in with their source and the time, datagrams out. It
/// answers as go-ethereum's `v5_udp.go` does:
///
/// - PING: a PONG with the address the PING came from.
/// - FINDNODE: the records at the asked log-distances (0 is our own), at most ``findnodeResultLimit``, split into
///   NODES messages that each stay under the 1280-byte packet limit.
/// - TALKREQ: an empty TALKRESP (no talk protocols are served).
/// - Handshakes through ``SessionState``; a node whose handshake carried a record for the address it came from
///   enters the table and is pinged (go-ethereum's inbound-node revalidation).
///
/// Our own requests (``ping(_:at:now:random:)``, ``findNode(_:at:distances:now:random:)``, ``talk(_:at:protocolName:request:now:random:)``)
/// return the packet to send and the request ID; their answers come back as ``Event/answered(_:_:from:)`` once
/// complete (all NODES of a FINDNODE). Time and randomness are parameters.
public struct Discv5Node: Sendable {
    /// A UDP address: the same type discv4 uses.
    public typealias Endpoint = Discv4Responder.Address

    /// A datagram to send.
    public struct Outgoing: Hashable, Sendable {
        public var bytes: [UInt8]
        public var to: Endpoint
        public init(bytes: [UInt8], to: Endpoint) {
            self.bytes = bytes
            self.to = to
        }
    }

    /// The complete answer to one of our requests.
    public enum Answer: Hashable, Sendable {
        case pong(Pong)
        /// Every record of every NODES message (records that failed to verify are left out).
        case nodes([ENR])
        case talk([UInt8])
    }

    /// What one datagram did, for logs and callers waiting on answers.
    public enum Event: Sendable {
        /// A request from `from` was answered.
        case request(Message, from: NodeID, Endpoint)
        /// One of our requests is complete.
        case answered(RequestID, Answer, from: NodeID)
        /// A session was established (either role).
        case session(Discv5KeyLogEntry)
        /// A well-formed message that was not acted on, and why.
        case ignored(Message, from: NodeID, reason: String)
        /// A datagram that failed to decode, open or verify.
        case refused(Discv5Error, Endpoint)
    }

    struct Pending: Sendable {
        let nodeID: NodeID
        let endpoint: Endpoint
        let sent: ContinuousClock.Instant
        let isFindNode: Bool
        var distances: [UInt16] = []
        var records: [ENR] = []
        var received = 0
        var total = 0
    }

    /// The most records a FINDNODE is answered with (go-ethereum's findnodeResultLimit).
    public static let findnodeResultLimit = 16
    /// The most NODES messages accepted for one FINDNODE (go-ethereum's totalNodesResponseLimit).
    public static let totalNodesResponseLimit = 5
    /// The record bytes one NODES message carries at most (go-ethereum: 1000 of the 1280-byte packet).
    public static let nodesSizeLimit = 1000
    /// How long a request waits for its answer before ``expire(now:)`` drops it.
    public static var requestTimeout: Duration { .seconds(5) }

    /// The sessions and the identity key.
    public private(set) var sessions: SessionState<Endpoint>
    /// Our record.
    public var record: ENR {
        didSet { sessions.localRecord = record }
    }
    /// The routing table (values: the nodes' records).
    public private(set) var table: NodeTable<ENR>
    /// Our node ID.
    public var localID: NodeID { table.localID }
    /// How long a WHOAREYOU we sent waits for its handshake (go-ethereum: 1 s).
    public var handshakeTimeout: Duration {
        get { sessions.handshakeTimeout }
        set { sessions.handshakeTimeout = newValue }
    }
    var pending: [RequestID: Pending] = [:]
    let start: ContinuousClock.Instant

    /// A node with `key` and `record` (the record should be `key`'s); `start` is the table's time origin.
    public init(key: Secp256k1.PrivateKey, record: ENR, start: ContinuousClock.Instant) {
        sessions = SessionState(staticKey: key, localRecord: record)
        self.record = record
        table = NodeTable(localID: NodeID(publicKey: key.publicKey))
        self.start = start
    }

    /// Tells the node another node's record (needed before a request to it: the handshake uses its key).
    public mutating func learn(_ record: ENR) throws(Discv5Error) { try sessions.learn(record) }

    /// Tells the node another node's public key (from an enode URL).
    public mutating func learn(publicKey: Secp256k1.PublicKey) { sessions.learn(publicKey: publicKey) }

    // MARK: Receiving

    /// Handles one datagram from `source`.
    public mutating func handle(
        datagram: some Collection<UInt8>, from source: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) -> (send: [Outgoing], events: [Event]) {
        var send: [Outgoing] = []
        var events: [Event] = []
        let output: SessionOutput?
        do { output = try sessions.receive(datagram, from: source, now: now, random: &random) } catch {
            return ([], [.refused(error, source)])
        }
        let established = sessions.takeKeyLogEntries()
        events += established.map { .session($0) }
        switch output {
        case .send(let bytes): send.append(Outgoing(bytes: bytes, to: source))
        case .message(let sourceID, let message):
            guard let id = NodeID(bytes: sourceID) else { break }
            let (out, event) = answer(message, from: id, at: source, now: now, random: &random)
            send += out
            events.append(event)
            if established.contains(where: { $0.initiatorID == sourceID }) {
                send += admit(id, from: source, now: now, random: &random)
            }
        case nil: break
        }
        return (send, events)
    }

    /// Answers a request, or matches a response to one of ours.
    mutating func answer(
        _ message: Message, from id: NodeID, at source: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) -> ([Outgoing], Event) {
        let peer = SessionState<Endpoint>.Peer(nodeID: id.bytes, endpoint: source)
        var replies: [Message] = []
        switch message {
        case .ping(let ping):
            replies = [
                .pong(Pong(requestID: ping.requestID, enrSeq: record.seq, recipientIP: source.ip.bytes, recipientPort: source.port))
            ]
        case .findNode(let findNode):
            replies = nodes(for: findNode).map { .nodes($0) }
        case .talkRequest(let talk):
            replies = [.talkResponse(TalkResponse(requestID: talk.requestID, response: []))]
        case .pong, .nodes, .talkResponse:
            return ([], response(message, from: id, at: source))
        }
        var sent: [Outgoing] = []
        for reply in replies {
            if let bytes = try? sessions.send(reply, to: peer, now: now, random: &random) { sent.append(Outgoing(bytes: bytes, to: source)) }
        }
        if table.entry(id) != nil { _ = table.markAlive(id, now: now - start) }
        return (sent, .request(message, from: id, source))
    }

    /// The NODES messages answering `request`: records at its distances (each once, distances over 256 skipped),
    /// at most ``findnodeResultLimit``, packed under ``nodesSizeLimit`` bytes each; one empty message for none.
    func nodes(for request: FindNode) -> [Nodes] {
        var records: [ENR] = []
        var seen: Set<UInt16> = []
        for distance in request.distances where distance <= 256 && seen.insert(distance).inserted {
            if distance == 0 {
                records.append(record)
            } else {
                records += table.entries(atDistance: Int(distance)).map(\.value)
            }
        }
        var groups: [[[UInt8]]] = []
        var size = 0
        for record in records.prefix(Self.findnodeResultLimit) {
            let bytes = record.encoded
            if groups.isEmpty || size + bytes.count > Self.nodesSizeLimit {
                groups.append([])
                size = 0
            }
            groups[groups.count - 1].append(bytes)
            size += bytes.count
        }
        if groups.isEmpty { groups = [[]] }
        return groups.map { Nodes(requestID: request.requestID, total: UInt8(groups.count), records: $0) }
    }

    /// A response: accepted only from the node and address a request of that ID went to.
    mutating func response(_ message: Message, from id: NodeID, at source: Endpoint) -> Event {
        let requestID = message.requestID
        guard var request = pending[requestID], request.nodeID == id, request.endpoint == source else {
            return .ignored(message, from: id, reason: "no request \(requestID) to this node")
        }
        switch message {
        case .pong(let pong) where !request.isFindNode:
            pending[requestID] = nil
            return .answered(requestID, .pong(pong), from: id)
        case .talkResponse(let talk) where !request.isFindNode:
            pending[requestID] = nil
            return .answered(requestID, .talk(talk.response), from: id)
        case .nodes(let nodes) where request.isFindNode:
            request.total = min(max(Int(nodes.total), 1), Self.totalNodesResponseLimit)
            request.received += 1
            for bytes in nodes.records {
                guard let record = try? ENR(rlp: bytes), let nodeID = try? record.nodeID() else { continue }
                let distance = UInt16(exactly: nodeID.logDistance(to: id)) ?? 0
                if request.distances.contains(distance) { request.records.append(record) }
            }
            if request.received >= request.total {
                pending[requestID] = nil
                return .answered(requestID, .nodes(request.records), from: id)
            }
            pending[requestID] = request
            return .ignored(message, from: id, reason: "NODES \(request.received) of \(request.total) for request \(requestID)")
        default:
            return .ignored(message, from: id, reason: "\(message.name) does not answer request \(requestID)")
        }
    }

    /// A node that completed a handshake with a record: into the table when the record names the address the
    /// handshake came from, and pinged (its answer shows it is alive).
    mutating func admit(
        _ id: NodeID, from source: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) -> [Outgoing] {
        guard let record = sessions.record(of: id.bytes), (try? record.ip()) == source.ip, (try? record.udp()) == source.port else {
            return []
        }
        switch table.insert(id, value: record, ip: source.ip, now: now - start) {
        case .added, .updated:
            guard let request = try? self.ping(id, at: source, now: now, random: &random) else { return [] }
            return [request.packet]
        case .ignoredSelf, .checkLiveness, .refusedIPLimit: return []
        }
    }

    // MARK: Requests

    /// A PING to `id` at `endpoint` (whose key must be known) and its request ID.
    public mutating func ping(
        _ id: NodeID, at endpoint: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> (packet: Outgoing, requestID: RequestID) {
        let requestID = RequestID(random.next())
        return try request(.ping(Ping(requestID: requestID, enrSeq: record.seq)), to: id, at: endpoint, now: now, random: &random)
    }

    /// A FINDNODE for `distances` to `id` at `endpoint`.
    public mutating func findNode(
        _ id: NodeID, at endpoint: Endpoint, distances: [UInt16], now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> (packet: Outgoing, requestID: RequestID) {
        let requestID = RequestID(random.next())
        return try request(
            .findNode(FindNode(requestID: requestID, distances: distances)), to: id, at: endpoint, now: now, random: &random)
    }

    /// A FINDNODE for distance 0: the node's own record (go-ethereum's RequestENR).
    public mutating func requestENR(
        _ id: NodeID, at endpoint: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> (packet: Outgoing, requestID: RequestID) {
        try findNode(id, at: endpoint, distances: [0], now: now, random: &random)
    }

    /// A TALKREQ for `protocolName`.
    public mutating func talk(
        _ id: NodeID, at endpoint: Endpoint, protocolName: [UInt8], request: [UInt8], now: ContinuousClock.Instant,
        random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> (packet: Outgoing, requestID: RequestID) {
        let requestID = RequestID(random.next())
        return try self.request(
            .talkRequest(TalkRequest(requestID: requestID, protocolName: protocolName, request: request)), to: id, at: endpoint,
            now: now, random: &random)
    }

    mutating func request(
        _ message: Message, to id: NodeID, at endpoint: Endpoint, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> (packet: Outgoing, requestID: RequestID) {
        let bytes = try sessions.send(message, to: .init(nodeID: id.bytes, endpoint: endpoint), now: now, random: &random)
        expire(now: now)
        if pending.count >= SessionState<Endpoint>.maximumEntries, let oldest = pending.min(by: { $0.value.sent < $1.value.sent }) {
            pending[oldest.key] = nil
        }
        var entry = Pending(nodeID: id, endpoint: endpoint, sent: now, isFindNode: false)
        if case .findNode(let findNode) = message {
            entry = Pending(nodeID: id, endpoint: endpoint, sent: now, isFindNode: true, distances: findNode.distances)
        }
        pending[message.requestID] = entry
        return (Outgoing(bytes: bytes, to: endpoint), message.requestID)
    }

    /// Drops requests past ``requestTimeout``; returns their IDs.
    @discardableResult
    public mutating func expire(now: ContinuousClock.Instant) -> [RequestID] {
        let expired = pending.filter { now - $0.value.sent >= Self.requestTimeout }.map(\.key)
        for id in expired { pending[id] = nil }
        return expired
    }
}
