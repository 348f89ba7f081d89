// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCapture
import RLPxConformance
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing
import RLPxProtocols
import Snap

/// The fuzz targets' bodies, shared by the libFuzzer package in Tools/fuzz and the unit tests that replay every
/// minimised crasher in Vectors/fuzz-regressions/<target>/. Each takes arbitrary bytes and must neither crash, nor
/// hang, nor allocate without bound; each also checks an invariant, trapping when it breaks.
public enum FuzzEntries {
    /// Every target by name.
    public static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "rlp": rlp, "handshake": handshake, "frames": frames, "snappy": snappy, "message": message,
        "session": session, "link": link, "capture": capture, "transaction": transaction, "header": header, "eth": eth,
        "enr": enr, "discv4": discv4, "discv5": discv5,
    ]

    /// Generic and typed RLP decoding; anything accepted re-encodes to exactly its input.
    public static func rlp(_ data: [UInt8]) {
        let item = try? RLPItem(rlpEncoded: data)
        let valid = (try? RLP.validate(data)) != nil
        precondition(valid == (item != nil), "validate and decode disagree")
        if let item { precondition(item.rlpEncoded() == data, "accepted a non-canonical encoding") }
        _ = try? Hello(rlpEncoded: data)
        _ = try? [UInt64](rlpEncoded: data)
        _ = try? UInt256(rlpEncoded: data)
        _ = try? BigUInt(rlpEncoded: data)
        _ = try? String(rlpEncoded: data)
        _ = try? RLPDecoder().decode([[UInt8]].self, from: data)
        _ = RLPInspection(data)
        _ = try? RLP.peekHeader(data)
        _ = try? RLP.countValues(data)
    }

    static let recipientKey = Secp256k1.PrivateKey.fixed(0x51)
    static let initiatorKey = Secp256k1.PrivateKey.fixed(0x52)

    /// Auth and ack parsing: the input as a whole packet, as a drip-fed stream, and (first byte odd) as a body
    /// encrypted properly so the parsers behind ECIES are reached.
    public static func handshake(_ data: [UInt8]) {
        var body = data
        if let first = data.first, first & 1 == 1 {
            body = Array(data.dropFirst())
            let iv = [UInt8](repeating: 3, count: 16)
            let eip8 = first & 2 == 2
            var prefix: [UInt8] = []
            if eip8 {
                let size = body.count + ECIES.overhead
                prefix = [UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size)]
            }
            let sealed = (try? ECIES.seal(body, to: recipientKey.publicKey, ephemeralKey: .fixed(0x53), iv: iv, sharedMACData: prefix)) ?? []
            body = prefix + sealed
        }
        _ = try? AuthMessage.decrypt(body, with: recipientKey)
        _ = try? AckMessage.decrypt(body, with: recipientKey)
        guard var recipient = try? HandshakeRecipient(staticKey: recipientKey, ephemeralKey: .fixed(0x54), nonce: [UInt8](repeating: 7, count: 32))
        else { preconditionFailure("a 32-byte nonce is accepted") }
        var random = FixedRandom()
        var start = 0
        let step = max(1, Int(data.first ?? 1) % 64)
        while start < body.count {
            guard (try? recipient.receive(body[start..<min(start + step, body.count)], random: &random)) != nil else { break }
            start += step
        }
    }

    static let secrets = SessionSecrets(
        role: .initiator, ephemeralSecret: [UInt8](repeating: 9, count: 32), initiatorNonce: [UInt8](repeating: 1, count: 32),
        recipientNonce: [UInt8](repeating: 2, count: 32), authPacket: [1, 2, 3], ackPacket: [4, 5, 6])

    /// The frame decoder on arbitrary bytes (MACs fail), and on frames sealed from the input (MACs pass), in chunks.
    public static func frames(_ data: [UInt8]) {
        var decoder = FrameDecoder(secrets: secrets.peer, maximumFrameSize: 1 << 20)
        decoder.append(data)
        while (try? decoder.nextFrame()) ?? nil != nil {}
        var sealer = FrameSealer(secrets: secrets)
        var opener = FrameDecoder(secrets: secrets.peer)
        let cut = data.isEmpty ? 0 : Int(data[0]) % max(1, data.count)
        let frames = [Array(data[..<cut]), Array(data[cut...])]
        var wire: [UInt8] = []
        for frame in frames { wire += (try? sealer.seal(frame)) ?? [] }
        var received: [[UInt8]] = []
        var position = 0
        while position < wire.count {
            let next = min(wire.count, position + 1 + (data.first.map { Int($0) } ?? 0) * 7)
            opener.append(wire[position..<next])
            position = next
            while let frame = try? opener.nextFrame() { received.append(frame.data) }
        }
        precondition(received == frames, "sealed frames did not open to themselves")
    }

    /// Snappy through our wrapper: decompression never exceeds the limit; compression round trips.
    public static func snappy(_ data: [UInt8]) {
        if let out = try? Snappy.decompress(data, maximumLength: 1 << 20) { precondition(out.count <= 1 << 20) }
        precondition((try? Snappy.decompress(Snappy.compress(data))) == data, "snappy round trip failed")
    }

    /// Message decoding with compression on and off, and the base protocol payloads.
    public static func message(_ data: [UInt8]) {
        for compressed in [true, false] {
            guard let message = try? Message(frameData: data, compressed: compressed) else { continue }
            _ = try? Hello(rlpEncoded: message.payload)
            _ = DisconnectReason(payload: message.payload)
            _ = try? MessageInspection(frameData: data, protocols: [KnownProtocols.known("eth", 68)], compressed: compressed)
        }
    }

    /// Transactions in binary form (canonical or network): anything accepted keeps exactly its bytes, its canonical
    /// form decodes to the same hash, and sender recovery and rendering finish.
    public static func transaction(_ data: [UInt8]) {
        guard let tx = try? Transaction(binary: data) else { return }
        precondition(Array(tx.encoded) == data, "a transaction did not keep its bytes")
        let canonical = tx.canonicalEncoding
        precondition(canonical.count == tx.canonicalSize, "canonicalSize disagrees with the canonical encoding")
        guard let again = try? Transaction(binary: canonical) else { preconditionFailure("the canonical form does not decode") }
        precondition(again.hash == tx.hash, "the canonical form hashes differently")
        precondition([tx, again].hashes == [tx.hash, tx.hash], "batch hashing disagrees with the single hash")
        _ = try? tx.sender()
        for authorization in tx.authorizations { _ = try? authorization.authority() }
        _ = EthJSON.transaction(tx).rendered()
    }

    /// Block headers: anything accepted re-encodes to exactly its input; the fork its fields imply is named.
    public static func header(_ data: [UInt8]) {
        guard let header = try? BlockHeader(rlpEncoded: data) else { return }
        precondition(header.rlpEncoded() == data, "a header did not re-encode to its input")
        _ = header.hash
        _ = header.impliedFork
        _ = EthJSON.header(header).rendered()
    }

    /// eth/68–72 and snap/1–2 messages: the first byte picks the protocol version, the second the code, the rest
    /// is the payload. Anything accepted re-encodes to exactly its payload; summaries and JSON render.
    public static func eth(_ data: [UInt8]) {
        guard data.count >= 2 else { return }
        let specs = KnownProtocols.all
        let spec = specs[Int(data[0]) % specs.count]
        let code = UInt64(data[1]) % (spec.length + 2)  // a few codes past the space too
        let payload = data.dropFirst(2)
        let decoded: ProtocolMessage?
        do throws(RLPError) {
            decoded = try ProtocolMessage.decode(protocolName: spec.name, version: spec.version, code: code, payload: payload)
        } catch {
            _ = error.pathDescription
            return
        }
        guard let decoded else { preconditionFailure("eth and snap always decode or throw") }
        switch decoded {
        case .eth(let message, let version):
            precondition(message.encoded(version: version) == Array(payload), "an eth message did not re-encode to its payload")
        case .snap(let message, _):
            precondition(message.encoded() == Array(payload), "a snap message did not re-encode to its payload")
        }
        _ = decoded.summary
        _ = decoded.fields.rendered()
    }

    /// A session after a real handshake and Hello exchange, fed frames made from the input (so they pass the
    /// MAC), then the raw input; it must end in a state from which it sends nothing after a Disconnect.
    public static func session(_ data: [UInt8]) {
        var (session, peerSealer) = established  // a copy: values, so every input starts from the same state
        var random = FixedRandom()
        var chunks: [[UInt8]] = []
        var rest = data[...]
        while let length = rest.first {
            rest = rest.dropFirst()
            chunks.append(Array(rest.prefix(Int(length))))
            rest = rest.dropFirst(Int(length))
        }
        var closed = false
        for chunk in chunks {
            let frame = (try? peerSealer.seal(chunk)) ?? []
            let output = session.receive(frame, now: FuzzClock.start, random: &random)
            if closed { precondition(output.bytes.isEmpty, "sent bytes after the session closed") }
            closed = closed || output.close
        }
        _ = session.receive(data, now: FuzzClock.start, random: &random)
        _ = session.tick(now: FuzzClock.start + .seconds(100))
    }

    /// The capture replay and every rule on a stream of packets built from the input: each is a link type byte, a
    /// 2-byte length and the packet.
    public static func capture(_ data: [UInt8]) {
        var engine = RuleEngine()
        let replay = CaptureReplay(keyLog: [:]) { event in _ = engine.consume(event) }
        var rest = data[...]
        var time = 1.0
        while rest.count >= 3 {
            let linkTypes: [Int32] = [0, 1, 12, 101, 113, 276]
            let link = linkTypes[Int(rest[rest.startIndex]) % linkTypes.count]
            let length = Int(rest[rest.startIndex + 1]) << 8 | Int(rest[rest.startIndex + 2])
            rest = rest.dropFirst(3)
            let packet = Array(rest.prefix(length))
            rest = rest.dropFirst(length)
            time += 0.001
            if let segment = PacketDissector.tcpSegment(CapturedPacket(time: time, linkType: link, bytes: packet)) {
                replay.add(segment)
            }
        }
        _ = replay.finish()
    }

    // MARK: Helpers

    /// Built once: the handshake costs more than the rest of an input.
    static let established = establishedSession()

    /// A recipient session past Hello, and the initiator's sealer to write frames it will accept.
    static func establishedSession() -> (Session, FrameSealer) {
        var random = FixedRandom()
        let protocols = [KnownProtocols.known("eth", 68), KnownProtocols.known("snap", 1)]
        let recipientConfig = SessionConfiguration(staticKey: recipientKey, protocols: protocols)
        var recipient = Session.recipient(recipientConfig, now: FuzzClock.start, random: &random)
        var initiator: HandshakeInitiator
        do {
            initiator = try HandshakeInitiator(
                staticKey: initiatorKey, remotePublicKey: recipientKey.publicKey, ephemeralKey: .fixed(0x55), nonce: [UInt8](repeating: 8, count: 32))
        } catch {
            preconditionFailure("a 32-byte nonce is accepted")
        }
        let auth = initiator.authPacket(random: &random)
        let answer = recipient.receive(auth, now: FuzzClock.start, random: &random)
        guard let result = try? initiator.receive(answer.bytes) else { preconditionFailure("fuzz handshake failed") }
        var sealer = FrameSealer(secrets: result.secrets)
        let hello = Hello(clientID: "fuzz", capabilities: protocols.map(\.capability), nodeID: initiatorKey.publicKey.nodeID)
        let helloFrame = (try? sealer.seal(Message(code: 0, payload: hello.rlpEncoded()).frameData(compressed: false))) ?? []
        _ = recipient.receive(helloFrame, now: FuzzClock.start, random: &random)
        precondition(recipient.isActive, "fuzz session did not become active")
        return (recipient, sealer)
    }
}

/// A fixed clock origin for the fuzz session.
enum FuzzClock {
    static let start = ContinuousClock.now
}

/// Deterministic randomness for the harness (SplitMix64).
struct FixedRandom: RandomNumberGenerator {
    var state: UInt64 = 0x1234_5678
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Secp256k1.PrivateKey {
    /// A fixed test key of 32 bytes of `byte`.
    static func fixed(_ byte: UInt8) -> Secp256k1.PrivateKey {
        var random = FixedRandom(state: UInt64(byte))
        return .random(using: &random)
    }
}
