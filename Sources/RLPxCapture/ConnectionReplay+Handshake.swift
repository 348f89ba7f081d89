// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxEvents
import RLPxFraming
import RLPxHandshake

/// Handshake sniffing: the auth and ack are found by their form (a size prefix, or a legacy packet's fixed size),
/// not by port; the auth's hash finds the connection's key-log line, whose secrets start both frame decoders.
extension ConnectionReplay {
    func process(_ side: Side, time: Double, replay: CaptureReplay) {
        if authPacket == nil {
            guard side == .initiator else { return }
            guard let auth = takeHandshakePacket(.initiator, legacySize: Handshake.legacyAuthSize, replay: replay, time: time) else { return }
            authPacket = auth
            entry = replay.entry(for: auth)
            summary.status = entry == nil ? .undecrypted : .decrypted
            emit(replay, time, .handshake(.initiator, format: summary.authFormat ?? .eip8, size: auth.count))
            if let entry { emit(replay, time, .identities(initiator: entry.initiatorID, recipient: entry.recipientID)) }
        }
        if ackPacket == nil {
            guard let ack = takeHandshakePacket(.recipient, legacySize: Handshake.legacyAckSize, replay: replay, time: time) else {
                return
            }
            ackPacket = ack
            summary.ackSize = ack.count
            emit(replay, time, .handshake(.recipient, format: ackFormat ?? .eip8, size: ack.count))
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
        var format: HandshakeFormat
        if pending[0] == 0x04 && (authPacket.map { $0.count == Handshake.legacyAuthSize } ?? true) {
            // Legacy (bare ECIES) unless the key log knows an EIP-8 packet of size 0x04xx.
            guard pending.count >= legacySize else { return nil }
            (length, format) = (legacySize, .legacy)
            if isAuth && !replay.hasEntry(for: pending.prefix(legacySize)) && pending.count >= 2 + prefix
                && replay.hasEntry(for: pending.prefix(2 + prefix))
            {
                (length, format) = (2 + prefix, .eip8)
            }
        } else {
            (length, format) = (2 + prefix, .eip8)
            if prefix > Handshake.maximumPacketSize || prefix < ECIES.overhead {
                emit(replay, time, .fault(side, .handshakeSize(prefix: prefix)))
                sides[side].failed = true
                summary.status = .notRLPx
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
}
