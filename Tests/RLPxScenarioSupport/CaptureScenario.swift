// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLP
import RLPxCrypto
import RLPxHandshake
import RLPxMultiplexing
import RLPxTestSupport

/// Two in-memory sessions whose writes become one TCP connection in a capture, with a key log.
public struct CaptureScenario {
    public enum Side { case initiator, recipient }

    public var initiator: Session
    public var recipient: Session
    public var now = ContinuousClock.now
    public var time = 1_700_000_000.0
    public var random = SeededRandom(seed: 21)
    /// Every chunk each side wrote, with the capture time, in order.
    public var chunks: [(side: Side, time: Double, bytes: [UInt8])] = []
    private var toRecipient: [UInt8] = []
    private var toInitiator: [UInt8] = []
    /// What the recipient's session reported, in order (a live peer's view of the connection).
    public var recipientEvents: [SessionEvent] = []
    /// When false, what the initiator writes is captured but never reaches the recipient.
    public var deliverToRecipient = true

    public static let protocols = [ProtocolSpec(name: "eth", version: 68, length: 17), ProtocolSpec(name: "snap", version: 1, length: 8)]

    public init(initiatorConfig: SessionConfiguration? = nil, recipientConfig: SessionConfiguration? = nil) {
        var random = SeededRandom(seed: 5)
        // The first key drawn is the initiator's (tests rebuild its Hello from it), the second the recipient's.
        let (keyA, keyB) = (Secp256k1.PrivateKey.random(using: &random), Secp256k1.PrivateKey.random(using: &random))
        let a = initiatorConfig ?? SessionConfiguration(staticKey: keyA, protocols: Self.protocols, clientID: "scenario-a")
        let b = recipientConfig ?? SessionConfiguration(staticKey: keyB, protocols: Self.protocols, clientID: "scenario-b")
        let (session, auth) = Session.initiator(a, remotePublicKey: b.staticKey.publicKey, now: now, random: &random)
        initiator = session
        recipient = Session.recipient(b, now: now, random: &random)
        take(auth, from: .initiator)
        pump()
    }

    public mutating func take(_ output: SessionOutput, from side: Side) {
        if side == .recipient { recipientEvents += output.events }
        guard !output.bytes.isEmpty else { return }
        time += 0.001
        chunks.append((side, time, output.bytes))
        if side == .initiator { if deliverToRecipient { toRecipient += output.bytes } } else { toInitiator += output.bytes }
    }

    /// Sends `payload` as message `code` of `protocolName` from `side`, and delivers it.
    public mutating func send(_ protocolName: String, code: UInt64, payload: [UInt8], from side: Side) throws {
        let bytes =
            side == .initiator
            ? try initiator.send(protocol: protocolName, code: code, payload: payload)
            : try recipient.send(protocol: protocolName, code: code, payload: payload)
        take(bytes, from: side)
        pump()
    }

    public mutating func pump() {
        while !toRecipient.isEmpty || !toInitiator.isEmpty {
            if !toRecipient.isEmpty {
                let bytes = toRecipient
                toRecipient = []
                take(recipient.receive(bytes, now: now, random: &random), from: .recipient)
            }
            if !toInitiator.isEmpty {
                let bytes = toInitiator
                toInitiator = []
                take(initiator.receive(bytes, now: now, random: &random), from: .initiator)
            }
        }
    }

    /// The key log line for this connection (node IDs included unless `ids` is false).
    public func keyLog(ids: Bool = true, wrongInitiatorID: Bool = false) -> String {
        guard let secrets = initiator.secrets else { return "" }
        var initiatorID = initiator.configuration.staticKey.publicKey.nodeID
        if wrongInitiatorID { initiatorID[5] ^= 1 }
        let entry = KeyLogEntry(
            secrets: secrets, initiatorID: ids ? initiatorID : nil,
            recipientID: ids ? recipient.configuration.staticKey.publicKey.nodeID : nil)
        return entry.line + "\n"
    }

    /// The capture: SYN, SYN-ACK, every chunk cut into segments of at most `segmentSize`, then FINs. Segments may
    /// be shuffled and duplicated (by `reorder`), as a network would.
    public func pcap(
        link: PcapWriter.Link = .ethernet, ipv6: Bool = false, segmentSize: Int = 1400, reorder: Bool = false,
        endTime: Double? = nil, corrupt: ((inout [(side: Side, time: Double, bytes: [UInt8])]) -> Void)? = nil
    ) -> [UInt8] {
        let a: [UInt8] = ipv6 ? [UInt8](repeating: 0, count: 15) + [1] : [127, 0, 0, 1]
        let b: [UInt8] = ipv6 ? [UInt8](repeating: 0, count: 15) + [1] : [127, 0, 0, 2]
        let (aPort, bPort): (UInt16, UInt16) = (40000, 30303)
        let (aISN, bISN): (UInt32, UInt32) = (0xffff_f000, 1000)  // the initiator's sequence numbers wrap
        var writer = PcapWriter(link: link)
        var chunks = self.chunks
        corrupt?(&chunks)
        writer.segment(time: chunks[0].time - 0.01, source: (a, aPort), destination: (b, bPort), sequence: aISN, syn: true, ack: false)
        writer.segment(time: chunks[0].time - 0.005, source: (b, bPort), destination: (a, aPort), sequence: bISN, syn: true)
        var segments: [(time: Double, fromInitiator: Bool, sequence: UInt32, payload: [UInt8])] = []
        var aNext = aISN &+ 1
        var bNext = bISN &+ 1
        for chunk in chunks {
            var start = 0
            while start < chunk.bytes.count {
                let piece = Array(chunk.bytes[start..<min(start + segmentSize, chunk.bytes.count)])
                if chunk.side == .initiator {
                    segments.append((chunk.time, true, aNext, piece))
                    aNext = aNext &+ UInt32(piece.count)
                } else {
                    segments.append((chunk.time, false, bNext, piece))
                    bNext = bNext &+ UInt32(piece.count)
                }
                start += segmentSize
            }
        }
        if reorder {
            var random = SeededRandom(seed: 99)
            // Swap neighbours and duplicate every fifth segment, keeping times in capture order.
            var index = 0
            while index + 1 < segments.count {
                if Int.random(in: 0..<3, using: &random) == 0 { segments.swapAt(index, index + 1) }
                index += 2
            }
            for position in stride(from: segments.count - 1, through: 0, by: -5) { segments.insert(segments[position], at: position + 1) }
        }
        var lastTime = 0.0
        for segment in segments {
            lastTime = max(lastTime, segment.time)
            let (source, destination) = segment.fromInitiator ? ((a, aPort), (b, bPort)) : ((b, bPort), (a, aPort))
            writer.segment(time: lastTime, source: source, destination: destination, sequence: segment.sequence, payload: segment.payload)
        }
        let end = endTime ?? lastTime + 0.01
        writer.segment(time: end, source: (a, aPort), destination: (b, bPort), sequence: aNext, fin: true)
        writer.segment(time: end, source: (b, bPort), destination: (a, aPort), sequence: bNext, fin: true)
        return writer.bytes
    }
}
