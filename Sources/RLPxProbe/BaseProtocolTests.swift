// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCrypto
import RLPxEvents
import RLPxHandshake
import RLPxFraming
import RLPxMultiplexing

/// The RLPx and p2p tests: handshake, Hello, frames and messages, Ping. Any node can answer them.
enum BaseProtocolTests {
    static let all: [ProbeTest] = handshake + hello + frames + ping

    // MARK: Handshake

    static let handshake: [ProbeTest] = [
        ProbeTest(
            "rlpx/handshake/eip8-auth", section: "rlpx.md Initial Handshake; EIP-8", level: .must,
            sends: "an EIP-8 auth", passes: "an ack, then the node's Hello"
        ) { context throws(ProbeError) in
            switch try context.established() {
            case .failure(let failure): return failure.check
            case .success(let connection):
                context.keep(connection)
                return .pass("ack and Hello after \(milliseconds(connection.age)) ms")
            }
        },
        ProbeTest(
            "rlpx/handshake/legacy-auth", section: "rlpx.md Initial Handshake (pre-EIP-8 form); EIP-8", level: .should,
            sends: "a legacy (307-byte) auth", passes: "an ack, then the node's Hello"
        ) { context throws(ProbeError) in
            switch try context.established({ $0.handshakeFormat = .legacy }) {
            case .failure(let failure): return failure.check
            case .success(let connection):
                context.keep(connection)
                return .pass("ack and Hello after \(milliseconds(connection.age)) ms")
            }
        },
        ProbeTest(
            "rlpx/handshake/eip8-extra-fields", section: "EIP-8 (forward compatibility: extra list elements are ignored)",
            level: .must, sends: "an EIP-8 auth with two elements after the version (a number and a list)",
            passes: "an ack that completes the handshake"
        ) { context throws(ProbeError) in
            var random = SystemRandom()
            let socket = try context.transport()
            var initiator = HandshakeInitiator(
                staticKey: .random(using: &random), remotePublicKey: context.target.publicKey, format: .eip8, random: &random)
            socket.write(initiator.authPacket(random: &random, extra: [.bytes([0x05]), .list([.bytes(Array("future".utf8))])]))
            while true {
                switch socket.read(timeout: context.timeout) {
                case .timeout: return .fail("no ack within \(context.timeout) s")
                case .closed(let reset): return .fail("the node \(reset ? "reset" : "closed") the connection instead of answering")
                case .bytes(let bytes):
                    do throws(HandshakeError) {
                        if try initiator.receive(bytes) != nil { return .pass("ack received; the extra elements were ignored") }
                    } catch {
                        return .fail("the ack does not decode: \(error)")
                    }
                }
            }
        },
        ProbeTest(
            "rlpx/handshake/tampered-mac", section: "rlpx.md ECIES Encryption (the MAC authenticates the auth)", level: .must,
            sends: "an EIP-8 auth whose ECIES MAC has one bit flipped", passes: "the node closes without answering"
        ) { context throws(ProbeError) in
            var connection = try context.connect(auth: { packet in
                var tampered = packet
                if let last = tampered.indices.last { tampered[last] ^= 0x01 }
                return tampered
            })
            let (answered, reaction) = connection.awaitRaw(timeout: context.timeout)
            context.keep(connection)
            if answered { return .fail("the node answered a forged auth: \(reaction)") }
            if case .closed = reaction { return .pass("\(reaction) after \(milliseconds(connection.age)) ms") }
            return .fail("\(reaction): the node kept the connection open")
        },
        ProbeTest(
            "rlpx/handshake/wrong-key", section: "rlpx.md Initial Handshake", level: .must,
            sends: "an EIP-8 auth encrypted to another node's key", passes: "the node closes without answering"
        ) { context throws(ProbeError) in
            var random = SystemRandom()
            var connection = try context.connect(remoteKey: Secp256k1.PrivateKey.random(using: &random).publicKey)
            let (answered, reaction) = connection.awaitRaw(timeout: context.timeout)
            context.keep(connection)
            if answered { return .fail("the node answered an auth it cannot decrypt: \(reaction)") }
            if case .closed = reaction { return .pass("\(reaction) after \(milliseconds(connection.age)) ms") }
            return .fail("\(reaction): the node kept the connection open")
        },
        ProbeTest(
            "rlpx/handshake/silence", section: "rlpx.md Initial Handshake (go-ethereum's handshake timeout: 5 s)",
            level: .should, sends: "nothing after connecting",
            passes: "the node closes the connection (within 20 s; how long is reported)"
        ) { context throws(ProbeError) in
            let socket = try context.transport()
            let start = context.clock.now
            let read = socket.read(timeout: 20)
            let seconds = context.clock.seconds(since: start)
            switch read {
            case .closed: return .pass("closed after \(milliseconds(seconds)) ms")
            case .timeout: return .fail("still open after 20 s")
            case .bytes(let bytes): return .fail("the node sent \(bytes.count) bytes to a silent peer")
            }
        },
    ]

    // MARK: Hello

    static let hello: [ProbeTest] = [
        ProbeTest(
            "p2p/hello/exchange", section: "rlpx.md Hello (0x00)", level: .must,
            sends: "a well-formed Hello", passes: "a Hello whose node ID is the key the node proved in the handshake, with sorted, unique capabilities"
        ) { context throws(ProbeError) in
            switch try context.established() {
            case .failure(let failure): return failure.check
            case .success(let connection):
                context.keep(connection)
                guard let hello = connection.session.remoteHello else { return .fail("no Hello") }
                if hello.nodeID != context.target.publicKey.nodeID { return .fail("the Hello's node ID is not the handshake key") }
                let capabilities = hello.capabilities.map(\.description)
                var notes = ["\(TextClip.clip(hello.clientID)) p2p v\(hello.protocolVersion) caps \(capabilities.joined(separator: ","))"]
                var result = Check.Result.passed
                if Set(capabilities).count != capabilities.count {
                    notes.append("capabilities repeat")
                    result = .informational
                }
                if capabilities != hello.capabilities.sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }).map(\.description) {
                    notes.append("capabilities are not sorted")
                    result = .informational
                }
                if hello.protocolVersion < BaseProtocol.snappyVersion {
                    notes.append("p2p version below 5: no compression")
                    result = .informational
                }
                return Check(result: result, observed: notes.joined(separator: "; "))
            }
        },
        ProbeTest(
            "p2p/hello/version-4", section: "rlpx.md Message Compression", level: .must,
            sends: "a Hello announcing p2p version 4, then Ping", passes: "a Pong, not compressed"
        ) { context throws(ProbeError) in
            switch try context.established({ $0.protocolVersion = 4 }) {
            case .failure(let failure): return failure.check
            case .success(var connection):
                connection.send(connection.session.ping(now: connection.clock.now))
                let reaction = connection.waitFor(timeout: context.timeout) { if case .pong = $0 { return true } else { return false } }
                context.keep(connection)
                if case .event = reaction { return .pass("Pong, uncompressed") }
                return .fail("\(reaction)")
            }
        },
        refusal(
            "p2p/hello/message-before-hello", section: "rlpx.md Hello (the first message)", reasons: [.protocolError, .subprotocolError, .uselessPeer],
            sends: "Ping before any Hello", change: { $0.sendsHello = false }
        ) { connection in
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0], compressed: false))
        },
        refusal(
            "p2p/hello/unexpected-identity", section: "rlpx.md Hello (node ID); DiscUnexpectedIdentity", reasons: [.unexpectedIdentity, .invalidIdentity, .protocolError],
            sends: "a Hello whose node ID is not the key of the handshake", change: { $0.sendsHello = false }
        ) { connection in
            var random = SystemRandom()
            var hello = connection.session.configuration.hello
            hello.nodeID = Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
        },
        refusal(
            "p2p/hello/useless-peer", section: "rlpx.md Hello (capabilities); DiscUselessPeer", reasons: [.uselessPeer],
            sends: "a Hello whose only capability the node cannot share", change: { $0.sendsHello = false }
        ) { connection in
            var hello = connection.session.configuration.hello
            hello.capabilities = [Capability(name: "zzz", version: 1)]
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
        },
        refusal(
            "p2p/hello/oversized", section: "rlpx.md Hello; go-ethereum's 2 KiB limit on base-protocol messages", reasons: [.protocolError, .subprotocolError],
            sends: "a Hello of about 3 KiB (a long client ID)", change: { $0.sendsHello = false }
        ) { connection in
            var hello = connection.session.configuration.hello
            hello.clientID = String(repeating: "x", count: 3000)
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.helloCode, payload: hello.rlpEncoded(), compressed: false))
        },
    ]

    // MARK: Frames and messages

    /// How a node may refuse bytes it cannot read: go-ethereum closes on read errors (its network-error reason, not
    /// sent), others send a protocol or subprotocol error.
    static let breach: Set<DisconnectReason> = [.networkError, .protocolError, .subprotocolError]

    static let frames: [ProbeTest] = [
        refusal(
            "rlpx/frame/tampered-header-mac", section: "rlpx.md Framing (header MAC)", reasons: DisconnectReason.known.reduce(into: Set()) { $0.insert($1) },
            sends: "a Ping whose header MAC has one bit flipped", established: true
        ) { connection in
            var output = connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0])
            if output.bytes.count > 16 { output.bytes[16] ^= 0x01 }  // the first byte of the header MAC
            connection.send(output)
        },
        refusal(
            "rlpx/frame/tampered-frame-mac", section: "rlpx.md Framing (MAC)", reasons: DisconnectReason.known.reduce(into: Set()) { $0.insert($1) },
            sends: "a Ping whose frame MAC has one bit flipped", established: true
        ) { connection in
            connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0], corruptMAC: true))
        },
        ProbeTest(
            "rlpx/frame/declared-size-past-limit", section: "rlpx.md Framing (frame-size); go-ethereum's 10 MiB eth message limit",
            level: .should, sends: "a frame header declaring 16 MiB − 1 bytes, and no body",
            passes: "the node refuses it at once, or closes when its frame read timeout passes (how long is reported)"
        ) { context throws(ProbeError) in
            switch try context.established() {
            case .failure(let failure): return failure.check
            case .success(var connection):
                connection.send(connection.session.sendFrameHeaderUnchecked(declaringSize: Frame.maximumSize))
                let reaction = connection.waitFor(timeout: max(context.timeout * 2, 10)) { _ in false }
                context.keep(connection)
                if reaction.isRefusal(Set(DisconnectReason.known)) { return .pass("\(reaction) after \(milliseconds(connection.age)) ms") }
                return .fail("\(reaction) (this test waits twice --timeout, at least 10 s): the node waits for the body (go-ethereum too, up to its 30 s frame read timeout)")
            }
        },
        refusal(
            "p2p/message/code-out-of-range", section: "rlpx.md Capability Messaging", reasons: breach,
            sends: "a message with code 0x3fff, past every matched protocol", established: true
        ) { connection in
            connection.send(connection.session.sendUnchecked(wireCode: 0x3fff, payload: [0xc0]))
        },
        refusal(
            "p2p/message/uncompressed", section: "rlpx.md Message Compression", reasons: breach,
            sends: "after both Hellos announced version 5, a message that is not snappy-compressed", established: true,
            requiresCompression: true
        ) { connection in
            connection.send(connection.session.sendUnchecked(wireCode: 0x10, payload: [0xc6, 0x82, 0x7a, 0x77, 0xc1, 0x04, 0x01], compressed: false))
        },
        refusal(
            "p2p/message/snappy-too-large", section: "rlpx.md Message Compression (16 MiB limit)", reasons: breach,
            sends: "a compressed payload declaring 16 MiB + 1 bytes", established: true, requiresCompression: true
        ) { connection in
            connection.send(connection.session.sendUnchecked(wireCode: 0x10, payload: [0x81, 0x80, 0x80, 0x08, 0x00], compressed: false))
        },
    ]

    // MARK: Ping

    static let ping: [ProbeTest] = [
        ProbeTest(
            "p2p/ping/pong", section: "rlpx.md Ping (0x02), Pong (0x03)", level: .must, sends: "Ping", passes: "Pong"
        ) { context throws(ProbeError) in
            switch try context.established() {
            case .failure(let failure): return failure.check
            case .success(var connection):
                let sent = connection.age
                connection.send(connection.session.ping(now: connection.clock.now))
                let reaction = connection.waitFor(timeout: context.timeout) { if case .pong = $0 { return true } else { return false } }
                context.keep(connection)
                if case .event = reaction { return .pass("Pong after \(milliseconds(connection.age - sent)) ms") }
                return .fail("\(reaction)")
            }
        },
        ProbeTest(
            "p2p/ping/burst", section: "rlpx.md Ping (0x02)", level: .should, sends: "1,000 Pings at once, then a Ping that expects its Pong",
            passes: "the Pong (or a clean Disconnect), and the node accepts a new connection afterwards"
        ) { context throws(ProbeError) in
            switch try context.established() {
            case .failure(let failure): return failure.check
            case .success(var connection):
                for _ in 0..<1000 { connection.send(connection.session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0])) }
                connection.send(connection.session.ping(now: connection.clock.now))
                var pongs = 0
                let reaction = connection.waitFor(timeout: context.timeout * 3) {
                    guard case .pong = $0 else { return false }
                    pongs += 1
                    return true
                }
                context.keep(connection)
                var observed = "\(reaction)"
                switch reaction {
                case .event, .disconnect: break
                default: return .fail(observed)
                }
                switch try context.established() {
                case .failure(let failure): return Check.fail(observed + "; afterwards: " + failure.check.observed)
                case .success(let next):
                    context.keep(next)
                    observed += "; a new connection was accepted"
                }
                return .pass(observed)
            }
        },
    ]

    /// A test that sends something the node must refuse: a Disconnect with one of `reasons`, or a close.
    static func refusal(
        _ id: String, section: String, reasons: Set<DisconnectReason>, sends: String, geth: String? = nil,
        established: Bool = false, requiresCompression: Bool = false,
        change: @escaping @Sendable (inout SessionConfiguration) -> Void = { _ in },
        _ act: @escaping @Sendable (inout ProbeConnection) -> Void
    ) -> ProbeTest {
        let listed = reasons.count > 5 ? "any Disconnect" : "Disconnect " + reasons.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) (\($0))" }.joined(separator: " or ")
        return ProbeTest(id, section: section, level: .must, sends: sends, passes: "\(listed), or the connection closed", geth: geth) { context throws(ProbeError) in
            var connection: ProbeConnection
            if established {
                switch try context.established(change) {
                case .failure(let failure): return failure.check
                case .success(let ready): connection = ready
                }
                if requiresCompression, (connection.session.remoteHello?.protocolVersion ?? 0) < BaseProtocol.snappyVersion {
                    context.keep(connection)
                    return Check(result: .unsupported, observed: "the node speaks p2p v\(connection.session.remoteHello?.protocolVersion ?? 0): no compression")
                }
            } else {
                connection = try context.connect(change)
                let completed = connection.waitFor(timeout: context.timeout) { if case .handshakeCompleted = $0 { return true } else { return false } }
                guard case .event = completed else {
                    context.keep(connection)
                    return .fail("no handshake: \(completed)")
                }
            }
            act(&connection)
            let reaction = connection.waitFor(timeout: context.timeout) { _ in false }
            context.keep(connection)
            return reaction.isRefusal(reasons) ? .pass("\(reaction)") : .fail("\(reaction)")
        }
    }

    static func milliseconds(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }
}
