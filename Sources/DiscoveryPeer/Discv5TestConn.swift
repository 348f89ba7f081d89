// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import NIOConcurrencyHelpers
import RLP
import RLPxCrypto

/// One identity talking discv5 to the node under test, as go-ethereum's v5test `conn`: a single session codec
/// (``Discv5/SessionState``) shared by every socket it writes from, so a session made on one socket is reused on
/// another. It answers nothing by itself; every read is bounded.
final class Discv5TestConn: Sendable {
    typealias Endpoint = Discv5Node.Endpoint

    /// What a read found.
    enum Read: Sendable, CustomStringConvertible {
        case message(Message)
        /// A WHOAREYOU, as it arrived (``answer(_:on:)`` answers it).
        case whoareyou(Packet, bytes: [UInt8])
        /// A packet that did not decode or open.
        case invalid(String)
        case timeout

        var description: String {
            switch self {
            case .message(let message): message.name
            case .whoareyou: "WHOAREYOU"
            case .invalid(let error): "an invalid packet (\(error))"
            case .timeout: "nothing (timeout)"
            }
        }
    }

    struct Codec {
        var state: SessionState<Endpoint>
        var random = SystemRandom()
    }

    let target: Endpoint
    let targetID: NodeID
    let localID: NodeID
    let record: ENR
    let timeout: Duration
    private let codec: NIOLockedValueBox<Codec>

    /// A fresh identity; `record` defaults to one without an address (the node will not ping it back).
    init(target: Endpoint, targetKey: Secp256k1.PublicKey, timeout: Duration, key: Secp256k1.PrivateKey, record: ENR) {
        var state = SessionState<Endpoint>(staticKey: key, localRecord: record)
        state.learn(publicKey: targetKey)
        // A packet we sent stays challengeable as long as a test waits for its answer, and longer: a WHOAREYOU read
        // late (a slow machine) is the node's answer, not an unsolicited challenge to blame it for.
        state.pendingTimeout = max(state.pendingTimeout, timeout * 4)
        codec = NIOLockedValueBox(Codec(state: state))
        self.target = target
        targetID = NodeID(publicKey: targetKey)
        localID = NodeID(publicKey: key.publicKey)
        self.record = record
        self.timeout = timeout
    }

    /// A random 8-byte request ID.
    func nextRequestID() -> RequestID { codec.withLockedValue { RequestID($0.random.next()) } }

    /// Sends `message`: sealed when a session exists, else as a packet the node will challenge.
    func write(_ message: Message, on socket: UDPInbox) throws {
        let bytes = try codec.withLockedValue { codec throws in
            try codec.state.send(message, to: .init(nodeID: targetID.bytes, endpoint: target), now: .now, random: &codec.random)
        }
        socket.send(bytes, to: target)
    }

    /// Sends a message plaintext as it is (one the message types cannot hold), sealed with the session's key.
    func writeSealed(plaintext: [UInt8], on socket: UDPInbox) throws {
        let bytes = try codec.withLockedValue { codec throws -> [UInt8] in
            guard let session = codec.state.sessions[.init(nodeID: targetID.bytes, endpoint: target)] else {
                throw Discv5Error(.invalidArgument, "no session to seal with")
            }
            let nonce = (0..<AESGCM.nonceSize).map { _ in UInt8.random(in: 0...255, using: &codec.random) }
            let iv = (0..<Packet.maskingIVSize).map { _ in UInt8.random(in: 0...255, using: &codec.random) }
            var packet = Packet(maskingIV: iv, nonce: nonce, authData: .ordinary(sourceID: localID.bytes))
            packet.message = try AESGCM.seal(plaintext, key: session.writeKey, nonce: nonce, associatedData: packet.associatedData())
            return try packet.encoded(destinationID: targetID.bytes)
        }
        socket.send(bytes, to: target)
    }

    /// The next packet from the node on `socket`, within `wait` (default: the timeout).
    func read(on socket: UDPInbox, wait: Duration? = nil) async -> Read {
        let deadline = ContinuousClock.now + (wait ?? timeout)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, let datagram = await socket.receive(timeout: remaining) else { return .timeout }
            guard datagram.source == target else { continue }
            do {
                let packet = try Packet(decoding: datagram.bytes, localNodeID: localID.bytes)
                if packet.flag == .whoareyou { return .whoareyou(packet, bytes: datagram.bytes) }
                let output = try codec.withLockedValue { codec throws in
                    try codec.state.receive(datagram.bytes, from: target, now: .now, random: &codec.random)
                }
                if case .message(_, let message) = output { return .message(message) }
            } catch {
                return .invalid("\(error)")
            }
        }
    }

    /// Answers a WHOAREYOU with the handshake that carries the challenged message again.
    func answer(_ whoareyou: [UInt8], on socket: UDPInbox) throws {
        let output = try codec.withLockedValue { codec throws in
            try codec.state.receive(whoareyou, from: target, now: .now, random: &codec.random)
        }
        if case .send(let bytes) = output { socket.send(bytes, to: target) }
    }

    /// Sends a request and reads its answer, doing the handshake when challenged.
    func request(_ message: Message, on socket: UDPInbox) async throws -> Read {
        try write(message, on: socket)
        let first = await read(on: socket)
        guard case .whoareyou(_, let bytes) = first else { return first }
        try answer(bytes, on: socket)
        return await read(on: socket)
    }

    /// FINDNODE for `distances`, with every NODES message of the answer (at most 5).
    func findNode(_ distances: [UInt16], on socket: UDPInbox) async throws -> [ENR] {
        let requestID = nextRequestID()
        var read = try await request(.findNode(FindNode(requestID: requestID, distances: distances)), on: socket)
        var records: [ENR] = []
        var received = 0
        while true {
            guard case .message(.nodes(let nodes)) = read, nodes.requestID == requestID else {
                throw DiscoveryPeerError(.wrongAnswer, "expected NODES, got \(read)")
            }
            for bytes in nodes.records { records.append(try ENR(rlp: bytes)) }
            received += 1
            if received >= min(Int(nodes.total), 5) { return records }
            read = await self.read(on: socket)
        }
    }
}
