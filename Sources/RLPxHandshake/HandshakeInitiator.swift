// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// The initiator's side of the handshake, sans I/O: make the auth packet, then feed it the bytes that arrive
/// until it returns the session.
///
/// ```swift
/// var handshake = HandshakeInitiator(staticKey: key, remotePublicKey: remote, random: &rng)
/// write(handshake.authPacket(random: &rng))
/// while true { if let result = try handshake.receive(read(handshake.bytesNeeded)) { break } }
/// ```
///
/// ### Invariants
/// The ack is accepted only after its ECIES tag verifies; after any error every call throws that error again.
public struct HandshakeInitiator: Sendable {
    private enum State: Sendable {
        case ready
        case awaitingAck(auth: [UInt8], reader: HandshakePacketReader)
        case done
        case failed(HandshakeError)
    }

    private let staticKey: Secp256k1.PrivateKey
    private let remotePublicKey: Secp256k1.PublicKey
    private let ephemeralKey: Secp256k1.PrivateKey
    private let nonce: [UInt8]
    private let format: HandshakeFormat
    private var state = State.ready

    /// An initiator with the given ephemeral key and nonce (fixed values replay vectors).
    public init(
        staticKey: Secp256k1.PrivateKey, remotePublicKey: Secp256k1.PublicKey, ephemeralKey: Secp256k1.PrivateKey,
        nonce: [UInt8], format: HandshakeFormat = .eip8
    ) throws(HandshakeError) {
        guard nonce.count == 32 else { throw HandshakeError(.misuse, "a handshake nonce is 32 bytes, not \(nonce.count)") }
        self.staticKey = staticKey
        self.remotePublicKey = remotePublicKey
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
        self.format = format
    }

    /// An initiator with a fresh ephemeral key and nonce from `random`.
    public init(
        staticKey: Secp256k1.PrivateKey, remotePublicKey: Secp256k1.PublicKey, format: HandshakeFormat = .eip8,
        random: inout some RandomNumberGenerator
    ) {
        self.staticKey = staticKey
        self.remotePublicKey = remotePublicKey
        self.ephemeralKey = .random(using: &random)
        self.nonce = HandshakePacket.randomBytes(32, using: &random)
        self.format = format
    }

    /// The auth packet to send first. A later call returns the same packet while the ack is awaited, and an empty
    /// one once the handshake has ended (there is nothing left to send).
    /// - Parameter extra: elements appended to an EIP-8 auth after the version, as a later version of the protocol
    ///   might send them (EIP-8 forward compatibility: a recipient must ignore them); unused in the legacy form.
    public mutating func authPacket(random: inout some RandomNumberGenerator, extra: [RLPItem] = []) -> [UInt8] {
        switch state {
        case .ready: break
        case .awaitingAck(let auth, _): return auth
        case .done, .failed: return []
        }
        // Both keys are valid, so neither the ECDH nor the signature can fail.
        let staticShared = (try? staticKey.sharedSecret(with: remotePublicKey)) ?? []
        let signed = zip(staticShared, nonce).map { $0 ^ $1 }
        let signature = (try? ephemeralKey.signature(forDigest: signed)) ?? []
        let message = AuthMessage(signature: signature, initiatorPublicKey: staticKey.publicKey, nonce: nonce, extra: extra)
        let body = format == .eip8 ? message.eip8Body() : message.legacyPlaintext(ephemeralPublicKey: ephemeralKey.publicKey)
        let packet = HandshakePacket.seal(body: body, format: format, to: remotePublicKey, random: &random)
        state = .awaitingAck(auth: packet, reader: HandshakePacketReader(legacySize: Handshake.legacyAckSize))
        return packet
    }

    /// Bytes still needed to complete the ack (0 once done).
    public var bytesNeeded: Int {
        if case .awaitingAck(_, let reader) = state { return reader.bytesNeeded }
        return 0
    }

    /// Feeds received bytes; returns the session once the ack is complete, with any bytes that followed it.
    /// - Throws: ``HandshakeError``; after one, every later call throws it again; ``HandshakeError/Code/misuse``
    ///   before ``authPacket(random:)`` or after the handshake completed.
    public mutating func receive(_ bytes: some Collection<UInt8>) throws(HandshakeError) -> HandshakeResult? {
        switch state {
        case .ready: throw HandshakeError(.misuse, "send authPacket() before receiving")
        case .done: throw .alreadyComplete
        case .failed(let error): throw error
        case .awaitingAck(let auth, var reader):
            do throws(HandshakeError) {
                var input = ArraySlice(bytes)
                guard let packet = try reader.read(&input, key: staticKey) else {
                    state = .awaitingAck(auth: auth, reader: reader)
                    return nil
                }
                let ack = try AckMessage(plaintext: packet.plaintext, format: packet.format)
                let ephemeralSecret: [UInt8]
                do {
                    ephemeralSecret = try ephemeralKey.sharedSecret(with: ack.ephemeralPublicKey)
                } catch {
                    throw HandshakeError.from(error, context: "ack ephemeral key")
                }
                state = .done
                let secrets = SessionSecrets(
                    role: .initiator, ephemeralSecret: ephemeralSecret, initiatorNonce: nonce, recipientNonce: ack.nonce,
                    authPacket: auth, ackPacket: packet.wire)
                return HandshakeResult(
                    secrets: secrets, remotePublicKey: remotePublicKey, remoteFormat: packet.format,
                    remoteVersion: ack.version, remainder: Array(input))
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }
}
