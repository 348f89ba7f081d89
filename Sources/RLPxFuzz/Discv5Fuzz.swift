// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLPxCrypto

extension FuzzEntries {
    static let discv5Key = Secp256k1.PrivateKey.fixed(0x56)
    static let discv5ID = NodeID(publicKey: discv5Key.publicKey).bytes
    static let discv5MessageKey = [UInt8](repeating: 0x5a, count: 16)

    /// discv5 decoding. The input as a packet to a fixed node, twice: as it is, and with its header masked for
    /// that node first (so the checks behind the mask are reached; a mask is AES output a fuzzer cannot guess).
    /// Anything accepted re-encodes to exactly its bytes, and opening it, checking its handshake and handing it to
    /// a session state end in a value or an error. Also the input as a message plaintext (anything accepted
    /// re-encodes to it), and sealed into a packet that must open to it, reaching the message decoder behind GCM.
    public static func discv5(_ data: [UInt8]) {
        discv5Packet(data)
        discv5Packet(discv5Masked(data))
        if let message = try? Message(decoding: data) {
            precondition(message.encoded() == data, "a discv5 message did not re-encode to its input")
        }
        let nonce = [UInt8](repeating: 2, count: 12)
        var sealed = Packet(maskingIV: [UInt8](repeating: 1, count: 16), nonce: nonce, authData: .ordinary(sourceID: discv5ID))
        guard let associatedData = try? sealed.associatedData(),
            let ciphertext = try? AESGCM.seal(data, key: discv5MessageKey, nonce: nonce, associatedData: associatedData)
        else { preconditionFailure("AES-GCM refused valid sizes") }
        sealed.message = ciphertext
        guard let wire = try? sealed.encoded(destinationID: discv5ID) else { return }  // over 1280 bytes
        guard let received = try? Packet(decoding: wire, localNodeID: discv5ID) else {
            preconditionFailure("a sealed discv5 packet did not decode")
        }
        precondition((try? received.openPlaintext(key: discv5MessageKey)) == data, "a sealed discv5 message did not open")
        _ = try? received.openMessage(key: discv5MessageKey)
    }

    /// `data` with the header its own bytes describe (the authdata size at 37..38) masked for ``discv5ID``.
    static func discv5Masked(_ data: [UInt8]) -> [UInt8] {
        guard data.count >= Packet.maskingIVSize + Packet.staticHeaderSize else { return data }
        let end = min(data.count, 39 + (Int(data[37]) << 8 | Int(data[38])))
        var mask = AESCTRStream(key: discv5ID.prefix(16), iv: data.prefix(16))
        var header = Array(data[16..<end])
        mask.apply(to: &header)
        return Array(data[..<16]) + header + data[end...]
    }

    static func discv5Packet(_ wire: [UInt8]) {
        var state = SessionState<Int>(staticKey: discv5Key)
        var random = FixedRandom()
        _ = try? state.receive(wire, from: 1, now: FuzzClock.start, random: &random)
        guard let packet = try? Packet(decoding: wire, localNodeID: discv5ID) else { return }
        precondition((try? packet.encoded(destinationID: discv5ID)) == wire, "a discv5 packet did not re-encode to its input")
        _ = try? packet.openMessage(key: discv5MessageKey)
        if case .handshake(let auth) = packet.authData {
            _ = try? Handshake.verify(auth, challengeData: Array(wire.prefix(63)), staticKey: discv5Key, initiatorPublicKey: auth.ephemeralPublicKey)
            _ = try? ENR(rlp: auth.record)
        }
    }
}
