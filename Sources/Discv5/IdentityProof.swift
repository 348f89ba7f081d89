// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// The ID-nonce signature of a handshake: the initiator proves it holds its static key by signing the challenge
/// it was sent, its ephemeral key and the recipient's node ID.
public enum IdentityProof {
    /// The prefix of the signed input.
    static let prefix = Array("discovery v5 identity proof".utf8)

    /// sha256("discovery v5 identity proof" ‖ challenge-data ‖ ephemeral-pubkey ‖ node-id-B).
    public static func digest(challengeData: [UInt8], ephemeralPublicKey: [UInt8], recipientID: [UInt8]) -> [UInt8] {
        Digests.sha256(prefix + challengeData + ephemeralPublicKey + recipientID)
    }

    /// The 64-byte signature `staticKey` makes over the digest.
    public static func sign(
        challengeData: [UInt8], ephemeralPublicKey: [UInt8], recipientID: [UInt8], staticKey: Secp256k1.PrivateKey
    ) throws(Discv5Error) -> [UInt8] {
        let digest = digest(challengeData: challengeData, ephemeralPublicKey: ephemeralPublicKey, recipientID: recipientID)
        // The recoverable signature's r ‖ s is the plain one (same RFC 6979 nonce, low s); the recovery byte goes.
        do { return Array(try staticKey.signature(forDigest: digest).prefix(64)) } catch {
            throw Discv5Error(.invalidArgument, "signing failed")
        }
    }

    /// Whether `signature` over the digest was made by the key `publicKey` (33, 64 or 65 bytes).
    public static func verify(
        _ signature: [UInt8], challengeData: [UInt8], ephemeralPublicKey: [UInt8], recipientID: [UInt8], publicKey: [UInt8]
    ) -> Bool {
        guard let key = try? Identity.publicKey(publicKey) else { return false }
        return key.isValidSignature(
            signature, digest: digest(challengeData: challengeData, ephemeralPublicKey: ephemeralPublicKey, recipientID: recipientID))
    }
}
