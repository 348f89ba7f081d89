// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLPxCrypto

/// What a ``SessionState`` asks of its caller after an input.
public enum SessionOutput: Hashable, Sendable {
    /// Send these bytes to the endpoint the input came from.
    case send([UInt8])
    /// A message arrived from `nodeID`, authenticated by its session.
    case message(nodeID: [UInt8], Message)
}

/// One node's discv5 sessions, sans I/O: the WHOAREYOU challenges it has sent, the packets it is waiting to
/// have challenged, and the keys of established sessions, per node ID and endpoint. Time and randomness are
/// parameters; state is bounded by ``maximumEntries`` per table.
public struct SessionState<Endpoint: Hashable & Sendable>: Sendable {
    /// A node at an endpoint: sessions are bound to both.
    public struct Peer: Hashable, Sendable {
        public let nodeID: [UInt8]
        public let endpoint: Endpoint

        public init(nodeID: [UInt8], endpoint: Endpoint) {
            self.nodeID = nodeID
            self.endpoint = endpoint
        }
    }

    /// An established session's keys, from this side's point of view.
    public struct Session: Hashable, Sendable {
        public let writeKey: [UInt8]
        public let readKey: [UInt8]
        public let established: ContinuousClock.Instant
        /// Whether this side answered the WHOAREYOU (the handshake's initiator).
        public let isInitiator: Bool
    }

    struct Challenge: Sendable {
        let data: [UInt8]
        /// The WHOAREYOU as sent: repeated, unchanged, for packets that arrive before its handshake.
        let packet: [UInt8]
        let sent: ContinuousClock.Instant
    }

    struct Sent: Sendable {
        let peer: Peer
        let message: Message
        let sent: ContinuousClock.Instant
    }

    struct Known: Sendable {
        let publicKey: [UInt8]
        let seq: UInt64
        /// The node's record, when one came (in a handshake or through ``learn(_:)``).
        var record: ENR?
    }

    /// How long a sent WHOAREYOU waits for its handshake (go-ethereum: 1 s).
    public var handshakeTimeout: Duration = .seconds(1)
    /// How long a sent packet can be challenged.
    public var pendingTimeout: Duration = .seconds(5)
    /// The most sessions, challenges, pending packets and known keys each.
    public static var maximumEntries: Int { 1024 }

    /// This node's identity key and ID.
    public let staticKey: Secp256k1.PrivateKey
    public let localID: [UInt8]
    /// This node's record: sent in a handshake when the challenger's copy is older.
    public var localRecord: ENR?
    /// The local record's sequence number (0 without one).
    public var localENRSeq: UInt64 { localRecord?.seq ?? 0 }

    /// The established sessions.
    public private(set) var sessions: [Peer: Session] = [:]
    var challenges: [Peer: Challenge] = [:]
    var sent: [[UInt8]: Sent] = [:]
    var known: [[UInt8]: Known] = [:]
    /// Sessions established since ``takeKeyLogEntries()`` last ran, as key-log lines.
    var keyLog: [Discv5KeyLogEntry] = []

    public init(staticKey: Secp256k1.PrivateKey, localRecord: ENR? = nil) {
        self.staticKey = staticKey
        localID = Identity.nodeID(of: staticKey)
        self.localRecord = localRecord
    }

    /// The sessions established since the last call (both roles), as key-log entries; at most ``maximumEntries``.
    public mutating func takeKeyLogEntries() -> [Discv5KeyLogEntry] {
        defer { keyLog = [] }
        return keyLog
    }

    /// Whether a WHOAREYOU sent to `peer` is waiting for its handshake.
    public func hasChallenge(for peer: Peer) -> Bool { challenges[peer] != nil }

    /// Tells the state a node's record, so it can answer that node's challenges and tell it which record it knows.
    /// An older record than the one known is ignored.
    /// - Throws: ``Discv5Error/Code/invalidPublicKey`` for a record without a usable key.
    public mutating func learn(_ record: ENR) throws(Discv5Error) {
        let key: Secp256k1.PublicKey
        do { key = try record.publicKey() } catch { throw Discv5Error(.invalidPublicKey, error.reason, field: "record") }
        remember(NodeID(publicKey: key).bytes, Known(publicKey: key.compressed, seq: record.seq, record: record))
    }

    /// Tells the state a node's public key when no record is at hand (an enode URL): sequence number 0, so the
    /// node's handshake will carry its record.
    public mutating func learn(publicKey: Secp256k1.PublicKey) {
        remember(NodeID(publicKey: publicKey).bytes, Known(publicKey: publicKey.compressed, seq: 0))
    }

    /// The newest record known for `nodeID`, if any.
    public func record(of nodeID: [UInt8]) -> ENR? { known[nodeID]?.record }

    mutating func remember(_ nodeID: [UInt8], _ identity: Known) {
        if let old = known[nodeID], old.seq > identity.seq || (old.seq == identity.seq && identity.record == nil) { return }
        if known[nodeID] == nil { Self.makeRoom(in: &known) { $0.seq } }
        known[nodeID] = identity
    }

    /// The packet that carries `message` to `peer`: sealed with the session's key, or, with no session yet, an
    /// ordinary packet of random data that the peer will challenge; either way the message is kept to be sent
    /// again in a handshake.
    public mutating func send(
        _ message: Message, to peer: Peer, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> [UInt8] {
        let iv = Self.bytes(Packet.maskingIVSize, &random)
        let nonce = Self.bytes(AESGCM.nonceSize, &random)
        let authData = AuthData.ordinary(sourceID: localID)
        let packet: Packet
        if let session = sessions[peer] {
            packet = try Packet.sealing(message, maskingIV: iv, nonce: nonce, authData: authData, key: session.writeKey)
        } else {
            packet = Packet(maskingIV: iv, nonce: nonce, authData: authData, message: Self.bytes(20, &random))
        }
        let bytes = try packet.encoded(destinationID: peer.nodeID)
        expire(now: now)
        Self.makeRoom(in: &sent) { $0.sent }
        sent[nonce] = Sent(peer: peer, message: message, sent: now)
        return bytes
    }

    /// Handles a packet from `endpoint`.
    /// - Returns: what to send back or what arrived; nil when the packet needs nothing (a repeated challenge).
    /// - Throws: the ``Discv5Error`` the packet, its handshake or its message was refused with.
    public mutating func receive(
        _ bytes: some Collection<UInt8>, from endpoint: Endpoint, now: ContinuousClock.Instant,
        random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> SessionOutput? {
        let packet = try Packet(decoding: bytes, localNodeID: localID)
        expire(now: now)
        switch packet.authData {
        case .ordinary(let sourceID):
            let peer = Peer(nodeID: sourceID, endpoint: endpoint)
            if let session = sessions[peer], let plaintext = try? packet.openPlaintext(key: session.readKey) {
                return .message(nodeID: sourceID, try Message(decoding: plaintext))
            }
            return try challenge(peer, nonce: packet.nonce, now: now, random: &random)
        case .whoareyou(_, let enrSeq):
            return .send(try answer(packet, from: endpoint, enrSeq: enrSeq, now: now, random: &random))
        case .handshake(let auth):
            let peer = Peer(nodeID: auth.sourceID, endpoint: endpoint)
            guard let challenge = challenges.removeValue(forKey: peer) else { throw .unexpectedHandshake }
            let identity: Known
            if !auth.record.isEmpty {
                let record = try Identity.record(auth.record)
                guard let key = try? record.publicKey(), NodeID(publicKey: key).bytes == auth.sourceID else {
                    throw Discv5Error(.invalidPublicKey, "the record in the handshake is another node's", field: "authdata.record")
                }
                identity = Known(publicKey: key.compressed, seq: record.seq, record: record)
            } else if let known = known[auth.sourceID] {
                identity = known
            } else {
                throw .missingRecord
            }
            let keys = try Handshake.verify(auth, challengeData: challenge.data, staticKey: staticKey, initiatorPublicKey: identity.publicKey)
            let message = try Message(decoding: packet.openPlaintext(key: keys.initiatorKey))
            remember(auth.sourceID, identity)
            establish(peer, keys: keys, initiator: false, now: now)
            return .message(nodeID: auth.sourceID, message)
        }
    }

    /// A WHOAREYOU for a packet `peer` sent that had no (working) session; while one is already waiting, that
    /// one again, byte for byte (as go-ethereum repeats it).
    mutating func challenge(
        _ peer: Peer, nonce: [UInt8], now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> SessionOutput? {
        if let waiting = challenges[peer] { return .send(waiting.packet) }
        let packet = Packet(
            maskingIV: Self.bytes(Packet.maskingIVSize, &random), nonce: nonce,
            authData: .whoareyou(idNonce: Self.bytes(AuthData.idNonceSize, &random), enrSeq: known[peer.nodeID]?.seq ?? 0))
        let bytes = try packet.encoded(destinationID: peer.nodeID)
        Self.makeRoom(in: &challenges) { $0.sent }
        challenges[peer] = Challenge(data: try packet.associatedData(), packet: bytes, sent: now)
        return .send(bytes)
    }

    /// The handshake packet answering a WHOAREYOU: the challenged message again, under new session keys.
    mutating func answer(
        _ whoareyou: Packet, from endpoint: Endpoint, enrSeq: UInt64, now: ContinuousClock.Instant,
        random: inout some RandomNumberGenerator
    ) throws(Discv5Error) -> [UInt8] {
        guard let pending = sent[whoareyou.nonce], pending.peer.endpoint == endpoint else { throw .unsolicitedChallenge }
        guard let remote = known[pending.peer.nodeID] else {
            throw Discv5Error(.missingRecord, "no public key known for the challenging node", field: "nodeID")
        }
        sent[whoareyou.nonce] = nil
        let answer = try Handshake.answer(
            challengeData: whoareyou.associatedData(), staticKey: staticKey, ephemeralKey: .random(using: &random),
            remoteID: pending.peer.nodeID, remotePublicKey: remote.publicKey, record: enrSeq < localENRSeq ? localRecord?.encoded ?? [] : [])
        let nonce = Self.bytes(AESGCM.nonceSize, &random)
        let packet = try Packet.sealing(
            pending.message, maskingIV: Self.bytes(Packet.maskingIVSize, &random), nonce: nonce,
            authData: .handshake(answer.authData), key: answer.keys.initiatorKey)
        let bytes = try packet.encoded(destinationID: pending.peer.nodeID)
        establish(pending.peer, keys: answer.keys, initiator: true, now: now)
        Self.makeRoom(in: &sent) { $0.sent }
        sent[nonce] = Sent(peer: pending.peer, message: pending.message, sent: now)
        return bytes
    }

    mutating func establish(_ peer: Peer, keys: SessionKeys, initiator: Bool, now: ContinuousClock.Instant) {
        if sessions[peer] == nil { Self.makeRoom(in: &sessions) { $0.established } }
        sessions[peer] = Session(
            writeKey: initiator ? keys.initiatorKey : keys.recipientKey, readKey: initiator ? keys.recipientKey : keys.initiatorKey,
            established: now, isInitiator: initiator)
        if keyLog.count >= Self.maximumEntries { keyLog.removeFirst() }
        keyLog.append(
            Discv5KeyLogEntry(
                initiatorID: initiator ? localID : peer.nodeID, recipientID: initiator ? peer.nodeID : localID, keys: keys))
    }

    /// Drops challenges and pending packets past their time.
    mutating func expire(now: ContinuousClock.Instant) {
        challenges = challenges.filter { now - $0.value.sent < handshakeTimeout }
        sent = sent.filter { now - $0.value.sent < pendingTimeout }
    }

    /// Removes the oldest entry (by `age`) when `table` is full.
    static func makeRoom<Key, Value, Age: Comparable>(in table: inout [Key: Value], age: (Value) -> Age) {
        guard table.count >= maximumEntries, let oldest = table.min(by: { age($0.value) < age($1.value) }) else { return }
        table[oldest.key] = nil
    }

    static func bytes(_ count: Int, _ random: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }
}
