// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxEvents
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing

/// One TCP connection being replayed (confined to its replay's thread, like the replay): reassembles both streams
/// and hands their bytes to the handshake sniffer (`+Handshake`), then to the frame decoders, directly or through
/// the decrypt-ahead pipeline (`+DecryptAhead`); frames become messages in `+Messages`.
final class ConnectionReplay {

    /// One direction's decoding state.
    struct Direction {
        var stream: TCPStreamReassembler?
        var pending: [UInt8] = []
        var decoder: FrameDecoder?
        var offset = 0
        /// The side's first readable Hello: the one its peer negotiates with.
        var hello: Hello? { didSet { hasHello = hello != nil } }
        /// Whether `hello` is set, kept beside it: read on every frame, and a stored flag is read without copying
        /// the Direction (a computed one made the optimiser copy it, Hello and arrays included, per frame).
        private(set) var hasHello = false
        /// The largest Hello payload this side sent: one over the size limit is refused unread by the receiver,
        /// so compression never starts.
        var largestHello = 0
        var failed = false
        /// A frame failed in a decryption run whose frames are not all read yet: nothing more is decrypted.
        var decryptionFailed = false
        /// Frames after this side's Hello that wait for the other side's Hello: only both decide compression,
        /// and a capture can show them in either order.
        var waiting: [(frame: ReceivedFrame, time: Double, offset: Int)] = []
    }

    @exclusivity(unchecked) var summary: ConnectionSummary
    @exclusivity(unchecked) var sides: BothSides<Direction>
    /// What the two Hellos decided, once both are read.
    @exclusivity(unchecked) var negotiation: HelloNegotiation?
    /// The note a message gets when its code is at or past the first shared protocol whose length is unknown (made
    /// once, with the negotiation, not per message).
    @exclusivity(unchecked) var unplacedNote: (from: UInt64, note: String)?
    /// Whether payloads after the Hellos are compressed (``negotiation``'s, kept apart: read on every frame).
    var compressionExpected = false
    /// The code space of ``negotiation`` (read on every frame).
    @exclusivity(unchecked) var space: MessageIDSpace?
    @exclusivity(unchecked) var authPacket: [UInt8]?
    @exclusivity(unchecked) var ackPacket: [UInt8]?
    @exclusivity(unchecked) var entry: KeyLogEntry?
    @exclusivity(unchecked) var ackFormat: HandshakeFormat?
    /// Pings waiting for their Pong, by the side that sent them: only to print the round trip in the transcript.
    @exclusivity(unchecked) var pingTimes: [Side: Double] = [:]
    /// The last frame header seen and its header data: peers send the same header data in nearly every frame, so
    /// one array serves them all.
    @exclusivity(unchecked) var lastHeaderData: (header: FrameHeader, bytes: [UInt8])?

    /// Whether segments' bytes go to ``FrameDecryption`` runs: from the first batch after both decoders exist.
    var decryptsAhead = false
    /// The batch being routed, the one being decrypted, and the one decrypted and waiting to be read.
    @exclusivity(unchecked) var staged: DecryptionBatch?
    @exclusivity(unchecked) var decrypting: DecryptionBatch?
    @exclusivity(unchecked) var decrypted: DecryptionBatch?

    /// Code-space sizes by capability, for negotiating the two Hellos.
    let lengths: [Capability: UInt64]

    init(id: Int, initiator: Endpoint, recipient: Endpoint, initialSequence: UInt32, lengths: [Capability: UInt64]) {
        self.lengths = lengths
        summary = ConnectionSummary(id: id, initiator: initiator, recipient: recipient, status: .notRLPx)
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

    func emit(_ replay: CaptureReplay, _ time: Double, _ kind: ConnectionEvent.Kind) {
        replay.emit(ConnectionEvent(connection: summary.id, time: time, kind: kind))
    }
}
