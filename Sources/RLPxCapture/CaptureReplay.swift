// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Keccak
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing

/// Replays a capture: follows every TCP connection, finds RLPx sessions by their handshake (not by port), matches
/// each to its key-log line, decrypts and decodes both directions with the same codecs a live peer uses, and checks
/// ``Rule/all`` as it goes. Feed it segments in capture order, then call ``finish()``.
public final class CaptureReplay {
    /// Code-space sizes of protocols whose Hello capabilities carry no length (go-ethereum's values).
    public static let knownProtocols: [ProtocolSpec] =
        [.init(name: "eth", version: 66, length: 17), .init(name: "eth", version: 67, length: 17)] + KnownProtocols.all

    private let keyLog: [[UInt8]: KeyLogEntry]
    private let lengths: [Capability: UInt64]
    private let pongTimeout: Double
    private var connections: [[Endpoint]: ConnectionReplay] = [:]
    private var order: [ConnectionReplay] = []
    private var skipped: Set<[Endpoint]> = []
    private var lastTime = 0.0
    public private(set) var transcript: [TranscriptEntry] = []
    public private(set) var findings: [Finding] = []

    /// - Parameters:
    ///   - keyLog: entries by auth hash (`KeyLogEntry/parse(_:)`).
    ///   - protocols: code-space sizes to use beyond ``knownProtocols``.
    public init(keyLog: [[UInt8]: KeyLogEntry], protocols: [ProtocolSpec] = [], pongTimeout: Double = 15) {
        self.keyLog = keyLog
        lengths = Dictionary((protocols + Self.knownProtocols).map { ($0.capability, $0.length) }, uniquingKeysWith: { first, _ in first })
        self.pongTimeout = pongTimeout
    }

    /// Adds one TCP segment, in capture order.
    public func add(_ segment: TCPSegment) {
        lastTime = max(lastTime, segment.time)
        let key = [segment.source, segment.destination].sorted()
        if let connection = connections[key] {
            connection.add(segment, replay: self)
            return
        }
        if segment.syn && !segment.ack {
            let connection = ConnectionReplay(
                id: order.count + 1, initiator: segment.source, recipient: segment.destination,
                initialSequence: segment.sequence, lengths: lengths)
            connections[key] = connection
            order.append(connection)
        } else if !segment.payload.isEmpty && !skipped.contains(key) {
            skipped.insert(key)
            var summary = ConnectionSummary(
                id: 0, initiator: segment.source, recipient: segment.destination, status: "started before the capture")
            summary.notes.append("no SYN seen: skipped")
            skippedSummaries.append(summary)
        }
    }

    private var skippedSummaries: [ConnectionSummary] = []

    /// Ends the replay: reports gaps and unanswered Pings, and returns every connection's summary.
    public func finish() -> [ConnectionSummary] {
        for connection in order { connection.finish(replay: self, captureEnd: lastTime) }
        findings.sort { ($0.connection, $0.time) < ($1.connection, $1.time) }
        return order.map(\.summary) + skippedSummaries
    }

    func record(_ finding: Finding) { findings.append(finding) }
    func record(_ entry: TranscriptEntry) { transcript.append(entry) }
    func entry(for authPacket: [UInt8]) -> KeyLogEntry? { keyLog[Keccak256.hash(authPacket)] }
    func hasEntry(for authPacket: some Collection<UInt8>) -> Bool { keyLog[Keccak256.hash(authPacket)] != nil }
    var timeout: Double { pongTimeout }
}

/// One TCP connection being replayed.
final class ConnectionReplay {
    enum Side: String {
        case initiator
        case recipient
        var other: Side { self == .initiator ? .recipient : .initiator }
        var direction: String { self == .initiator ? "initiator→recipient" : "recipient→initiator" }
    }

    /// One direction's decoding state.
    struct Direction {
        var stream: TCPStreamReassembler?
        var pending: [UInt8] = []
        var decoder: FrameDecoder?
        var offset = 0
        var hello: Hello?
        /// A Hello over the size limit: the receiver refuses it unread, so compression never starts.
        var helloOversized = false
        var messages = 0
        var disconnected = false
        var failed = false
        var finished = false
        /// Frames after this side's Hello that wait for the other side's Hello: only both decide compression,
        /// and a capture can show them in either order.
        var waiting: [(frame: ReceivedFrame, time: Double)] = []
    }

    var summary: ConnectionSummary
    private var sides: [Side: Direction]
    private var authPacket: [UInt8]?
    private var ackPacket: [UInt8]?
    private var entry: KeyLogEntry?
    private var space: MessageIDSpace?
    /// The first wire code whose protocol cannot be known: a shared capability of unknown length sits there.
    private var unknownFrom: (code: UInt64, capability: Capability)?
    private var pendingPings: [Side: Double] = [:]

    /// Code-space sizes by capability, for matching the two Hellos.
    private let lengths: [Capability: UInt64]

    init(id: Int, initiator: Endpoint, recipient: Endpoint, initialSequence: UInt32, lengths: [Capability: UInt64]) {
        self.lengths = lengths
        summary = ConnectionSummary(id: id, initiator: initiator, recipient: recipient, status: "not RLPx")
        sides = [.initiator: Direction(stream: TCPStreamReassembler(initialSequence: initialSequence &+ 1)), .recipient: Direction()]
    }

    func add(_ segment: TCPSegment, replay: CaptureReplay) {
        let side: Side = segment.source == summary.initiator ? .initiator : .recipient
        if segment.syn {
            if side == .recipient && sides[.recipient]?.stream == nil {
                sides[.recipient]?.stream = TCPStreamReassembler(initialSequence: segment.sequence &+ 1)
            }
            return
        }
        if sides[side]?.stream == nil {  // the SYN-ACK was not captured: start at the first data
            sides[side]?.stream = TCPStreamReassembler(initialSequence: segment.sequence)
        }
        guard let bytes = sides[side]?.stream?.add(sequence: segment.sequence, payload: segment.payload), !bytes.isEmpty else { return }
        if side == .initiator { summary.bytesFromInitiator += bytes.count } else { summary.bytesFromRecipient += bytes.count }
        sides[side]?.pending += bytes
        process(side, time: segment.time, replay: replay)
    }

    func finish(replay: CaptureReplay, captureEnd: Double) {
        // Frames still waiting never saw the other Hello: read them as the sender's own Hello would suggest.
        for side in [Side.initiator, .recipient] { releaseWaiting(side, replay: replay) }
        for side in [Side.initiator, .recipient] {
            if let gap = sides[side]?.stream?.gap {
                summary.notes.append("\(side.rawValue) stream: gap at byte \(gap.at), \(gap.waiting) bytes after it not decoded")
            }
        }
        for (side, time) in pendingPings {
            if captureEnd - time >= replay.timeout {
                replay.record(Finding(ruleID: "base.ping-pong", connection: summary.id, side: side.other.rawValue, time: time, detail: "Ping from the \(side.rawValue) was never answered"))
            } else {
                summary.notes.append("Ping from the \(side.rawValue) unanswered when the capture ended, within the timeout")
            }
        }
    }

    // MARK: Handshake

    private func process(_ side: Side, time: Double, replay: CaptureReplay) {
        if authPacket == nil {
            guard side == .initiator else { return }
            guard let auth = takeHandshakePacket(.initiator, legacySize: Handshake.legacyAuthSize, replay: replay, time: time) else { return }
            authPacket = auth
            entry = replay.entry(for: auth)
            summary.status = entry == nil ? "encrypted, no key" : "decrypted"
        }
        if ackPacket == nil {
            guard let ack = takeHandshakePacket(.recipient, legacySize: Handshake.legacyAckSize, replay: replay, time: time) else {
                return
            }
            ackPacket = ack
            summary.ackSize = ack.count
            if let entry, let auth = authPacket {
                // Frames from the initiator are read with the recipient's ingress state, and the other way round.
                sides[.initiator]?.decoder = FrameDecoder(secrets: entry.secrets(role: .recipient, authPacket: auth, ackPacket: ack))
                sides[.recipient]?.decoder = FrameDecoder(secrets: entry.secrets(role: .initiator, authPacket: auth, ackPacket: ack))
            }
            // The initiator may have sent frames before the ack was captured.
            if side == .recipient { decodeFrames(.initiator, time: time, replay: replay) }
        }
        decodeFrames(side, time: time, replay: replay)
    }

    /// Takes one handshake packet off the front of a direction's bytes, once it is complete.
    private func takeHandshakePacket(_ side: Side, legacySize: Int, replay: CaptureReplay, time: Double) -> [UInt8]? {
        guard let pending = sides[side]?.pending, pending.count >= 2 else { return nil }
        let prefix = Int(pending[0]) << 8 | Int(pending[1])
        let isAuth = side == .initiator
        var length: Int
        var format: String
        if pending[0] == 0x04 && (authPacket.map { $0.count == Handshake.legacyAuthSize } ?? true) {
            // Legacy (bare ECIES) unless the key log knows an EIP-8 packet of size 0x04xx.
            guard pending.count >= legacySize else { return nil }
            (length, format) = (legacySize, "legacy")
            if isAuth && !replay.hasEntry(for: pending.prefix(legacySize)) && pending.count >= 2 + prefix
                && replay.hasEntry(for: pending.prefix(2 + prefix))
            {
                (length, format) = (2 + prefix, "eip8")
            }
        } else {
            (length, format) = (2 + prefix, "eip8")
            if prefix > Handshake.maximumPacketSize || prefix < 113 {
                replay.record(Finding(ruleID: "handshake.size", connection: summary.id, side: side.rawValue, time: time,
                                      detail: "EIP-8 size prefix \(prefix) is outside 113…\(Handshake.maximumPacketSize)"))
                sides[side]?.failed = true
                summary.status = "not RLPx"
                return nil
            }
        }
        guard pending.count >= length, sides[side]?.failed == false else { return nil }
        if isAuth {
            summary.authFormat = format
            summary.authSize = length
        }
        let packet = Array(pending.prefix(length))
        sides[side]?.pending.removeFirst(length)
        return packet
    }

    // MARK: Frames and messages

    private func decodeFrames(_ side: Side, time: Double, replay: CaptureReplay) {
        guard var direction = sides[side], var decoder = direction.decoder, !direction.failed else { return }
        // The decoder is moved out while it works, so its ciphers stay uniquely referenced and are not copied.
        direction.decoder = nil
        sides[side]?.decoder = nil
        decoder.append(direction.pending)
        direction.pending = []
        defer { sides[side] = direction }
        while true {
            let frame: ReceivedFrame
            do throws(FramingError) {
                guard let next = try decoder.nextFrame() else { break }
                frame = next
            } catch {
                replay.record(Finding(ruleID: "frame.mac", connection: summary.id, side: side.rawValue, time: time,
                                      detail: "frame at stream offset \(direction.offset): \(error.reason)"))
                direction.failed = true
                break
            }
            let frameOffset = direction.offset
            direction.offset += Frame.wireLength(forSize: frame.header.size)
            sides[side] = direction
            checkHeaderData(frame.header, side: side, time: time, offset: frameOffset, replay: replay)
            if direction.hello != nil && sides[side.other]?.hello == nil && !(sides[side.other]?.failed ?? true) {
                sides[side]?.waiting.append((frame, time))
            } else {
                handleFrame(frame, side: side, time: time, replay: replay)
            }
            direction = sides[side] ?? direction
        }
        direction.decoder = decoder
    }

    /// Handles the frames that waited for the other side's Hello.
    private func releaseWaiting(_ side: Side, replay: CaptureReplay) {
        guard let waiting = sides[side]?.waiting, !waiting.isEmpty else { return }
        sides[side]?.waiting = []
        for (frame, time) in waiting { handleFrame(frame, side: side, time: time, replay: replay) }
    }

    private func checkHeaderData(_ header: FrameHeader, side: Side, time: Double, offset: Int, replay: CaptureReplay) {
        var reader = RLPReader(header.headerData)
        let valid: Bool = {
            do throws(RLPError) {
                var list = try reader.listReader()
                var count = 0
                while !list.isAtEnd {
                    _ = try list.readInteger(UInt64.self)
                    count += 1
                }
                return count <= 3 && reader.remainingBytes.allSatisfy { $0 == 0 }
            } catch {
                return false
            }
        }()
        if !valid {
            replay.record(Finding(ruleID: "frame.header-data", connection: summary.id, side: side.rawValue, time: time,
                                  detail: "header-data \(Hex.encode(header.headerData)) at stream offset \(offset)"))
        }
    }

    private func handleFrame(_ frame: ReceivedFrame, side: Side, time: Double, replay: CaptureReplay) {
        guard let direction = sides[side] else { return }
        let id = summary.id
        func finding(_ rule: String, _ detail: String) {
            replay.record(Finding(ruleID: rule, connection: id, side: side.rawValue, time: time, detail: detail))
        }
        guard !frame.data.isEmpty else {
            finding("frame.size", "a frame of size 0 carries no message code")
            return
        }
        if direction.disconnected {
            finding("base.after-disconnect", "a frame of \(frame.header.size) bytes after Disconnect")
        }
        // The code is never compressed; the payload is once both Hellos announced version 5 or more.
        var codeReader = RLPReader(frame.data)
        guard let code = try? codeReader.readInteger(UInt64.self) else {
            finding("rlp.canonical", "frame data does not start with a canonical message code")
            return
        }
        let raw = Array(codeReader.remainingBytes)
        var payload = raw
        let compressed = compressionExpected && code != BaseProtocol.helloCode
        if compressed {
            if let declared = try? Snappy.declaredLength(raw), declared > Snappy.maximumDecompressedLength {
                finding("snappy.length", "message \(code) declares \(declared) bytes, above 16 MiB − 1")
                return
            }
            do throws(Snappy.DecodingError) {
                payload = try Snappy.decompress(raw)
            } catch {
                // Every message after both Hellos, a Disconnect refusing one included, must be compressed.
                if (try? RLP.validate(raw)) != nil {
                    finding("base.snappy", "message \(code) is not compressed although both sides announced version 5")
                } else {
                    finding("snappy.length", "message \(code): \(error.reason)")
                    return
                }
            }
        }
        sides[side]?.messages += 1
        let first = direction.messages == 0
        if first && code != BaseProtocol.helloCode && code != BaseProtocol.disconnectCode {
            finding("base.hello-first", "the first message is code \(code), not Hello")
        }
        var entry = TranscriptEntry(time: time, connection: id, direction: side.direction, protocolName: "p2p", message: "", size: payload.count, summary: "")
        switch code {
        case BaseProtocol.helloCode:
            entry.message = "Hello"
            handleHello(payload, side: side, finding: finding, entry: &entry)
            replay.record(entry)  // the Hello precedes the messages it releases
            releaseWaiting(side.other, replay: replay)
            return
        case BaseProtocol.disconnectCode:
            entry.message = "Disconnect"
            let reason = DisconnectReason(payload: payload)
            entry.summary = "reason \(reason.rawValue) (\(reason))"
            if !reason.isKnown { finding("base.disconnect-reason", "reason \(reason.rawValue) is not defined") }
            if (try? RLP.validate(payload)) == nil { finding("rlp.canonical", "Disconnect payload is not canonical RLP") }
            if (try? RLPReader(payload).peekKind()) == .bytes {
                finding("base.disconnect-reason", "legacy form: the reason is not in a list")
            }
            sides[side]?.disconnected = true
        case BaseProtocol.pingCode, BaseProtocol.pongCode:
            entry.message = code == BaseProtocol.pingCode ? "Ping" : "Pong"
            if (try? RLP.validate(payload)) == nil { finding("rlp.canonical", "\(entry.message) payload is not canonical RLP") }
            if code == BaseProtocol.pingCode {
                if pendingPings[side] == nil { pendingPings[side] = time }
            } else if let sent = pendingPings[side.other] {
                if time - sent > replay.timeout {
                    finding("base.ping-pong", "Pong came \(decimal(time - sent, 1)) s after the Ping")
                }
                pendingPings[side.other] = nil
                entry.summary = "\(decimal((time - sent) * 1000, 3)) ms after the Ping"
            }
        default:
            if let space, let destination = try? space.inbound(code) {
                switch destination {
                case .base(let base): (entry.protocolName, entry.message) = ("p2p", "code \(base)")
                case .subprotocol(let matched, let local):
                    (entry.protocolName, entry.message) = ("\(matched.name)/\(matched.version)", "code \(local)")
                    describe(payload, protocol: matched, code: local, in: &entry)
                }
            } else if let unknownFrom, code >= unknownFrom.code {
                (entry.protocolName, entry.message) = ("?", "code \(code)")
                entry.summary = "at or after \(unknownFrom.capability), whose length is unknown"
            } else if space != nil {
                entry.protocolName = "?"
                entry.message = "code \(code)"
                finding("mux.code-range", "message code \(code) is outside every matched protocol's range")
            } else {
                (entry.protocolName, entry.message) = ("?", "code \(code)")
            }
        }
        if let timeoutPing = pendingPings[side.other], time - timeoutPing > replay.timeout, code != BaseProtocol.pongCode {
            replay.record(Finding(ruleID: "base.ping-pong", connection: id, side: side.rawValue, time: timeoutPing, detail: "Ping unanswered for more than \(Int(replay.timeout)) s"))
            pendingPings[side.other] = nil
        }
        replay.record(entry)
    }

    /// Names an eth or snap message and gives its one-line summary, or says why its payload breaks the layout.
    private func describe(_ payload: [UInt8], protocol matched: MatchedProtocol, code: UInt64, in entry: inout TranscriptEntry) {
        do throws(RLPError) {
            guard let message = try ProtocolMessage.decode(protocolName: matched.name, version: matched.version, code: code, payload: payload)
            else { return }
            entry.message = message.name
            entry.summary = String(message.summary.dropFirst(message.name.count + 1))
        } catch {
            let name = KnownProtocols.messageName(protocolName: matched.name, version: matched.version, code: code)
            entry.message = name ?? entry.message
            entry.summary = "malformed: " + RLPInspection.errorLine(error)
        }
    }

    /// The first shared capability, in the order shared protocols take codes (by name), whose length is unknown.
    static func firstSharedWithoutLength(
        _ a: [Capability], _ b: [Capability], lengths: [Capability: UInt64]
    ) -> Capability? {
        let names = Set(a.map { $0.name }).intersection(b.map { $0.name }).sorted()
        for name in names {
            let common = Set(a.filter { $0.name == name }.map { $0.version }).intersection(b.filter { $0.name == name }.map { $0.version })
            guard let version = common.max() else { continue }
            let capability = Capability(name: name, version: version)
            if lengths[capability] == nil { return capability }
        }
        return nil
    }

    private var compressionExpected: Bool {
        guard let a = sides[.initiator]?.hello, let b = sides[.recipient]?.hello,
            sides[.initiator]?.helloOversized == false, sides[.recipient]?.helloOversized == false
        else { return false }
        return a.protocolVersion >= BaseProtocol.snappyVersion && b.protocolVersion >= BaseProtocol.snappyVersion
    }

    private func handleHello(_ payload: [UInt8], side: Side, finding: (String, String) -> Void, entry: inout TranscriptEntry) {
        if payload.count > BaseProtocol.maximumHelloSize {
            finding("base.hello-size", "Hello of \(payload.count) bytes")
            sides[side]?.helloOversized = true
        }
        let hello: Hello
        do throws(RLPError) {
            hello = try Hello(rlpEncoded: payload)
        } catch {
            finding("rlp.canonical", "Hello: \(error)")
            return
        }
        entry.summary = "\(hello.clientID) v\(hello.protocolVersion) caps \(hello.capabilities.map(\.description).joined(separator: ","))"
        let expectedID = side == .initiator ? self.entry?.initiatorID : self.entry?.recipientID
        if let expectedID, hello.nodeID != expectedID {
            finding("base.hello-identity", "Hello node ID differs from the \(side.rawValue)'s handshake key")
        }
        sides[side]?.hello = hello
        if let other = sides[side.other]?.hello, space == nil {
            let initiatorCaps = side == .initiator ? hello.capabilities : other.capabilities
            let recipientCaps = side == .initiator ? other.capabilities : hello.capabilities
            // Shared protocols take codes in name order; from the first one whose length is unknown, nothing after
            // it can be placed, so codes there are not checked (no false "out of range").
            let unknown = Self.firstSharedWithoutLength(initiatorCaps, recipientCaps, lengths: lengths)
            let local = initiatorCaps.compactMap { cap -> ProtocolSpec? in
                guard unknown.map({ cap.name < $0.name }) ?? true, let length = lengths[cap] else { return nil }
                return ProtocolSpec(name: cap.name, version: cap.version, length: length)
            }
            let matched = CapabilityMatcher.match(local: local, remote: recipientCaps)
            space = MessageIDSpace(matched)
            if let unknown {
                let from = CapabilityMatcher.baseProtocolLength + matched.reduce(0) { $0 + $1.length }
                unknownFrom = (from, unknown)
                summary.notes.append(
                    "\(unknown) is shared but its code-space length is unknown: codes from \(from) up are not checked; "
                        + "pass --caps \(unknown):LENGTH")
            }
        }
    }
}

/// `value` with `digits` decimals (no Foundation here); reports use it for times.
public func decimal(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: scale))
    guard digits > 0 else { return String(whole) }
    let text = String(fraction)
    return "\(value < 0 && whole == 0 ? "-" : "")\(whole)." + String(repeating: "0", count: max(0, digits - text.count)) + text
}
