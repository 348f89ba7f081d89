// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLPxCrypto

/// What a finished handshake leaves behind for the frame codec (devp2p rlpx.md, "Secrets"):
///
///     shared-secret = keccak256(ephemeral-key ‖ keccak256(recipient-nonce ‖ initiator-nonce))
///     aes-secret    = keccak256(ephemeral-key ‖ shared-secret)
///     mac-secret    = keccak256(ephemeral-key ‖ aes-secret)
///     initiator egress = recipient ingress = keccak256.init((mac-secret ⊕ recipient-nonce) ‖ auth)
///     recipient egress = initiator ingress = keccak256.init((mac-secret ⊕ initiator-nonce) ‖ ack)
///
/// where auth and ack are the exact packets on the wire (size prefix included). Everything here can be rebuilt
/// from the two secrets, the two nonces and the two packets, which is what a key log records.
public struct SessionSecrets: Sendable, Hashable {
    /// Which side these secrets belong to: it decides which MAC is egress.
    public var role: Role
    /// The ECDH x coordinate of the two ephemeral keys, when known.
    public var ephemeralSecret: [UInt8]?
    /// keccak256(ephemeral-key ‖ keccak256(recipient-nonce ‖ initiator-nonce)), when known.
    public var sharedSecret: [UInt8]?
    /// The AES-256-CTR key of both directions.
    public var aesSecret: [UInt8]
    /// The key of the MAC's AES step, and part of both MAC seeds.
    public var macSecret: [UInt8]
    public var initiatorNonce: [UInt8]
    public var recipientNonce: [UInt8]
    /// The auth packet as it was on the wire.
    public var authPacket: [UInt8]
    /// The ack packet as it was on the wire.
    public var ackPacket: [UInt8]

    /// Derives every secret from the ephemeral ECDH result, the nonces and the packets.
    public init(
        role: Role, ephemeralSecret: [UInt8], initiatorNonce: [UInt8], recipientNonce: [UInt8], authPacket: [UInt8],
        ackPacket: [UInt8]
    ) {
        let shared = Keccak256.hash(ephemeralSecret + Keccak256.hash(recipientNonce + initiatorNonce))
        let aes = Keccak256.hash(ephemeralSecret + shared)
        self.init(
            role: role, aesSecret: aes, macSecret: Keccak256.hash(ephemeralSecret + aes), initiatorNonce: initiatorNonce,
            recipientNonce: recipientNonce, authPacket: authPacket, ackPacket: ackPacket)
        self.ephemeralSecret = ephemeralSecret
        self.sharedSecret = shared
    }

    /// Secrets as a key log records them (the ephemeral and shared secrets are not needed to read frames).
    public init(
        role: Role, aesSecret: [UInt8], macSecret: [UInt8], initiatorNonce: [UInt8], recipientNonce: [UInt8],
        authPacket: [UInt8], ackPacket: [UInt8]
    ) {
        self.role = role
        self.aesSecret = aesSecret
        self.macSecret = macSecret
        self.initiatorNonce = initiatorNonce
        self.recipientNonce = recipientNonce
        self.authPacket = authPacket
        self.ackPacket = ackPacket
    }

    /// The MAC of frames the initiator sends.
    public var initiatorMAC: RLPxMAC { mac(nonce: recipientNonce, packet: authPacket) }
    /// The MAC of frames the recipient sends.
    public var recipientMAC: RLPxMAC { mac(nonce: initiatorNonce, packet: ackPacket) }
    /// The MAC of frames this side sends.
    public var egressMAC: RLPxMAC { role == .initiator ? initiatorMAC : recipientMAC }
    /// The MAC of frames this side receives.
    public var ingressMAC: RLPxMAC { role == .initiator ? recipientMAC : initiatorMAC }

    func mac(nonce: [UInt8], packet: [UInt8]) -> RLPxMAC {
        RLPxMAC(macSecret: macSecret, seed: zip(macSecret, nonce).map { $0 ^ $1 }, packet: packet)
    }

    /// The same secrets seen from the other side.
    public var peer: SessionSecrets {
        var copy = self
        copy.role = role == .initiator ? .recipient : .initiator
        return copy
    }
}

/// What a completed handshake yields.
public struct HandshakeResult: Sendable {
    /// The frame codec's keys and MAC seeds.
    public var secrets: SessionSecrets
    /// The remote node's static public key (its node ID).
    public var remotePublicKey: Secp256k1.PublicKey
    /// The format of the remote's handshake message.
    public var remoteFormat: HandshakeFormat
    /// The version the remote announced.
    public var remoteVersion: UInt
    /// Bytes that arrived after the handshake message: the start of the first frame.
    public var remainder: [UInt8]
}
