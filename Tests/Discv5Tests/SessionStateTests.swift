// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import Keccak
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

/// Two session states talking through their outputs: the full WHOAREYOU handshake, then sealed messages both
/// ways; and the ways a handshake is refused.
@Suite struct SessionStateTests {
    typealias V = WireVectors
    typealias State = SessionState<String>

    static let start = ContinuousClock.now

    /// A record for `key`: only "id" and "secp256k1", signed.
    static func record(for key: Secp256k1.PrivateKey, seq: UInt64) throws -> ENR { try ENR.signed(seq: seq, pairs: [], key: key) }

    /// Node A (at "a") knows B's key; node B (at "b") knows nothing of A until A's record arrives in a handshake.
    static func pair() throws -> (a: State, b: State) {
        let aKey = try Secp256k1.PrivateKey(rawRepresentation: V.nodeAKey)
        let bKey = try Secp256k1.PrivateKey(rawRepresentation: V.nodeBKey)
        var a = State(staticKey: aKey, localRecord: try record(for: aKey, seq: 3))
        try a.learn(try record(for: bKey, seq: 1))
        return (a, State(staticKey: bKey))
    }

    static let toA = State.Peer(nodeID: V.nodeAID, endpoint: "a")
    static let toB = State.Peer(nodeID: V.nodeBID, endpoint: "b")

    static func sent(_ output: SessionOutput?) throws -> [UInt8] {
        guard case .send(let bytes) = output else { throw Discv5Error(.invalidArgument, "expected bytes to send, got \(String(describing: output))") }
        return bytes
    }

    @Test func handshakeThenMessagesBothWays() throws {
        var (a, b) = try Self.pair()
        var random = SeededRandom(seed: 77)
        let now = Self.start
        let ping = Message.ping(Ping(requestID: RequestID(1), enrSeq: 3))
        // A has no session: random data, which B cannot open, so B challenges.
        let first = try a.send(ping, to: Self.toB, now: now, random: &random)
        let whoareyou = try Self.sent(try b.receive(first, from: "a", now: now, random: &random))
        let challenge = try Packet(decoding: whoareyou, localNodeID: a.localID)
        #expect(challenge.flag == .whoareyou)
        #expect(challenge.nonce == (try Packet(decoding: first, localNodeID: b.localID)).nonce)
        #expect(b.hasChallenge(for: Self.toA))
        // Another packet while the challenge waits: the same WHOAREYOU again, byte for byte (as go-ethereum).
        let second = try a.send(ping, to: Self.toB, now: now, random: &random)
        #expect(try Self.sent(try b.receive(second, from: "a", now: now, random: &random)) == whoareyou)

        // A answers with a handshake carrying its record (B's challenge knew sequence 0 < 3) and the PING.
        let handshake = try Self.sent(try a.receive(whoareyou, from: "b", now: now, random: &random))
        let handshakePacket = try Packet(decoding: handshake, localNodeID: b.localID)
        guard case .handshake(let auth) = handshakePacket.authData else { throw Discv5Error.unknownFlag }
        #expect(auth.record == a.localRecord?.encoded)
        #expect(a.sessions[Self.toB] != nil)
        // B verifies, derives the same keys, and reads the PING.
        #expect(try b.receive(handshake, from: "a", now: now, random: &random) == .message(nodeID: a.localID, ping))
        #expect(!b.hasChallenge(for: Self.toA))
        #expect(b.sessions[Self.toA]?.readKey == a.sessions[Self.toB]?.writeKey)
        #expect(b.sessions[Self.toA]?.writeKey == a.sessions[Self.toB]?.readKey)

        // Now sealed messages flow both ways.
        let pong = Message.pong(Pong(requestID: RequestID(1), enrSeq: 0, recipientIP: [10, 0, 0, 1], recipientPort: 30303))
        let reply = try b.send(pong, to: Self.toA, now: now, random: &random)
        #expect(try a.receive(reply, from: "b", now: now, random: &random) == .message(nodeID: b.localID, pong))
        let talk = Message.talkRequest(TalkRequest(requestID: RequestID(2), protocolName: Array("x".utf8), request: [1, 2]))
        let next = try a.send(talk, to: Self.toB, now: now, random: &random)
        #expect(try b.receive(next, from: "a", now: now, random: &random) == .message(nodeID: a.localID, talk))

        // The handshake replayed finds no challenge.
        #expect(throws: Discv5Error.unexpectedHandshake) { try b.receive(handshake, from: "a", now: now, random: &random) }
        // A sealed packet from another endpoint is not the session's: it is challenged.
        let elsewhere = try b.receive(next, from: "c", now: now, random: &random)
        #expect(try Packet(decoding: try Self.sent(elsewhere), localNodeID: a.localID).flag == .whoareyou)
    }

    @Test func refusedHandshakes() throws {
        var (a, b) = try Self.pair()
        var random = SeededRandom(seed: 77)
        let now = Self.start
        let ping = Message.ping(Ping(requestID: RequestID(9), enrSeq: 3))
        let first = try a.send(ping, to: Self.toB, now: now, random: &random)
        let whoareyou = try Self.sent(try b.receive(first, from: "a", now: now, random: &random))

        // A WHOAREYOU from an endpoint the packet did not go to, or for a nonce never sent, is refused.
        #expect(throws: Discv5Error.unsolicitedChallenge) { try a.receive(whoareyou, from: "z", now: now, random: &random) }
        var other = try Packet(decoding: whoareyou, localNodeID: a.localID)
        other.nonce = Array(repeating: 0xee, count: 12)
        #expect(throws: Discv5Error.unsolicitedChallenge) {
            try a.receive(try other.encoded(destinationID: a.localID), from: "b", now: now, random: &random)
        }

        let handshake = try Self.sent(try a.receive(whoareyou, from: "b", now: now, random: &random))
        // Too late: the challenge has expired.
        var late = b
        #expect(throws: Discv5Error.unexpectedHandshake) {
            try late.receive(handshake, from: "a", now: now + .seconds(2), random: &random)
        }
        // A damaged message: GCM fails, and the challenge is gone.
        var damaged = handshake
        damaged[damaged.count - 1] ^= 1
        var refusing = b
        #expect(throws: Discv5Error.decryptionFailed) { try refusing.receive(damaged, from: "a", now: now, random: &random) }
        #expect(!refusing.hasChallenge(for: Self.toA))
        // Without the record, B cannot know A's key.
        var packet = try Packet(decoding: handshake, localNodeID: b.localID)
        guard case .handshake(var auth) = packet.authData else { throw Discv5Error.unknownFlag }
        auth.record = []
        packet.authData = .handshake(auth)
        var unknowing = b
        #expect(throws: Discv5Error.missingRecord) {
            try unknowing.receive(try packet.encoded(destinationID: b.localID), from: "a", now: now, random: &random)
        }
        // The untouched handshake still works.
        #expect(try b.receive(handshake, from: "a", now: now, random: &random) == .message(nodeID: a.localID, ping))
    }

    @Test func aNodeThatLostItsSessionHandshakesAgain() throws {
        var (a, b) = try Self.pair()
        var random = SeededRandom(seed: 78)
        let now = Self.start
        let ping = Message.ping(Ping(requestID: RequestID(1), enrSeq: 3))
        let first = try a.send(ping, to: Self.toB, now: now, random: &random)
        let whoareyou = try Self.sent(try b.receive(first, from: "a", now: now, random: &random))
        let handshake = try Self.sent(try a.receive(whoareyou, from: "b", now: now, random: &random))
        _ = try b.receive(handshake, from: "a", now: now, random: &random)
        let oldKeys = try #require(b.sessions[Self.toA])

        // A restarts: no session, so its next packet is random data; B cannot open it and challenges again, now
        // knowing A's record (sequence 3), so A's handshake carries no record.
        (a, _) = try Self.pair()
        let later = now + .seconds(10)
        let again = try a.send(ping, to: Self.toB, now: later, random: &random)
        let challenge = try Self.sent(try b.receive(again, from: "a", now: later, random: &random))
        let decoded = try Packet(decoding: challenge, localNodeID: V.nodeAID)
        guard case .whoareyou(_, let enrSeq) = decoded.authData else { throw Discv5Error.unknownFlag }
        #expect(enrSeq == 3)
        let second = try Self.sent(try a.receive(challenge, from: "b", now: later, random: &random))
        guard case .handshake(let auth) = try Packet(decoding: second, localNodeID: V.nodeBID).authData else { throw Discv5Error.unknownFlag }
        #expect(auth.record.isEmpty)
        #expect(try b.receive(second, from: "a", now: later, random: &random) == .message(nodeID: V.nodeAID, ping))
        #expect(b.sessions[Self.toA]?.readKey != oldKeys.readKey)
        #expect(b.sessions[Self.toA]?.readKey == a.sessions[Self.toB]?.writeKey)
    }

    @Test func pendingPacketsExpireAndTablesStayBounded() throws {
        var (a, b) = try Self.pair()
        var random = SeededRandom(seed: 79)
        let first = try a.send(.ping(Ping(requestID: RequestID(1), enrSeq: 3)), to: Self.toB, now: Self.start, random: &random)
        let whoareyou = try Self.sent(try b.receive(first, from: "a", now: Self.start, random: &random))
        // The WHOAREYOU comes after the packet's 5 s: nothing waits for it.
        #expect(throws: Discv5Error.unsolicitedChallenge) {
            try a.receive(whoareyou, from: "b", now: Self.start + .seconds(6), random: &random)
        }

        // More unknown senders than the table holds: each is challenged, the oldest challenges make room.
        let count = State.maximumEntries + 50
        for index in 0..<count {
            var source = [UInt8](repeating: 0, count: 32)
            source[0] = UInt8(index >> 8)
            source[1] = UInt8(index & 0xff)
            let packet = Packet(
                maskingIV: random.bytes(16), nonce: random.bytes(12), authData: .ordinary(sourceID: source), message: random.bytes(20))
            let now = Self.start + .milliseconds(index / 4)
            let output = try b.receive(try packet.encoded(destinationID: V.nodeBID), from: "x", now: now, random: &random)
            #expect(output != nil)
        }
        var waiting = 0
        for index in 0..<count {
            var source = [UInt8](repeating: 0, count: 32)
            source[0] = UInt8(index >> 8)
            source[1] = UInt8(index & 0xff)
            if b.hasChallenge(for: State.Peer(nodeID: source, endpoint: "x")) { waiting += 1 }
        }
        #expect(waiting == State.maximumEntries)
    }

    @Test func theVectorRecordIsNodeAs() throws {
        let packet = try Packet(decoding: V.PingHandshakeWithRecord.packet, localNodeID: V.nodeBID)
        guard case .handshake(let auth) = packet.authData else { throw Discv5Error.unknownFlag }
        let record = try ENR(rlp: auth.record)
        #expect(try record.nodeID().bytes == V.nodeAID)
        #expect(try record.publicKey() == (try Secp256k1.PrivateKey(rawRepresentation: V.nodeAKey)).publicKey)
        #expect(record.seq == 1)
        // A changed byte in the signed content breaks the signature.
        var changed = auth.record
        changed[changed.count - 1] ^= 1
        #expect(throws: DiscoveryError(.invalidSignature, "")) { try ENR(rlp: changed) }
    }

    @Test func randomInputNeverCrashesAState() throws {
        var (a, b) = try Self.pair()
        var random = SeededRandom(seed: 77)
        let first = try a.send(.ping(Ping(requestID: RequestID(1), enrSeq: 1)), to: Self.toB, now: Self.start, random: &random)
        for round in 0..<2_000 {
            var bytes = first
            if round % 2 == 0 {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            } else {
                bytes = random.bytes(Int(random.next() % 300))
            }
            _ = try? b.receive(bytes, from: "a", now: Self.start, random: &random)
            _ = try? a.receive(bytes, from: "b", now: Self.start, random: &random)
        }
        #expect(b.sessions.isEmpty)
    }
}
