// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Dispatch
import Keccak
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxEvents
import RLPxMultiplexing
import RLPxProtocols

/// Replays a capture: follows every TCP connection, finds RLPx sessions by their handshake (not by port), matches
/// each to its key-log line, decrypts and decodes both directions with the same codecs a live peer uses, and raises
/// a ``ConnectionEvent`` for everything it reads (it holds no rule: those consume the events). Feed it segments in
/// capture order, one at a time (``add(_:connectionID:)``) or in batches whose frames are decrypted on other
/// threads (``add(batch:)``), then call ``finish(captureEnd:)``.
///
/// Used from one thread at a time, so its state, and each connection's, skips run-time exclusivity checks
/// (`@exclusivity(unchecked)`): they cost a few percent of a replay of small messages.
public final class CaptureReplay {
    /// Code-space sizes of protocols whose Hello capabilities carry no length (go-ethereum's values).
    public static let knownProtocols: [ProtocolSpec] = KnownProtocols.legacy + KnownProtocols.all

    private let keyLog: [[UInt8]: KeyLogEntry]
    private let lengths: [Capability: UInt64]
    private let sink: (ConnectionEvent) -> Void
    @exclusivity(unchecked) private var connections: [[Endpoint]: ConnectionReplay] = [:]
    @exclusivity(unchecked) private var order: [ConnectionReplay] = []
    @exclusivity(unchecked) private var skipped: Set<[Endpoint]> = []
    private var lastTime = 0.0

    /// - Parameters:
    ///   - keyLog: entries by auth hash (`KeyLogEntry/parse(_:)`).
    ///   - protocols: code-space sizes to use beyond ``knownProtocols``.
    ///   - events: called with each event as it happens, in capture order per connection.
    public init(
        keyLog: [[UInt8]: KeyLogEntry], protocols: [ProtocolSpec] = [], events: @escaping (ConnectionEvent) -> Void
    ) {
        self.keyLog = keyLog
        lengths = Dictionary((protocols + Self.knownProtocols).map { ($0.capability, $0.length) }, uniquingKeysWith: { first, _ in first })
        sink = events
    }

    /// Adds one TCP segment, in capture order.
    /// - Parameter connectionID: the number a connection this segment opens gets (the next one when nil); a replay
    ///   split across workers numbers connections in the order of the whole capture.
    public func add(_ segment: TCPSegment, connectionID: Int? = nil) {
        route(segment, connectionID: connectionID, decryptAhead: false)
        // A connection that a batch left decrypting ahead stages even a single segment: read it now.
        if !staged.isEmpty || decrypting != nil { drain() }
    }

    /// Adds segments in capture order, each with the number a connection it opens gets (as in
    /// ``add(_:connectionID:)``). Once a connection's handshake is read, each direction's frames are decrypted on
    /// another thread, both directions at once, while this thread reads the previous batch's messages; the events
    /// are the same, in the same order per connection, as adding the segments one at a time. The last batch's
    /// messages are read by the next call or by ``finish(captureEnd:)``.
    public func add(batch segments: [(TCPSegment, Int?)]) {
        for (segment, id) in segments { route(segment, connectionID: id, decryptAhead: true) }
        advance()
    }

    /// Connections whose frames of the batch being routed wait to be decrypted.
    @exclusivity(unchecked) private var staged: [ConnectionReplay] = []
    /// The decryption running on other threads, and the connections whose frames it decrypts.
    @exclusivity(unchecked) private var decrypting: (group: DispatchGroup, connections: [ConnectionReplay])?

    /// Waits for the decryption running, starts the staged one, then reads what the finished one decrypted.
    private func advance() {
        var decrypted: [ConnectionReplay] = []
        if let (group, connections) = decrypting {
            group.wait()
            for connection in connections { connection.takeDecrypted() }
            decrypted = connections
            decrypting = nil
        }
        if !staged.isEmpty {
            let group = DispatchGroup()
            for connection in staged { connection.startDecrypting(group: group) }
            decrypting = (group, staged)
            staged = []
        }
        for connection in decrypted { connection.readDecrypted(replay: self) }
    }

    /// Reads everything staged or being decrypted.
    private func drain() {
        advance()
        advance()
    }

    func stage(_ connection: ConnectionReplay) { staged.append(connection) }

    private func route(_ segment: TCPSegment, connectionID: Int?, decryptAhead: Bool) {
        lastTime = max(lastTime, segment.time)
        let key = [segment.source, segment.destination].sorted()
        if let connection = connections[key] {
            connection.add(segment, replay: self, decryptAhead: decryptAhead)
            return
        }
        if segment.syn && !segment.ack {
            let connection = ConnectionReplay(
                id: connectionID ?? order.count + 1, initiator: segment.source, recipient: segment.destination,
                initialSequence: segment.sequence, lengths: lengths)
            connections[key] = connection
            order.append(connection)
            emit(ConnectionEvent(
                connection: connection.summary.id, time: segment.time,
                kind: .opened(initiator: segment.source.description, recipient: segment.destination.description)))
        } else if !segment.payload.isEmpty && !skipped.contains(key) {
            skipped.insert(key)
            var summary = ConnectionSummary(
                id: 0, initiator: segment.source, recipient: segment.destination, status: "started before the capture")
            summary.notes.append("no SYN seen: skipped")
            skippedSummaries.append(summary)
        }
    }

    @exclusivity(unchecked) private var skippedSummaries: [ConnectionSummary] = []

    /// Ends the replay: releases what still waits, notes stream gaps, closes every connection at the capture's
    /// last time (`captureEnd`, or the last segment this replay saw), and returns every connection's summary.
    public func finish(captureEnd: Double? = nil) -> [ConnectionSummary] {
        drain()
        for connection in order { connection.finish(replay: self, captureEnd: captureEnd ?? lastTime) }
        return order.map(\.summary) + skippedSummaries
    }

    func emit(_ event: ConnectionEvent) { sink(event) }
    func entry(for authPacket: [UInt8]) -> KeyLogEntry? { keyLog[Keccak256.hash(authPacket)] }
    func hasEntry(for authPacket: some Collection<UInt8>) -> Bool { keyLog[Keccak256.hash(authPacket)] != nil }
}

/// One TCP connection being replayed (confined to its replay's thread, like the replay).
final class ConnectionReplay {

    /// One direction's decoding state.
    struct Direction {
        var stream: TCPStreamReassembler?
        var pending: [UInt8] = []
        var decoder: FrameDecoder?
        var offset = 0
        var hello: Hello? { didSet { hasHello = hello != nil } }
        /// Whether `hello` is set, kept beside it: read on every frame, and a stored flag is read without copying
        /// the Direction (a computed one made the optimiser copy it, Hello and arrays included, per frame).
        private(set) var hasHello = false
        /// A Hello over the size limit: the receiver refuses it unread, so compression never starts.
        var helloOversized = false
        var failed = false
        /// A frame failed in a decryption run whose frames are not all read yet: nothing more is decrypted.
        var decryptionFailed = false
        /// Frames after this side's Hello that wait for the other side's Hello: only both decide compression,
        /// and a capture can show them in either order.
        var waiting: [(frame: ReceivedFrame, time: Double, offset: Int)] = []
    }

    @exclusivity(unchecked) var summary: ConnectionSummary
    @exclusivity(unchecked) private var sides: BothSides<Direction>
    /// Whether payloads after the Hellos are compressed: both announced version 5 or more, neither Hello oversized.
    private var compressionExpected = false
    @exclusivity(unchecked) private var authPacket: [UInt8]?
    @exclusivity(unchecked) private var ackPacket: [UInt8]?
    @exclusivity(unchecked) private var entry: KeyLogEntry?
    @exclusivity(unchecked) private var space: MessageIDSpace?
    /// The first wire code whose protocol cannot be known: a shared capability of unknown length sits there.
    @exclusivity(unchecked) private var unknownFrom: (code: UInt64, capability: Capability)?
    @exclusivity(unchecked) private var ackFormat: String?
    /// Pings waiting for their Pong, by the side that sent them: only to print the round trip in the transcript.
    @exclusivity(unchecked) private var pingTimes: [Side: Double] = [:]

    /// One batch's frames decrypted apart: each direction's run, and the batch's segments in capture order (side,
    /// time, and the segment's index among its direction's).
    struct DecryptionBatch {
        var runs = BothSides<FrameDecryption?>(repeating: nil)
        var segments: [(side: Side, time: Double, index: Int)] = []
    }

    /// Whether segments' bytes go to ``FrameDecryption`` runs: from the first batch after both decoders exist.
    private var decryptsAhead = false
    /// The batch being routed, the one being decrypted, and the one decrypted and waiting to be read.
    @exclusivity(unchecked) private var staged: DecryptionBatch?
    @exclusivity(unchecked) private var decrypting: DecryptionBatch?
    @exclusivity(unchecked) private var decrypted: DecryptionBatch?

    /// Code-space sizes by capability, for matching the two Hellos.
    private let lengths: [Capability: UInt64]

    init(id: Int, initiator: Endpoint, recipient: Endpoint, initialSequence: UInt32, lengths: [Capability: UInt64]) {
        self.lengths = lengths
        summary = ConnectionSummary(id: id, initiator: initiator, recipient: recipient, status: "not RLPx")
        sides = BothSides(initiator: Direction(stream: TCPStreamReassembler(initialSequence: initialSequence &+ 1)), recipient: Direction())
    }

    func add(_ segment: TCPSegment, replay: CaptureReplay, decryptAhead: Bool) {
        let side: Side = segment.source == summary.initiator ? .initiator : .recipient
        if segment.syn {
            if side == .recipient && sides[.recipient].stream == nil {
                sides[.recipient].stream = TCPStreamReassembler(initialSequence: segment.sequence &+ 1)
            }
            return
        }
        if sides[side].stream == nil {  // the SYN-ACK was not captured: start at the first data
            sides[side].stream = TCPStreamReassembler(initialSequence: segment.sequence)
        }
        guard let bytes = sides[side].stream?.add(sequence: segment.sequence, payload: segment.payload), !bytes.isEmpty else { return }
        if side == .initiator { summary.bytesFromInitiator += bytes.count } else { summary.bytesFromRecipient += bytes.count }
        // Nothing more is read from a side that failed (or whose keys are unknown); its bytes are only counted.
        guard !sides[side].failed else { return }
        if decryptsAhead {
            stage(side, bytes, time: segment.time, replay: replay)
            return
        }
        sides[side].pending += bytes
        process(side, time: segment.time, replay: replay)
        decryptsAhead = decryptAhead && sides[.initiator].decoder != nil && sides[.recipient].decoder != nil
    }

    // MARK: Decrypting ahead

    private func stage(_ side: Side, _ bytes: [UInt8], time: Double, replay: CaptureReplay) {
        guard !sides[side].decryptionFailed else { return }
        var batch = staged ?? DecryptionBatch()
        if staged == nil { replay.stage(self) }
        staged = nil  // held alone while it changes, so its arrays are not copied
        let run = batch.runs[side] ?? FrameDecryption(offset: 0)
        batch.runs[side] = run
        // Bytes that arrived before the handshake ended and were not read yet go first.
        let index = sides[side].pending.isEmpty ? run.add(bytes) : run.add(sides[side].pending + bytes)
        sides[side].pending = []
        batch.segments.append((side, time, index))
        staged = batch
    }

    /// Hands each staged run its direction's decoder and starts the runs on another thread.
    func startDecrypting(group: DispatchGroup) {
        guard var batch = staged else { return }
        staged = nil
        for side in Side.allCases {
            guard let run = batch.runs[side] else { continue }
            guard !sides[side].decryptionFailed, let decoder = sides[side].decoder else {
                batch.runs[side] = nil
                continue
            }
            run.decoder = decoder
            run.offset = sides[side].offset
            sides[side].decoder = nil
        }
        // Both directions in one job, their MACs in lockstep; one alone in a job of its own.
        switch (batch.runs[.initiator], batch.runs[.recipient]) {
        case let (initiator?, recipient?): DispatchQueue.global().async(group: group) { FrameDecryption.run(initiator, recipient) }
        case let (run?, nil), let (nil, run?): DispatchQueue.global().async(group: group) { run.run() }
        case (nil, nil): break
        }
        decrypting = batch
    }

    /// After the runs finished: takes each direction's decoder and stream offset back.
    func takeDecrypted() {
        guard let batch = decrypting else { return }
        decrypting = nil
        for side in Side.allCases {
            guard let run = batch.runs[side] else { continue }
            sides[side].decoder = run.decoder
            sides[side].offset = run.offset
            if run.failure != nil { sides[side].decryptionFailed = true }
        }
        decrypted = batch
    }

    /// Reads the decrypted frames in capture order: each segment's frames at that segment's time.
    func readDecrypted(replay: CaptureReplay) {
        guard let batch = decrypted else { return }
        decrypted = nil
        var next = BothSides(repeating: 0)
        for (side, time, index) in batch.segments {
            guard let run = batch.runs[side] else { continue }
            while next[side] < run.frames.count && run.frames[next[side]].segment == index {
                let frame = run.frames[next[side]]
                next[side] += 1
                run.withData(of: frame) { frameArrived(frame.header, $0, side: side, time: time, offset: frame.offset, replay: replay) }
            }
            if let failure = run.failure, failure.segment == index {
                emit(replay, time, .fault(side, .frame(reason: failure.reason, offset: failure.offset)))
                sides[side].failed = true
            }
        }
    }

    func finish(replay: CaptureReplay, captureEnd: Double) {
        // Frames still waiting never saw the other Hello: read them as the sender's own Hello would suggest.
        for side in [Side.initiator, .recipient] { releaseWaiting(side, replay: replay) }
        for side in [Side.initiator, .recipient] {
            if let gap = sides[side].stream?.gap {
                summary.notes.append("\(side.rawValue) stream: gap at byte \(gap.at), \(gap.waiting) bytes after it not decoded")
            }
        }
        replay.emit(ConnectionEvent(connection: summary.id, time: captureEnd, kind: .closed))
    }

    private func emit(_ replay: CaptureReplay, _ time: Double, _ kind: ConnectionEvent.Kind) {
        replay.emit(ConnectionEvent(connection: summary.id, time: time, kind: kind))
    }

    // MARK: Handshake

    private func process(_ side: Side, time: Double, replay: CaptureReplay) {
        if authPacket == nil {
            guard side == .initiator else { return }
            guard let auth = takeHandshakePacket(.initiator, legacySize: Handshake.legacyAuthSize, replay: replay, time: time) else { return }
            authPacket = auth
            entry = replay.entry(for: auth)
            summary.status = entry == nil ? ConnectionSummary.undecrypted : ConnectionSummary.decrypted
            emit(replay, time, .handshake(.initiator, format: summary.authFormat ?? "eip8", size: auth.count))
            if let entry { emit(replay, time, .identities(initiator: entry.initiatorID, recipient: entry.recipientID)) }
        }
        if ackPacket == nil {
            guard let ack = takeHandshakePacket(.recipient, legacySize: Handshake.legacyAckSize, replay: replay, time: time) else {
                return
            }
            ackPacket = ack
            summary.ackSize = ack.count
            emit(replay, time, .handshake(.recipient, format: ackFormat ?? "eip8", size: ack.count))
            if let entry, let auth = authPacket {
                // Frames from the initiator are read with the recipient's ingress state, and the other way round.
                sides[.initiator].decoder = FrameDecoder(secrets: entry.secrets(role: .recipient, authPacket: auth, ackPacket: ack))
                sides[.recipient].decoder = FrameDecoder(secrets: entry.secrets(role: .initiator, authPacket: auth, ackPacket: ack))
            } else {
                // No key: nothing after the handshake can be read, so nothing is kept.
                for side in Side.allCases { sides[side].failed = true }
                sides[.initiator].pending = []
                sides[.recipient].pending = []
            }
            // The initiator may have sent frames before the ack was captured.
            if side == .recipient { decodeFrames(.initiator, time: time, replay: replay) }
        }
        decodeFrames(side, time: time, replay: replay)
    }

    /// Takes one handshake packet off the front of a direction's bytes, once it is complete.
    private func takeHandshakePacket(_ side: Side, legacySize: Int, replay: CaptureReplay, time: Double) -> [UInt8]? {
        let pending = sides[side].pending
        guard pending.count >= 2 else { return nil }
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
                emit(replay, time, .fault(side, .handshakeSize(prefix: prefix)))
                sides[side].failed = true
                summary.status = "not RLPx"
                return nil
            }
        }
        guard pending.count >= length, !sides[side].failed else { return nil }
        if isAuth {
            summary.authFormat = format
            summary.authSize = length
        } else {
            ackFormat = format
        }
        let packet = Array(pending.prefix(length))
        sides[side].pending.removeFirst(length)
        return packet
    }

    // MARK: Frames and messages

    private func decodeFrames(_ side: Side, time: Double, replay: CaptureReplay) {
        // The decoder is moved out while it works, so its ciphers stay uniquely referenced and are not copied.
        guard !sides[side].failed, var decoder = sides[side].decoder else { return }
        sides[side].decoder = nil
        decoder.append(sides[side].pending)
        sides[side].pending.removeAll(keepingCapacity: true)
        defer { sides[side].decoder = decoder }
        while true {
            let frameOffset = sides[side].offset
            let found: Void?
            do throws(FramingError) {
                // Each frame is decrypted in the decoder's buffer and handled from there; only a frame that must
                // wait for the other side's Hello is copied.
                found = try decoder.nextFrame { header, data in
                    sides[side].offset += Frame.wireLength(forSize: header.size)
                    frameArrived(header, data, side: side, time: time, offset: frameOffset, replay: replay)
                }
            } catch {
                emit(replay, time, .fault(side, .frame(reason: error.reason, offset: sides[side].offset)))
                sides[side].failed = true
                break
            }
            if found == nil { break }
        }
    }

    /// Handles a frame, or keeps a copy while it must wait for the other side's Hello.
    private func frameArrived(
        _ header: FrameHeader, _ data: UnsafeRawBufferPointer, side: Side, time: Double, offset: Int, replay: CaptureReplay
    ) {
        if waitsForOtherHello(side) {
            sides[side].waiting.append((ReceivedFrame(header: header, data: Array(data)), time, offset))
        } else {
            handleFrame(header, data, side: side, time: time, offset: offset, replay: replay)
        }
    }

    /// Whether a frame from `side` must wait: its Hello came, the other side's did not yet, and may still come.
    /// Reads the stored flags directly: `sides[side]` calls BothSides' read coroutine, which allocates its frame
    /// for a value as large as a Direction, twice per frame.
    private func waitsForOtherHello(_ side: Side) -> Bool {
        switch side {
        case .initiator: sides.initiator.hasHello && !sides.recipient.hasHello && !sides.recipient.failed
        case .recipient: sides.recipient.hasHello && !sides.initiator.hasHello && !sides.initiator.failed
        }
    }

    /// Handles the frames that waited for the other side's Hello.
    private func releaseWaiting(_ side: Side, replay: CaptureReplay) {
        let waiting = sides[side].waiting
        guard !waiting.isEmpty else { return }
        sides[side].waiting = []
        for (frame, time, offset) in waiting {
            frame.data.withUnsafeBytes { handleFrame(frame.header, $0, side: side, time: time, offset: offset, replay: replay) }
        }
    }

    /// The last frame header seen and its header data: peers send the same header data in nearly every frame, so
    /// one array serves them all.
    @exclusivity(unchecked) private var lastHeaderData: (header: FrameHeader, bytes: [UInt8])?

    private func handleFrame(
        _ header: FrameHeader, _ data: UnsafeRawBufferPointer, side: Side, time: Double, offset: Int, replay: CaptureReplay
    ) {
        let headerData: [UInt8]
        if let last = lastHeaderData, last.header.hasSameHeaderData(as: header) {
            headerData = last.bytes
        } else {
            headerData = header.headerData
            lastHeaderData = (header, headerData)
        }
        emit(replay, time, .frame(side, size: header.size, headerData: headerData, offset: offset))
        guard !data.isEmpty else {
            emit(replay, time, .fault(side, .emptyFrame))
            return
        }
        // The code is never compressed; the payload is once both Hellos announced version 5 or more.
        guard let (code, codeLength) = try? Message.readCode(data) else {
            emit(replay, time, .fault(side, .messageCode))
            return
        }
        let raw = UnsafeRawBufferPointer(rebasing: data[codeLength...])
        var payload: [UInt8]
        if compressionExpected && code != BaseProtocol.helloCode {
            if let declared = try? Snappy.declaredLength(raw), declared > Snappy.maximumDecompressedLength {
                emit(replay, time, .fault(side, .snappyTooLarge(code: code, declared: declared)))
                return
            }
            do throws(Snappy.DecodingError) {
                payload = try Snappy.decompress(raw, maximumLength: Snappy.maximumDecompressedLength)
            } catch {
                // Every message after both Hellos, a Disconnect refusing one included, must be compressed; one
                // that is plain RLP is read as it is.
                payload = Array(raw)
                guard (try? RLP.validate(payload)) != nil else {
                    emit(replay, time, .fault(side, .snappy(code: code, reason: error.reason)))
                    return
                }
                emit(replay, time, .fault(side, .uncompressed(code: code)))
            }
        } else {
            payload = Array(raw)
        }
        func base(_ name: String, _ value: DecodedMessage.Value, note: String? = nil) -> DecodedMessage {
            DecodedMessage(protocolName: "p2p", version: nil, code: code, wireCode: code, name: name, payload: payload, value: value, note: note)
        }
        let message: DecodedMessage
        switch code {
        case BaseProtocol.helloCode:
            emit(replay, time, .message(side, base("Hello", handleHello(payload, side: side))))
            releaseWaiting(side.other, replay: replay)  // the Hello precedes the messages it releases
            return
        case BaseProtocol.disconnectCode:
            message = base("Disconnect", .disconnect(DisconnectReason(payload: payload)))
        case BaseProtocol.pingCode:
            if pingTimes[side] == nil { pingTimes[side] = time }
            message = base("Ping", .ping)
        case BaseProtocol.pongCode:
            let sent = pingTimes.removeValue(forKey: side.other)
            message = base("Pong", .pong, note: sent.map { "\(decimal((time - $0) * 1000, 3)) ms after the Ping" })
        default:
            if let space, let destination = try? space.inbound(code) {
                switch destination {
                case .subprotocol(let matched, let local):
                    message = .subprotocol(matched.name, version: matched.version, code: local, wireCode: code, payload: payload)
                case .base:
                    message = base("code \(code)", .undecoded)
                }
            } else {
                let note = unknownFrom.flatMap { code >= $0.code ? "at or after \($0.capability), whose length is unknown" : nil }
                if note == nil && space != nil { emit(replay, time, .fault(side, .codeOutOfRange(code: code))) }
                message = DecodedMessage(
                    protocolName: "?", version: nil, code: code, wireCode: code, name: "code \(code)", payload: payload,
                    value: .undecoded, note: note)
            }
        }
        emit(replay, time, .message(side, message))
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

    /// Reads a Hello: keeps it, and once both are known matches capabilities and decides compression.
    private func handleHello(_ payload: [UInt8], side: Side) -> DecodedMessage.Value {
        if payload.count > BaseProtocol.maximumHelloSize { sides[side].helloOversized = true }
        let hello: Hello
        do throws(RLPError) {
            hello = try Hello(rlpEncoded: payload)
        } catch {
            return .malformed(error)
        }
        sides[side].hello = hello
        if let other = sides[side.other].hello {
            compressionExpected =
                hello.protocolVersion >= BaseProtocol.snappyVersion && other.protocolVersion >= BaseProtocol.snappyVersion
                && !sides[side].helloOversized && !sides[side.other].helloOversized
        }
        if let other = sides[side.other].hello, space == nil {
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
        return .hello(hello)
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
