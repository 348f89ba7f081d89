// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// The two AES-128-GCM keys of a session: the handshake's initiator encrypts with ``initiatorKey`` and decrypts
/// with ``recipientKey``; the recipient the other way round.
public struct SessionKeys: Hashable, Sendable {
    /// What the initiator (node A, who answered the WHOAREYOU) writes with.
    public let initiatorKey: [UInt8]
    /// What the recipient (node B, who sent the WHOAREYOU) writes with.
    public let recipientKey: [UInt8]

    /// Keys as they are.
    public init(initiatorKey: [UInt8], recipientKey: [UInt8]) {
        self.initiatorKey = initiatorKey
        self.recipientKey = recipientKey
    }

    static let info = Array("discovery v5 key agreement".utf8)

    /// HKDF-SHA256 over the ECDH secret, salted with the challenge data, with info
    /// "discovery v5 key agreement" ‖ node-id-A ‖ node-id-B; the first 16 bytes are the initiator's key.
    public init(sharedSecret: [UInt8], initiatorID: [UInt8], recipientID: [UInt8], challengeData: [UInt8]) {
        let keyData = Digests.hkdfSHA256(
            secret: sharedSecret, salt: challengeData, info: Self.info + initiatorID + recipientID, length: 32)
        initiatorKey = Array(keyData[..<16])
        recipientKey = Array(keyData[16...])
    }

    /// The initiator's derivation: its ephemeral private key with the recipient's static public key.
    public init(
        ephemeralKey: Secp256k1.PrivateKey, recipientPublicKey: some Collection<UInt8>, initiatorID: [UInt8],
        recipientID: [UInt8], challengeData: [UInt8]
    ) throws(Discv5Error) {
        let secret = try Identity.sharedSecret(ephemeralKey, recipientPublicKey)
        self.init(sharedSecret: secret, initiatorID: initiatorID, recipientID: recipientID, challengeData: challengeData)
    }

    /// The recipient's derivation: its static private key with the initiator's ephemeral public key.
    public init(
        staticKey: Secp256k1.PrivateKey, ephemeralPublicKey: some Collection<UInt8>, initiatorID: [UInt8],
        recipientID: [UInt8], challengeData: [UInt8]
    ) throws(Discv5Error) {
        let secret = try Identity.sharedSecret(staticKey, ephemeralPublicKey)
        self.init(sharedSecret: secret, initiatorID: initiatorID, recipientID: recipientID, challengeData: challengeData)
    }
}
