// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// The two halves of the handshake's cryptography: node A answers node B's WHOAREYOU with a handshake packet,
/// node B checks it. Both end with the same ``SessionKeys``.
public enum Handshake {
    /// Node A's answer to a WHOAREYOU whose unmasked bytes (masking-iv ‖ header) are `challengeData`: authdata
    /// with the ID-nonce signature and the ephemeral key, and the session keys.
    /// - Parameters:
    ///   - staticKey: A's identity key.
    ///   - ephemeralKey: a fresh key, used once (the caller draws it, so tests can fix it).
    ///   - remoteID: B's node ID.
    ///   - remotePublicKey: B's static public key (33, 64 or 65 bytes).
    ///   - record: A's node record as RLP, when B's WHOAREYOU showed an older sequence number; else empty.
    /// - Throws: ``Discv5Error/Code/invalidPublicKey`` or ``Discv5Error/Code/invalidArgument``.
    public static func answer(
        challengeData: [UInt8], staticKey: Secp256k1.PrivateKey, ephemeralKey: Secp256k1.PrivateKey, remoteID: [UInt8],
        remotePublicKey: [UInt8], record: [UInt8] = []
    ) throws(Discv5Error) -> (authData: HandshakeAuthData, keys: SessionKeys) {
        guard remoteID.count == AuthData.nodeIDSize else { throw Discv5Error(.invalidArgument, "a node ID is 32 bytes") }
        let localID = Identity.nodeID(of: staticKey)
        let ephemeralPublicKey = ephemeralKey.publicKey.compressed
        let signature = try IdentityProof.sign(
            challengeData: challengeData, ephemeralPublicKey: ephemeralPublicKey, recipientID: remoteID, staticKey: staticKey)
        let keys = try SessionKeys(
            ephemeralKey: ephemeralKey, recipientPublicKey: remotePublicKey, initiatorID: localID, recipientID: remoteID,
            challengeData: challengeData)
        let authData = HandshakeAuthData(
            sourceID: localID, signature: signature, ephemeralPublicKey: ephemeralPublicKey, record: record)
        return (authData, keys)
    }

    /// Node B's check of a handshake answering its challenge: `initiatorPublicKey` (from the record in the
    /// handshake, or the one B knows) must be the source's, and the ID-nonce signature must verify; then the keys.
    /// - Throws: ``Discv5Error/Code/invalidPublicKey`` (a key that is not the source's, a bad ephemeral key) or
    ///   ``Discv5Error/Code/invalidIDSignature``.
    public static func verify(
        _ authData: HandshakeAuthData, challengeData: [UInt8], staticKey: Secp256k1.PrivateKey, initiatorPublicKey: [UInt8]
    ) throws(Discv5Error) -> SessionKeys {
        guard try Identity.nodeID(publicKey: initiatorPublicKey) == authData.sourceID else {
            throw Discv5Error(.invalidPublicKey, "the initiator's key is not the source node ID's", field: "authdata.sourceID")
        }
        guard authData.ephemeralPublicKey.count == 33 else {
            throw Discv5Error(.invalidPublicKey, "an ephemeral key is 33 bytes compressed", field: "authdata.ephemeralPublicKey")
        }
        let localID = Identity.nodeID(of: staticKey)
        guard
            IdentityProof.verify(
                authData.signature, challengeData: challengeData, ephemeralPublicKey: authData.ephemeralPublicKey,
                recipientID: localID, publicKey: initiatorPublicKey)
        else { throw Discv5Error(.invalidIDSignature, "the ID-nonce signature does not verify", field: "authdata.signature") }
        return try SessionKeys(
            staticKey: staticKey, ephemeralPublicKey: authData.ephemeralPublicKey, initiatorID: authData.sourceID,
            recipientID: localID, challengeData: challengeData)
    }
}
