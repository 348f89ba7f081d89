// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing

/// One devp2p connection, sans I/O: handshake, frames, Hello, compression, multiplexing, Ping/Pong, Disconnect.
///
/// Inputs are received bytes, messages to send on a named protocol, ticks of the caller's clock and requests to
/// disconnect; each returns a ``SessionOutput``. The session never reads a clock, a socket or a random source of
/// its own.
///
/// Failures end the session with the reason go-ethereum would give: a breach of the base protocol (message before
/// Hello, code out of range, bad or oversized Hello) is ``DisconnectReason/protocolError`` and is sent; a peer
/// with no shared capability is ``DisconnectReason/uselessPeer``; a Hello node ID of the wrong form is
/// ``DisconnectReason/invalidIdentity``, one other than the handshake's key ``DisconnectReason/unexpectedIdentity``,
/// our own ``DisconnectReason/connectedToSelf``; silence past the read timeout is
/// ``DisconnectReason/readTimeout``. A broken stream (bad MAC, undecodable frame) is
/// ``DisconnectReason/networkError`` and nothing is sent. A message that does not decode (bad snappy, or not
/// compressed although both Hellos announced version 5, which the event names as a protocol breach) is answered
/// with ``DisconnectReason/networkError``, as go-ethereum answers any unreadable message; an uncompressed
/// Disconnect is still read for its reason. Once a readable Hello makes both sides version 5, everything that
/// follows is compressed, a Disconnect refusing that Hello included. After a Disconnect nothing more is sent.
public struct Session: Sendable {
    private struct Link: Sendable {
        var sealer: FrameSealer
        var decoder: FrameDecoder
        var remotePublicKey: Secp256k1.PublicKey
        var compress = false

        /// Runs `body` on this link in place (through `link?.update`, so its ciphers stay uniquely referenced and
        /// are never copied).
        mutating func update<Result>(_ body: (inout Link) -> Result) -> Result { body(&self) }
    }

    private enum Phase: Sendable {
        case initiating(HandshakeInitiator)
        case accepting(HandshakeRecipient)
        case awaitingHello
        case active(MessageIDSpace)
        case closed(DisconnectReason)
    }

    public let configuration: SessionConfiguration
    private var phase: Phase
    /// The framing of an established connection: set when the encryption handshake completes, dropped on close.
    /// Kept out of `phase` so that changing it never copies a cipher context.
    private var link: Link?
    private let startedAt: ContinuousClock.Instant
    private var establishedAt: ContinuousClock.Instant
    private var lastReceived: ContinuousClock.Instant
    private var lastPingSent: ContinuousClock.Instant
    private var pingOutstanding: ContinuousClock.Instant?
    /// The remote Hello, once received.
    public private(set) var remoteHello: Hello?
    /// The session's secrets, once the encryption handshake completed (for a key log; never log them otherwise).
    public private(set) var secrets: SessionSecrets?
    private var rejection: DisconnectReason?

    /// A session that dials `remotePublicKey`; the output carries the auth packet to write.
    public static func initiator(
        _ configuration: SessionConfiguration, remotePublicKey: Secp256k1.PublicKey, now: ContinuousClock.Instant,
        random: inout some RandomNumberGenerator
    ) -> (Session, SessionOutput) {
        var handshake = HandshakeInitiator(
            staticKey: configuration.staticKey, remotePublicKey: remotePublicKey, format: configuration.handshakeFormat,
            random: &random)
        var output = SessionOutput()
        output.bytes = handshake.authPacket(random: &random)
        return (Session(configuration: configuration, phase: .initiating(handshake), now: now), output)
    }

    /// A session that accepted a connection and waits for the auth.
    public static func recipient(
        _ configuration: SessionConfiguration, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) -> Session {
        Session(
            configuration: configuration,
            phase: .accepting(HandshakeRecipient(staticKey: configuration.staticKey, random: &random)), now: now)
    }

    private init(configuration: SessionConfiguration, phase: Phase, now: ContinuousClock.Instant) {
        self.configuration = configuration
        self.phase = phase
        startedAt = now
        establishedAt = now
        lastReceived = now
        lastPingSent = now
    }

    /// True once the session ended.
    public var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// True between the remote Hello and the end of the session.
    public var isActive: Bool {
        if case .active = phase { return true }
        return false
    }

    /// The shared protocols and their code ranges, once the remote Hello arrived.
    public var matchedProtocols: [MatchedProtocol] {
        if case .active(let space) = phase { return space.protocols }
        return []
    }

    // MARK: Inputs

    /// Feeds bytes received from the peer.
    public mutating func receive(
        _ bytes: some Collection<UInt8>, now: ContinuousClock.Instant, random: inout some RandomNumberGenerator
    ) -> SessionOutput {
        var output = SessionOutput()
        guard !isClosed else { return output }
        lastReceived = now
        switch phase {
        case .initiating(var handshake):
            do throws(HandshakeError) {
                guard let result = try handshake.receive(bytes) else {
                    phase = .initiating(handshake)
                    return output
                }
                establish(result, now: now, into: &output)
                feedFrames(result.remainder, now: now, into: &output)
            } catch {
                close(.networkError, detail: "handshake: \(error)", send: false, into: &output)
            }
        case .accepting(var handshake):
            do throws(HandshakeError) {
                guard let (ack, result) = try handshake.receive(bytes, random: &random) else {
                    phase = .accepting(handshake)
                    return output
                }
                output.bytes += ack
                establish(result, now: now, into: &output)
                feedFrames(result.remainder, now: now, into: &output)
            } catch {
                close(.networkError, detail: "handshake: \(error)", send: false, into: &output)
            }
        case .awaitingHello, .active:
            feedFrames(bytes, now: now, into: &output)
        case .closed:
            break
        }
        return output
    }

    /// Sends `payload` as local `code` of the matched protocol `name`.
    /// - Throws: ``SessionError``; nothing is written then.
    public mutating func send(protocol name: String, code: UInt64, payload: [UInt8]) throws(SessionError) -> SessionOutput {
        var output = SessionOutput()
        try send(protocol: name, code: code, payload: payload, appendingTo: &output.bytes)
        return output
    }

    /// ``send(protocol:code:payload:)`` with the sealed frame appended to `wire`, so a runner that reuses one
    /// buffer for many messages sends without allocating.
    /// - Throws: ``SessionError``; `wire` is unchanged then.
    public mutating func send(protocol name: String, code: UInt64, payload: [UInt8], appendingTo wire: inout [UInt8]) throws(SessionError) {
        guard case .active(let space) = phase else { throw .notActive }
        if let refusal = SessionError.refusal(protocol: name, code: code, matched: space.protocols) { throw refusal }
        guard let wireCode = try? space.outbound(protocol: name, localCode: code) else { throw .codeOutOfRange }
        guard payload.count <= Snappy.maximumDecompressedLength else { throw .messageTooLarge }
        let sealed = withLink { link in
            (try? link.sealer.seal(Message(code: wireCode, payload: payload), compressed: link.compress, appendingTo: &wire)) != nil
        }
        guard sealed == true else { throw .messageTooLarge }
    }

    /// Lets time pass: sends a Ping when the interval is up, and ends the session on a timeout.
    public mutating func tick(now: ContinuousClock.Instant) -> SessionOutput {
        var output = SessionOutput()
        switch phase {
        case .closed:
            break
        case .initiating, .accepting:
            if now - startedAt >= configuration.handshakeTimeout {
                close(.readTimeout, detail: "handshake not complete after \(configuration.handshakeTimeout)", send: false, into: &output)
            }
        case .awaitingHello:
            if now - establishedAt >= configuration.helloTimeout {
                close(.readTimeout, detail: "no Hello after \(configuration.helloTimeout)", send: true, into: &output)
            }
        case .active:
            if now - lastReceived >= configuration.readTimeout {
                close(.readTimeout, detail: "nothing received for \(configuration.readTimeout)", send: true, into: &output)
            } else if now - lastPingSent >= configuration.pingInterval {
                write(Message(code: BaseProtocol.pingCode, payload: BaseProtocol.emptyListPayload), into: &output)
                lastPingSent = now
                pingOutstanding = pingOutstanding ?? now
            }
        }
        return output
    }

    /// Ends the session with `reason` as soon as the encryption handshake completes, before any Hello: what a
    /// full listener does with "too many peers" (go-ethereum's post-handshake checkpoint).
    public mutating func rejectAfterHandshake(_ reason: DisconnectReason) {
        rejection = reason
    }

    /// Sends a Ping now, outside the interval; the answer arrives as ``SessionEvent/pong(roundTrip:)``.
    public mutating func ping(now: ContinuousClock.Instant) -> SessionOutput {
        var output = SessionOutput()
        guard isActive else { return output }
        write(Message(code: BaseProtocol.pingCode, payload: BaseProtocol.emptyListPayload), into: &output)
        lastPingSent = now
        pingOutstanding = now
        return output
    }

    /// Ends the session with `reason`, telling the peer when the handshake has finished.
    public mutating func disconnect(_ reason: DisconnectReason, detail: String = "requested locally") -> SessionOutput {
        var output = SessionOutput()
        guard !isClosed else { return output }
        close(reason, detail: detail, send: true, into: &output)
        return output
    }

    /// Sends a message with any wire code and payload, bypassing every check: a fault-injection hook for
    /// conformance tests and captures that must break the protocol on purpose. `compressed` overrides whether
    /// the payload is compressed. Never use it to talk to a peer.
    /// With `corruptMAC` the last byte of the frame MAC is flipped (the peer's stream then fails).
    public mutating func sendUnchecked(
        wireCode: UInt64, payload: [UInt8], compressed: Bool? = nil, corruptMAC: Bool = false
    ) -> SessionOutput {
        var output = SessionOutput()
        output.bytes =
            withLink { link in
                (try? link.sealer.seal(Message(code: wireCode, payload: payload), compressed: compressed ?? link.compress)) ?? []
            } ?? []
        if corruptMAC, let last = output.bytes.indices.last { output.bytes[last] ^= 0x01 }
        return output
    }

    /// Sends only a frame header declaring `size` bytes, whose body never follows: a fault-injection hook for
    /// conformance probes. The session cannot send anything after it. Never use it to talk to a peer.
    public mutating func sendFrameHeaderUnchecked(declaringSize size: Int) -> SessionOutput {
        var output = SessionOutput()
        output.bytes = withLink { link in link.sealer.sealHeaderOnly(declaringSize: size) } ?? []
        return output
    }

    // MARK: Steps

    private mutating func establish(_ result: HandshakeResult, now: ContinuousClock.Instant, into output: inout SessionOutput) {
        link = Link(
            sealer: FrameSealer(secrets: result.secrets),
            decoder: FrameDecoder(secrets: result.secrets, maximumFrameSize: configuration.maximumFrameSize),
            remotePublicKey: result.remotePublicKey)
        phase = .awaitingHello
        establishedAt = now
        secrets = result.secrets
        output.events.append(.handshakeCompleted(remotePublicKey: result.remotePublicKey, format: result.remoteFormat))
        if let rejection = rejection ?? configuration.admission?(result.remotePublicKey) {
            close(rejection, detail: "rejected after the handshake", send: true, into: &output)
            return
        }
        // Hello is never compressed.
        guard configuration.sendsHello else { return }
        write(Message(code: BaseProtocol.helloCode, payload: configuration.hello.rlpEncoded()), compressed: false, into: &output)
    }

    private mutating func feedFrames(_ bytes: some Collection<UInt8>, now: ContinuousClock.Instant, into output: inout SessionOutput) {
        _ = withLink { $0.decoder.append(bytes) }
        while !isClosed {
            let next =
                withLink { link -> Next in
                    let compressed = link.compress
                    do throws(FramingError) {
                        // The frame is decrypted in the decoder's buffer and decoded from there: the payload is
                        // the only allocation per message.
                        return try link.decoder.nextFrame { header, data -> Next in
                            do throws(FramingError) {
                                return .message(try Message(frameData: data, compressed: compressed))
                            } catch {
                                return .undecodable(ReceivedFrame(header: header, data: Array(data)), error)
                            }
                        } ?? .needMore
                    } catch {
                        return .failed(error)
                    }
                } ?? .needMore
            switch next {
            case .needMore:
                return
            case .failed(let error):
                close(.networkError, detail: "frame: \(error)", send: false, into: &output)
                return
            case .undecodable(let frame, let error):
                uncompressable(frame, error: error, into: &output)
                return
            case .message(let message):
                handle(message, now: now, into: &output)
            }
        }
    }

    private enum Next {
        case message(Message)
        case undecodable(ReceivedFrame, FramingError)
        case needMore
        case failed(FramingError)
    }

    private mutating func handle(_ message: Message, now: ContinuousClock.Instant, into output: inout SessionOutput) {
        switch phase {
        case .awaitingHello:
            switch message.code {
            case BaseProtocol.helloCode:
                guard let (hello, space) = acceptHello(message.payload, into: &output) else { return }
                phase = .active(space)
                lastPingSent = now
                output.events.append(.helloReceived(hello, matched: space.protocols))
            case BaseProtocol.disconnectCode:
                remoteDisconnect(message.payload, into: &output)
            default:
                close(.protocolError, detail: "expected Hello, got message code \(message.code)", send: true, into: &output)
            }
        case .active(let space):
            switch message.code {
            case BaseProtocol.disconnectCode:
                remoteDisconnect(message.payload, into: &output)
            case BaseProtocol.pingCode:
                guard configuration.answersPings else { break }
                write(Message(code: BaseProtocol.pongCode, payload: BaseProtocol.emptyListPayload), into: &output)
                output.events.append(.pingAnswered)
            case BaseProtocol.pongCode:
                if let sent = pingOutstanding {
                    output.events.append(.pong(roundTrip: now - sent))
                    pingOutstanding = nil
                }
            default:
                do throws(MultiplexingError) {
                    switch try space.inbound(message.code) {
                    case .base:
                        break  // Other base protocol codes, a repeated Hello included, are ignored (go-ethereum).
                    case .subprotocol(let matched, let localCode):
                        output.events.append(.message(protocol: matched, code: localCode, payload: message.payload))
                    }
                } catch {
                    close(.protocolError, detail: error.reason, send: true, into: &output)
                }
            }
        default:
            break
        }
    }

    /// Checks a Hello; on failure disconnects with the reason and returns nil.
    private mutating func acceptHello(
        _ payload: [UInt8], into output: inout SessionOutput
    ) -> (Hello, MessageIDSpace)? {
        guard payload.count <= BaseProtocol.maximumHelloSize else {
            close(.protocolError, detail: "Hello of \(payload.count) bytes exceeds \(BaseProtocol.maximumHelloSize)", send: true, into: &output)
            return nil
        }
        let hello: Hello
        do throws(RLPError) {
            hello = try Hello(rlpEncoded: payload)
        } catch {
            close(.protocolError, detail: "invalid Hello: \(error)", send: true, into: &output)
            return nil
        }
        // From a readable Hello on, both sides at version 5 compress everything, a Disconnect refusing this Hello
        // included (go-ethereum switches snappy on before it checks identity and capabilities).
        remoteHello = hello  // kept when refused too, so a caller can show what the peer announced
        let local = configuration.hello
        let negotiation = HelloNegotiation(
            local: (local, local.rlpEncoded().count), remote: (hello, payload.count),
            lengths: HelloNegotiation.lengths(configuration.protocols))
        withLink { $0.compress = negotiation.compression }
        guard hello.nodeID.count == 64, hello.nodeID.contains(where: { $0 != 0 }) else {
            close(.invalidIdentity, detail: "Hello node ID is not a 64-byte public key", send: true, into: &output)
            return nil
        }
        guard hello.nodeID != configuration.staticKey.publicKey.nodeID else {
            close(.connectedToSelf, detail: "the remote node ID is our own", send: true, into: &output)
            return nil
        }
        guard hello.nodeID == link?.remotePublicKey.nodeID else {
            close(.unexpectedIdentity, detail: "Hello node ID differs from the handshake key", send: true, into: &output)
            return nil
        }
        guard !negotiation.matched.isEmpty || configuration.protocols.isEmpty else {
            close(.uselessPeer, detail: "no shared capability in \(hello.capabilities)", send: true, into: &output)
            return nil
        }
        return (hello, negotiation.space)
    }

    private mutating func remoteDisconnect(
        _ payload: [UInt8], detail: String = "the peer disconnected", into output: inout SessionOutput
    ) {
        let reason = DisconnectReason(payload: payload)
        phase = .closed(reason)
        link = nil
        output.close = true
        output.events.append(.disconnected(reason, origin: .remote, detail: detail))
    }

    /// A frame whose message does not decode. After both sides announced p2p version 5 every message must be
    /// snappy-compressed; one that is not is a breach, named as such, and answered with the reason go-ethereum
    /// sends for any unreadable message (network error). An uncompressed Disconnect still says why the peer
    /// leaves, so it is taken as that Disconnect, its breach noted.
    private mutating func uncompressable(_ frame: ReceivedFrame, error: FramingError, into output: inout SessionOutput) {
        if link?.compress == true, let plain = try? Message(frameData: frame.data, compressed: false),
            (try? RLP.validate(plain.payload)) != nil
        {
            if plain.code == BaseProtocol.disconnectCode {
                remoteDisconnect(
                    plain.payload, detail: "the peer disconnected without compressing its Disconnect, although both sides announced p2p version 5",
                    into: &output)
            } else {
                close(
                    .networkError,
                    detail: "protocol breach: message \(plain.code) is not snappy-compressed although both sides announced p2p version 5",
                    send: true, into: &output)
            }
            return
        }
        close(.networkError, detail: "message: \(error)", send: true, into: &output)
    }

    private mutating func close(_ reason: DisconnectReason, detail: String, send: Bool, into output: inout SessionOutput) {
        if send {
            write(Message(code: BaseProtocol.disconnectCode, payload: reason.payload), into: &output)
        }
        phase = .closed(reason)
        link = nil
        output.close = true
        output.events.append(.disconnected(reason, origin: .local, detail: detail))
    }

    /// Seals a base protocol message on the current link (compressed as the link says unless overridden).
    private mutating func write(_ message: Message, compressed: Bool? = nil, into output: inout SessionOutput) {
        let bytes = withLink { link in try? link.sealer.seal(message, compressed: compressed ?? link.compress) }
        if let sealed = bytes ?? nil { output.bytes += sealed }
    }

    /// Runs `body` on the current link in place; nil when there is no link (handshaking or closed).
    private mutating func withLink<Result>(_ body: (inout Link) -> Result) -> Result? {
        link?.update(body)
    }
}
