// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCrypto
import RLPxEvents
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing

/// The RLPx and p2p tests: handshake, Hello, frames and messages, Ping. Any node can answer them.
enum BaseProtocolTests {
    static let all: [ProbeTest] = handshake + hello + frames + ping

    // MARK: Handshake

    static let handshake: [ProbeTest] = [
        ProbeTest(
            "rlpx/handshake/eip8-auth", section: "rlpx.md Initial Handshake; EIP-8", sends: "an EIP-8 auth", expects: [.session],
            from: .session()
        ) { _, connection in
            .saw(.session, "ack and Hello after \(milliseconds(connection.age)) ms")
        },
        ProbeTest(
            "rlpx/handshake/legacy-auth", section: "rlpx.md Initial Handshake (pre-EIP-8 form); EIP-8", level: .should,
            sends: "a legacy (307-byte) auth", expects: [.session], from: .session { $0.handshakeFormat = .legacy }
        ) { _, connection in
            .saw(.session, "ack and Hello after \(milliseconds(connection.age)) ms")
        },
        ProbeTest(
            "rlpx/handshake/eip8-extra-fields", section: "EIP-8 (forward compatibility: extra list elements are ignored)",
            sends: "an EIP-8 auth with two elements after the version (a number and a list)", expects: [.handshake], from: .transport
        ) { context, socket in
            var random = SystemRandom()
            var initiator = HandshakeInitiator(
                staticKey: .random(using: &random), remotePublicKey: context.target.publicKey, format: .eip8, random: &random)
            socket.write(initiator.authPacket(random: &random, extra: [.bytes([0x05]), .list([.bytes(Array("future".utf8))])]))
            while true {
                switch socket.read(timeout: context.timeout) {
                case .timeout: return .saw(.silence, "no ack within \(context.timeout) s")
                case .closed(let reset):
                    return .saw(.closed(reset: reset), "the node \(reset ? "reset" : "closed") the connection instead of answering")
                case .bytes(let bytes):
                    do throws(HandshakeError) {
                        if try initiator.receive(bytes) != nil { return .saw(.handshake, "ack received; the extra elements were ignored") }
                    } catch {
                        return .problem("the ack does not decode: \(error)")
                    }
                }
            }
        },
        ProbeTest(
            "rlpx/handshake/tampered-mac", section: "rlpx.md ECIES Encryption (the MAC authenticates the auth)",
            sends: "an EIP-8 auth whose ECIES MAC has one bit flipped", expects: [.closed], content: "without an answer", from: .context
        ) { context, _ throws(ProbeError) in
            let connection = try context.connect(auth: { packet in
                var tampered = packet
                if let last = tampered.indices.last { tampered[last] ^= 0x01 }
                return tampered
            })
            return unanswered(connection, &context, what: "a forged auth")
        },
        ProbeTest(
            "rlpx/handshake/wrong-key", section: "rlpx.md Initial Handshake", sends: "an EIP-8 auth encrypted to another node's key",
            expects: [.closed], content: "without an answer", from: .context
        ) { context, _ throws(ProbeError) in
            var random = SystemRandom()
            let connection = try context.connect(remoteKey: Secp256k1.PrivateKey.random(using: &random).publicKey)
            return unanswered(connection, &context, what: "an auth it cannot decrypt")
        },
        ProbeTest(
            "rlpx/handshake/silence", section: "rlpx.md Initial Handshake (go-ethereum's handshake timeout: 5 s)",
            level: .should, sends: "nothing after connecting", expects: [.closed], content: "within 20 s (how long is reported)", from: .transport
        ) { context, socket in
            let start = context.clock.now
            let read = socket.read(timeout: 20)
            let seconds = context.clock.seconds(since: start)
            switch read {
            case .closed(let reset): return .saw(.closed(reset: reset), "closed after \(milliseconds(seconds)) ms")
            case .timeout: return .saw(.silence, "still open after 20 s")
            case .bytes(let bytes): return .saw(.other("bytes to a silent peer"), "the node sent \(bytes.count) bytes to a silent peer")
            }
        },
    ]

    /// What a node did with an auth it must not answer: a close is reported with its time.
    static func unanswered(_ original: ProbeConnection, _ context: inout ProbeContext, what: String) -> Observation {
        var connection = original
        let (answered, reaction) = connection.awaitRaw(timeout: context.timeout)
        context.keep(connection)
        // Raw reads: bytes are an answer, not something a session refused.
        let observed: ObservedReaction
        if case .refused(let detail) = reaction { observed = .other(detail) } else { observed = reaction.observed }
        if answered { return .saw(observed, "the node answered \(what): \(reaction)") }
        if case .closed = reaction { return .saw(observed, "\(reaction) after \(milliseconds(connection.age)) ms") }
        return .saw(observed, "\(reaction): the node kept the connection open")
    }

    // MARK: Hello

    static let hello: [ProbeTest] = [
        ProbeTest(
            "p2p/hello/exchange", section: "rlpx.md Hello (0x00)", sends: "a well-formed Hello", expects: [.session],
            content: "a Hello whose node ID is the key the node proved in the handshake, with sorted, unique capabilities", from: .session()
        ) { context, connection in
            guard let hello = connection.session.remoteHello else { return .problem("no Hello") }
            if hello.nodeID != context.target.publicKey.nodeID { return .problem("the Hello's node ID is not the handshake key") }
            let capabilities = hello.capabilities.map(\.description)
            var notes = ["\(TextClip.clip(hello.clientID)) p2p v\(hello.protocolVersion) caps \(capabilities.joined(separator: ","))"]
            if Set(capabilities).count != capabilities.count { notes.append("capabilities repeat") }
            if capabilities != hello.capabilities.sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }).map(\.description) {
                notes.append("capabilities are not sorted")
            }
            if hello.protocolVersion < BaseProtocol.snappyVersion { notes.append("p2p version below 5: no compression") }
            return .saw(.session, notes.joined(separator: "; "), informational: notes.count > 1)
        },
        ProbeTest(
            "p2p/hello/version-4", section: "rlpx.md Message Compression", sends: "a Hello announcing p2p version 4, then Ping",
            expects: [.message("Pong")], content: "not compressed", from: .session { $0.protocolVersion = 4 }
        ) { context, connection in
            let reaction = connection.ping(timeout: context.timeout)
            if case .event = reaction { return .saw(reaction.observed, "Pong, uncompressed") }
            return .saw(reaction)
        },
        ProbeTest(
            "p2p/hello/message-before-hello", section: "rlpx.md Hello (the first message)", sends: "Ping before any Hello",
            expects: .refusal([.protocolError, .subprotocolError, .uselessPeer]), from: .handshake { $0.sendsHello = false }
        ) { context, connection in
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0], compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "p2p/hello/unexpected-identity", section: "rlpx.md Hello (node ID); DiscUnexpectedIdentity",
            sends: "a Hello whose node ID is not the key of the handshake",
            expects: .refusal([.unexpectedIdentity, .invalidIdentity, .protocolError]),
            from: .handshake { $0.sendsHello = false }
        ) { context, connection in
            var random = SystemRandom()
            var hello = connection.session.configuration.hello
            hello.nodeID = Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "p2p/hello/useless-peer", section: "rlpx.md Hello (capabilities); DiscUselessPeer",
            sends: "a Hello whose only capability the node cannot share", expects: .refusal([.uselessPeer]),
            from: .handshake { $0.sendsHello = false }
        ) { context, connection in
            var hello = connection.session.configuration.hello
            hello.capabilities = [Capability(name: "zzz", version: 1)]
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "p2p/hello/oversized", section: "rlpx.md Hello; go-ethereum's 2 KiB limit on base-protocol messages",
            sends: "a Hello of about 3 KiB (a long client ID)", expects: .refusal([.protocolError, .subprotocolError]),
            from: .handshake { $0.sendsHello = false }
        ) { context, connection in
            var hello = connection.session.configuration.hello
            hello.clientID = String(repeating: "x", count: 3000)
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
    ]

    // MARK: Frames and messages

    /// How a node may refuse bytes it cannot read: go-ethereum closes on read errors (its network-error reason, not
    /// sent), others send a protocol or subprotocol error.
    static let breach: Set<DisconnectReason> = [.networkError, .protocolError, .subprotocolError]

    static let frames: [ProbeTest] = [
        ProbeTest(
            "rlpx/frame/tampered-header-mac", section: "rlpx.md Framing (header MAC)", sends: "a Ping whose header MAC has one bit flipped",
            expects: .refusal(Set(DisconnectReason.known)), from: .session()
        ) { context, connection in
            var output = connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0])
            if output.bytes.count > 16 { output.bytes[16] ^= 0x01 }  // the first byte of the header MAC
            connection.send(output)
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "rlpx/frame/tampered-frame-mac", section: "rlpx.md Framing (MAC)", sends: "a Ping whose frame MAC has one bit flipped",
            expects: .refusal(Set(DisconnectReason.known)), from: .session()
        ) { context, connection in
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0], corruptMAC: true))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "rlpx/frame/declared-size-past-limit", section: "rlpx.md Framing (frame-size); go-ethereum's 10 MiB eth message limit",
            level: .should, sends: "a frame header declaring 16 MiB − 1 bytes, and no body", expects: .refusal(Set(DisconnectReason.known)),
            content: "at once, or when the node's frame read timeout passes (how long is reported)", from: .session()
        ) { context, connection in
            connection.send(connection.session.sendFrameHeaderUnchecked(declaringSize: Frame.maximumSize))
            let reaction = connection.awaitEnding(timeout: max(context.timeout * 2, 10))
            if case .silence = reaction {
                return .saw(
                    reaction.observed,
                    "\(reaction) (this test waits twice --timeout, at least 10 s): the node waits for the body (go-ethereum too, up to its 30 s frame read timeout)"
                )
            }
            return .saw(reaction.observed, "\(reaction) after \(milliseconds(connection.age)) ms")
        },
        ProbeTest(
            "p2p/message/code-out-of-range", section: "rlpx.md Capability Messaging",
            sends: "a message with code 0x3fff, past every matched protocol",
            expects: .refusal(breach), from: .session()
        ) { context, connection in
            connection.send(connection.session.sendUnchecked(wireCode: 0x3fff, payload: [0xc0]))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "p2p/message/uncompressed", section: "rlpx.md Message Compression",
            sends: "after both Hellos announced version 5, a message that is not snappy-compressed", expects: .refusal(breach), from: .session()
        ) { context, connection in
            if let unsupported = withoutCompression(connection) { return unsupported }
            connection.send(connection.session.sendUnchecked(wireCode: 0x10, payload: [0xc6, 0x82, 0x7a, 0x77, 0xc1, 0x04, 0x01], compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "p2p/message/snappy-too-large", section: "rlpx.md Message Compression (16 MiB limit)",
            sends: "a compressed payload declaring 16 MiB + 1 bytes", expects: .refusal(breach), from: .session()
        ) { context, connection in
            if let unsupported = withoutCompression(connection) { return unsupported }
            connection.send(connection.session.sendUnchecked(wireCode: 0x10, payload: [0x81, 0x80, 0x80, 0x08, 0x00], compressed: false))
            return .saw(connection.awaitEnding(timeout: context.timeout))
        },
    ]

    /// UNSUPPORTED for a node that speaks p2p below version 5 (no compression); nil otherwise.
    static func withoutCompression(_ connection: ProbeConnection) -> Observation? {
        let version = connection.session.remoteHello?.protocolVersion ?? 0
        return version < BaseProtocol.snappyVersion ? .unsupported("the node speaks p2p v\(version): no compression") : nil
    }

    // MARK: Ping

    static let ping: [ProbeTest] = [
        ProbeTest(
            "p2p/ping/pong", section: "rlpx.md Ping (0x02), Pong (0x03)", sends: "Ping", expects: [.message("Pong")], from: .session()
        ) { context, connection in
            let sent = connection.age
            let reaction = connection.ping(timeout: context.timeout)
            if case .event = reaction { return .saw(reaction.observed, "Pong after \(milliseconds(connection.age - sent)) ms") }
            return .saw(reaction)
        },
        ProbeTest(
            "p2p/ping/burst", section: "rlpx.md Ping (0x02)", level: .should, sends: "1,000 Pings at once, then a Ping that expects its Pong",
            expects: [.message("Pong"), .disconnect(nil)], content: "and the node accepts a new connection afterwards", from: .session()
        ) { context, connection throws(ProbeError) in
            for _ in 0..<1000 { connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0])) }
            let reaction = connection.ping(timeout: context.timeout * 3)
            switch reaction {
            case .event, .disconnect: break
            default: return .saw(reaction)
            }
            switch try context.established() {
            case .failure(let stopped): return .problem("\(reaction); afterwards: \(stopped.observation.note)")
            case .success(let next):
                context.keep(next)
                return .saw(reaction.observed, "\(reaction); a new connection was accepted")
            }
        },
    ]

    static func milliseconds(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }
}
