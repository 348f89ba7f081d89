// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLPxCrypto

/// The recipient's side of the handshake, sans I/O: feed it the bytes that arrive until it returns the ack to
/// send and the session. It accepts auth in either format and answers in the same format.
///
/// ### Invariants
/// The auth is accepted only after its ECIES tag verifies and its signature recovers an ephemeral key (and, for
/// legacy auth, that key's hash matches the one sent); after any error every call throws that error again.
public struct HandshakeRecipient: Sendable {
    private enum State: Sendable {
        case awaitingAuth(HandshakePacketReader)
        case done
        case failed(HandshakeError)
    }

    private let staticKey: Secp256k1.PrivateKey
    private let ephemeralKey: Secp256k1.PrivateKey
    private let nonce: [UInt8]
    private var state = State.awaitingAuth(HandshakePacketReader(legacySize: Handshake.legacyAuthSize))

    /// A recipient with the given ephemeral key and nonce (fixed values replay vectors).
    /// - Throws: ``HandshakeError/Code/misuse`` when `nonce` is not 32 bytes.
    public init(staticKey: Secp256k1.PrivateKey, ephemeralKey: Secp256k1.PrivateKey, nonce: [UInt8]) throws(HandshakeError) {
        guard nonce.count == 32 else { throw HandshakeError(.misuse, "a handshake nonce is 32 bytes, not \(nonce.count)") }
        self.staticKey = staticKey
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
    }

    /// A recipient with a fresh ephemeral key and nonce from `random`.
    public init(staticKey: Secp256k1.PrivateKey, random: inout some RandomNumberGenerator) {
        self.staticKey = staticKey
        self.ephemeralKey = .random(using: &random)
        self.nonce = HandshakePacket.randomBytes(32, using: &random)
    }

    /// Bytes still needed to complete the auth (0 once done).
    public var bytesNeeded: Int {
        if case .awaitingAuth(let reader) = state { return reader.bytesNeeded }
        return 0
    }

    /// Feeds received bytes; once the auth is complete, returns the ack packet to send and the session.
    /// - Throws: ``HandshakeError``; after one, every later call throws it again; ``HandshakeError/Code/misuse``
    ///   after the handshake completed.
    public mutating func receive(
        _ bytes: some Collection<UInt8>, random: inout some RandomNumberGenerator
    ) throws(HandshakeError) -> (ack: [UInt8], result: HandshakeResult)? {
        switch state {
        case .done: throw .alreadyComplete
        case .failed(let error): throw error
        case .awaitingAuth(var reader):
            do throws(HandshakeError) {
                var input = ArraySlice(bytes)
                guard let packet = try reader.read(&input, key: staticKey) else {
                    state = .awaitingAuth(reader)
                    return nil
                }
                let auth = try AuthMessage(plaintext: packet.plaintext, format: packet.format)
                let remoteEphemeral = try recoverEphemeralKey(auth)
                let reply = AckMessage(ephemeralPublicKey: ephemeralKey.publicKey, nonce: nonce)
                let body = packet.format == .eip8 ? reply.eip8Body() : reply.legacyPlaintext()
                let ack = HandshakePacket.seal(body: body, format: packet.format, to: auth.initiatorPublicKey, random: &random)
                let ephemeralSecret: [UInt8]
                do {
                    ephemeralSecret = try ephemeralKey.sharedSecret(with: remoteEphemeral)
                } catch {
                    throw HandshakeError.from(error, context: "auth ephemeral key")
                }
                state = .done
                let secrets = SessionSecrets(
                    role: .recipient, ephemeralSecret: ephemeralSecret, initiatorNonce: auth.nonce, recipientNonce: nonce,
                    authPacket: packet.wire, ackPacket: ack)
                let result = HandshakeResult(
                    secrets: secrets, remotePublicKey: auth.initiatorPublicKey, remoteFormat: packet.format,
                    remoteVersion: auth.version, remainder: Array(input))
                return (ack, result)
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    /// The initiator's ephemeral key, recovered from its signature over static-shared-secret ⊕ nonce.
    private func recoverEphemeralKey(_ auth: AuthMessage) throws(HandshakeError) -> Secp256k1.PublicKey {
        do {
            let staticShared = try staticKey.sharedSecret(with: auth.initiatorPublicKey)
            let signed = zip(staticShared, auth.nonce).map { $0 ^ $1 }
            let key = try Secp256k1.PublicKey(recoveringFrom: auth.signature, digest: signed)
            if let hash = auth.ephemeralPublicKeyHash, hash != Keccak256.hash(key.nodeID) {
                throw HandshakeError(.invalidSignature, "legacy auth: ephemeral key hash does not match the signature")
            }
            return key
        } catch let error as HandshakeError {
            throw error
        } catch let error as CryptoError {
            throw HandshakeError.from(error, context: "auth signature")
        } catch {
            throw HandshakeError(.invalidSignature, "auth signature: \(error)")
        }
    }
}
