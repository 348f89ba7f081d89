// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing
import RLPxTestSupport
import Testing

/// A peer scripted frame by frame, against a real recipient session.
struct RawPeer {
    var session: Session
    var sealer: FrameSealer
    var decoder: FrameDecoder
    var random = SeededRandom(seed: 8)
    let now = ContinuousClock.now
    var events: [SessionEvent] = []
    var received: [Message] = []
    var closed = false
    /// Both sides announced p2p version 5 in readable Hellos: the session compresses what follows its Hello.
    var compressing = false

    init(peerKey: Secp256k1.PrivateKey = Pair.key(0xc3)) throws {
        let config = SessionConfiguration(staticKey: Pair.key(0xb2), protocols: [Pair.eth])
        var random = SeededRandom(seed: 2)
        session = Session.recipient(config, now: now, random: &random)
        var handshake = HandshakeInitiator(staticKey: peerKey, remotePublicKey: config.staticKey.publicKey, random: &random)
        let output = session.receive(handshake.authPacket(random: &random), now: now, random: &random)
        // The session answers with its ack and, right after, its Hello frame: the handshake's remainder.
        let result = try #require(try handshake.receive(output.bytes))
        sealer = FrameSealer(secrets: result.secrets)
        decoder = FrameDecoder(secrets: result.secrets)
        decoder.append(result.remainder)
        events = output.events
    }

    /// Sends one message as frame data, compressed or not, and collects what the session answers.
    mutating func send(code: UInt64, payload: [UInt8], compressed: Bool = false) throws {
        if code == 0, payload.count <= BaseProtocol.maximumHelloSize, let hello = try? Hello(rlpEncoded: payload), hello.protocolVersion >= 5 {
            compressing = true
        }
        let output = session.receive(
            try sealer.seal(Message(code: code, payload: payload).frameData(compressed: compressed)), now: now, random: &random)
        try take(output)
    }

    mutating func take(_ output: SessionOutput) throws {
        events += output.events
        closed = closed || output.close
        decoder.append(output.bytes)
        while let frame = try decoder.nextFrame() {
            let plain = try Message(frameData: frame.data, compressed: false)
            received.append(plain.code == 0 || !compressing ? plain : try Message(frameData: frame.data, compressed: true))
        }
    }

    func hello(nodeID: [UInt8], caps: [Capability] = [Pair.eth.capability], version: UInt64 = 5) -> [UInt8] {
        Hello(protocolVersion: version, clientID: "raw", capabilities: caps, nodeID: nodeID).rlpEncoded()
    }

    var localReason: DisconnectReason? {
        for case .disconnected(let reason, .local, _) in events { return reason }
        return nil
    }

    var remoteReason: DisconnectReason? {
        for case .disconnected(let reason, .remote, _) in events { return reason }
        return nil
    }

    /// The reason in the Disconnect the session sent, if it sent one.
    var sentReason: DisconnectReason? {
        received.first { $0.code == BaseProtocol.disconnectCode }.map { DisconnectReason(payload: $0.payload) }
    }
}

@Suite struct RawPeerTests {
    /// go-ethereum TestProtocolHandshakeErrors: the first message where a Hello is expected.
    @Test func gethHandshakeErrorTable() throws {
        let file = try #require(try Vectors.shared("messages/base_messages.json") as? [String: Any])
        let cases = try #require((file["protocol_handshake_errors"] as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(cases.count == 6)
        for entry in cases {
            var peer = try RawPeer()
            let code = UInt64(try #require(entry["msg_code"] as? Int))
            try peer.send(code: code, payload: try Vectors.bytes(entry["payload_rlp"]))
            let expect = try #require(entry["expect"] as? [String: Any])
            #expect(peer.closed, "\(entry)")
            if expect["kind"] as? String == "disconnect" {
                let reason = DisconnectReason(rawValue: UInt8(try #require(expect["reason"] as? Int)))
                // A Disconnect from the peer (code 1) is the remote's reason; otherwise ours.
                #expect((code == 1 ? peer.remoteReason : peer.localReason) == reason, "\(entry)")
            } else {
                // geth returns an error for these; we disconnect with "breach of protocol" and say so.
                #expect(peer.localReason == .protocolError, "\(entry)")
                #expect(peer.sentReason == .protocolError, "\(entry)")
            }
        }
    }

    @Test func messageBeforeHelloIsABreach() throws {
        var peer = try RawPeer()
        try peer.send(code: 16, payload: [0xc0])
        #expect(peer.localReason == .protocolError && peer.sentReason == .protocolError)
    }

    @Test func helloWithAnotherNodesKey() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xd4).publicKey.nodeID))
        #expect(peer.localReason == .unexpectedIdentity && peer.sentReason == .unexpectedIdentity)
    }

    @Test func helloLargerThan2KiB() throws {
        var peer = try RawPeer()
        var hello = Hello(clientID: String(repeating: "x", count: 2100), capabilities: [Pair.eth.capability], nodeID: Pair.key(0xc3).publicKey.nodeID)
        try peer.send(code: 0, payload: hello.rlpEncoded())
        #expect(peer.localReason == .protocolError)
        hello.clientID = "fits"
        var fine = try RawPeer()
        try fine.send(code: 0, payload: hello.rlpEncoded())
        #expect(fine.session.isActive)
    }

    @Test func uncompressedMessageAfterVersion5IsANetworkError() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID))
        #expect(peer.session.isActive)
        // Both announced 5: a payload must be snappy. Raw ff ff ff is neither snappy nor RLP: unreadable, and
        // answered as go-ethereum answers any unreadable message.
        try peer.send(code: 16, payload: [0xff, 0xff, 0xff], compressed: false)
        #expect(peer.localReason == .networkError)
        #expect(peer.sentReason == .networkError)
    }

    @Test func uncompressedRLPAfterVersion5IsNamedAsABreach() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID))
        try peer.send(code: 16, payload: [0xc2, 0x01, 0x02], compressed: false)
        #expect(peer.sentReason == .networkError)
        let detail = peer.events.compactMap { event -> String? in
            if case .disconnected(_, .local, let detail) = event { return detail }
            return nil
        }.first
        #expect(detail?.hasPrefix("protocol breach: message 16 is not snappy-compressed") == true, "\(detail ?? "")")
    }

    @Test func uncompressedDisconnectAfterVersion5StillSaysWhy() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID))
        try peer.send(code: 1, payload: DisconnectReason.tooManyPeers.payload, compressed: false)
        #expect(peer.remoteReason == .tooManyPeers)
        #expect(peer.sentReason == nil)
    }

    @Test func refusalOfAReadableVersion5HelloIsCompressed() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID, caps: [Capability(name: "les", version: 4)]))
        #expect(peer.localReason == .uselessPeer)
        #expect(peer.sentReason == .uselessPeer, "decoded as snappy: the Disconnect was compressed")
    }

    @Test func badMACEndsWithoutSending() throws {
        var peer = try RawPeer()
        var frame = try peer.sealer.seal(Message(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID)).frameData(compressed: false))
        frame[frame.count - 1] ^= 1
        try peer.take(peer.session.receive(frame, now: peer.now, random: &peer.random))
        #expect(peer.localReason == .networkError && peer.sentReason == nil && peer.closed)
    }

    @Test func disconnectBeforeHelloIsReadUncompressed() throws {
        var peer = try RawPeer()
        try peer.send(code: 1, payload: DisconnectReason.tooManyPeers.payload)
        #expect(peer.remoteReason == .tooManyPeers)
    }

    @Test func version4PeerGetsUncompressedMessages() throws {
        var peer = try RawPeer()
        try peer.send(code: 0, payload: peer.hello(nodeID: Pair.key(0xc3).publicKey.nodeID, version: 4))
        try peer.take(try peer.session.send(protocol: "eth", code: 3, payload: [0xc2, 0x01, 0x02]))
        #expect(peer.received.last == Message(code: 19, payload: [0xc2, 0x01, 0x02]))
    }
}
