// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxEvents
import RLPxFraming
import RLPxMultiplexing

/// Frames and messages: each frame is decrypted in its decoder's buffer and read from there; its payload is
/// decompressed when the Hellos said so, and the message decoded as far as its protocol is known. Frames after a
/// side's Hello wait for the other side's, which decides compression.
extension ConnectionReplay {
    func decodeFrames(_ side: Side, time: Double, replay: CaptureReplay) {
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
                emit(replay, time, .fault(side, .frame(error, offset: sides[side].offset)))
                sides[side].failed = true
                break
            }
            if found == nil { break }
        }
    }

    /// Handles a frame, or keeps a copy while it must wait for the other side's Hello.
    func frameArrived(
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
    func releaseWaiting(_ side: Side, replay: CaptureReplay) {
        let waiting = sides[side].waiting
        guard !waiting.isEmpty else { return }
        sides[side].waiting = []
        for (frame, time, offset) in waiting {
            frame.data.withUnsafeBytes { handleFrame(frame.header, $0, side: side, time: time, offset: offset, replay: replay) }
        }
    }

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
            do throws(FramingError) {
                payload = try Snappy.decompress(raw, maximumLength: Snappy.maximumDecompressedLength)
            } catch {
                // Every message after both Hellos, a Disconnect refusing one included, must be compressed; one
                // that is plain RLP is read as it is.
                payload = Array(raw)
                guard (try? RLP.validate(payload)) != nil else {
                    emit(replay, time, .fault(side, .snappy(code: code, error)))
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
                    message = base(DecodedMessage.codeName(code), .undecoded)
                }
            } else {
                let note = unplacedNote.flatMap { code >= $0.from ? $0.note : nil }
                if note == nil && space != nil { emit(replay, time, .fault(side, .codeOutOfRange(code: code))) }
                message = DecodedMessage(
                    protocolName: "?", version: nil, code: code, wireCode: code, name: DecodedMessage.codeName(code), payload: payload,
                    value: .undecoded, note: note)
            }
        }
        emit(replay, time, .message(side, message))
    }

    /// Reads a Hello. Each side's first readable one counts; once both are known they are negotiated, as a live
    /// session negotiates them (a repeated Hello decides nothing).
    private func handleHello(_ payload: [UInt8], side: Side) -> DecodedMessage.Value {
        sides[side].largestHello = max(sides[side].largestHello, payload.count)
        let hello: Hello
        do throws(RLPError) {
            hello = try Hello(rlpEncoded: payload)
        } catch {
            return .malformed(error)
        }
        if !sides[side].hasHello { sides[side].hello = hello }
        if negotiation == nil, let initiator = sides[.initiator].hello, let recipient = sides[.recipient].hello {
            let negotiated = HelloNegotiation(
                local: (initiator, sides[.initiator].largestHello), remote: (recipient, sides[.recipient].largestHello),
                lengths: lengths)
            negotiation = negotiated
            compressionExpected = negotiated.compression
            space = negotiated.space
            // Shared protocols take codes in name order; from the first one whose length is unknown, nothing after
            // it can be placed, so codes there are not checked (no false "out of range").
            if let unplaced = negotiated.unplaced {
                unplacedNote = (unplaced.from, "at or after \(unplaced.capability), whose length is unknown")
                summary.notes.append(
                    "\(unplaced.capability) is shared but its code-space length is unknown: codes from \(unplaced.from) up "
                        + "are not checked; pass --caps \(unplaced.capability):LENGTH")
            }
        }
        return .hello(hello)
    }
}
