// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

@testable import RLPxHandshake

/// Two machines wired together in memory, and every kind of bad auth.
@Suite struct HandshakeBehaviourTests {
    let alice = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xa1, count: 32))
    let bob = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xb0, count: 32))

    /// Runs a full handshake; `chunk` splits every transfer.
    func pair(format: HandshakeFormat, chunk: Int, seed: UInt64) throws -> (HandshakeResult, HandshakeResult, auth: [UInt8], ack: [UInt8]) {
        var random = SeededRandom(seed: seed)
        var initiator = HandshakeInitiator(staticKey: alice, remotePublicKey: bob.publicKey, format: format, random: &random)
        var recipient = HandshakeRecipient(staticKey: bob, random: &random)
        let auth = initiator.authPacket(random: &random)
        var recipientDone: (ack: [UInt8], result: HandshakeResult)?
        for start in stride(from: 0, to: auth.count, by: chunk) {
            recipientDone = try recipient.receive(auth[start..<min(start + chunk, auth.count)], random: &random)
        }
        let (ack, recipientResult) = try #require(recipientDone)
        var initiatorResult: HandshakeResult?
        for start in stride(from: 0, to: ack.count, by: chunk) {
            initiatorResult = try initiator.receive(ack[start..<min(start + chunk, ack.count)])
        }
        return (try #require(initiatorResult), recipientResult, auth, ack)
    }

    @Test(arguments: [HandshakeFormat.eip8, .legacy], [1, 7, 4096])
    func bothSidesAgree(format: HandshakeFormat, chunk: Int) throws {
        let (initiator, recipient, auth, ack) = try pair(format: format, chunk: chunk, seed: UInt64(chunk))
        #expect(initiator.remotePublicKey == bob.publicKey && recipient.remotePublicKey == alice.publicKey)
        #expect(initiator.remoteFormat == format && recipient.remoteFormat == format)
        #expect(initiator.secrets.aesSecret == recipient.secrets.aesSecret)
        #expect(initiator.secrets.macSecret == recipient.secrets.macSecret)
        #expect(initiator.secrets.egressMAC.digest == recipient.secrets.ingressMAC.digest)
        #expect(initiator.secrets.ingressMAC.digest == recipient.secrets.egressMAC.digest)
        if format == .legacy {
            #expect(auth.count == Handshake.legacyAuthSize && ack.count == Handshake.legacyAckSize)
        } else {
            // Past the 307 bytes a legacy-first reader (trinity's) takes before it looks at the prefix.
            #expect(auth.count > Handshake.legacyAuthSize && ack.count > Handshake.legacyAckSize)
            #expect(Int(auth[0]) << 8 | Int(auth[1]) == auth.count - 2)
        }
    }

    // MARK: Bad input, one error each.

    func recipient() throws(HandshakeError) -> HandshakeRecipient {
        try HandshakeRecipient(staticKey: bob, ephemeralKey: alice, nonce: [UInt8](repeating: 7, count: 32))
    }

    func receive(_ bytes: [UInt8]) throws(HandshakeError) -> Bool {
        var machine = try recipient()
        var random = SeededRandom(seed: 1)
        return try machine.receive(bytes, random: &random) != nil
    }

    /// An EIP-8 packet around `body`, encrypted to `to`.
    func eip8Packet(_ body: [UInt8], to: Secp256k1.PublicKey? = nil) -> [UInt8] {
        var random = SeededRandom(seed: 9)
        return HandshakePacket.seal(body: body, format: .eip8, to: to ?? bob.publicKey, random: &random)
    }

    func validAuthBody() throws -> AuthMessage {
        var random = SeededRandom(seed: 5)
        var initiator = HandshakeInitiator(staticKey: alice, remotePublicKey: bob.publicKey, random: &random)
        return try AuthMessage.decrypt(initiator.authPacket(random: &random), with: bob).message
    }

    @Test func rejectsTruncatedPackets() throws {
        #expect(throws: HandshakeError.truncated) { try receive([0x00, 0x50]) }  // declares less than ECIES needs
        #expect(throws: HandshakeError.truncated) { try AuthMessage.decrypt(eip8Packet([0xc0]).dropLast(), with: bob) }
    }

    @Test func rejectsOversizedPacketsBeforeReadingThem() throws {
        var machine = try recipient()
        var random = SeededRandom(seed: 1)
        #expect(throws: HandshakeError.tooLarge) { try machine.receive([0x08, 0x01], random: &random) }
        // And refuses everything after.
        #expect(throws: HandshakeError.tooLarge) { try machine.receive([0x00], random: &random) }
    }

    @Test func rejectsBadMAC() throws {
        var packet = eip8Packet(try validAuthBody().eip8Body())
        packet[packet.count - 1] ^= 0x01
        #expect(throws: HandshakeError.decryptionFailed) { try receive(packet) }
        // Encrypted to someone else: the tag fails too.
        #expect(throws: HandshakeError.decryptionFailed) { try receive(eip8Packet(try validAuthBody().eip8Body(), to: alice.publicKey)) }
    }

    @Test func rejectsWronglyEncryptedBodies() throws {
        // Authentic ECIES, but what is inside is not an auth body.
        #expect(throws: HandshakeError.malformedMessage) { try receive(eip8Packet([0x83, 1, 2, 3])) }
        var message = try validAuthBody()
        message.nonce = [1, 2, 3]
        #expect(throws: HandshakeError.malformedMessage) { try receive(eip8Packet(message.eip8Body())) }
    }

    @Test func rejectsBadSignatures() throws {
        var message = try validAuthBody()
        message.signature = [UInt8](repeating: 0, count: 65)  // r = s = 0 recovers nothing
        #expect(throws: HandshakeError.invalidSignature) { try receive(eip8Packet(message.eip8Body())) }
        // Legacy: the hash of the ephemeral key must match the key the signature recovers.
        let valid = try validAuthBody()
        let other = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x77, count: 32)).publicKey
        var random = SeededRandom(seed: 3)
        let legacy = HandshakePacket.seal(
            body: valid.legacyPlaintext(ephemeralPublicKey: other), format: .legacy, to: bob.publicKey, random: &random)
        #expect(throws: HandshakeError.invalidSignature) { try receive(legacy) }
    }

    @Test func rejectsPointsOffTheCurve() throws {
        // The ECIES ephemeral key: flip the last byte of Y.
        var packet = eip8Packet(try validAuthBody().eip8Body())
        packet[2 + 64] ^= 0x01
        #expect(throws: HandshakeError.invalidPublicKey) { try receive(packet) }
        // The initiator's static key inside the body.
        let valid = try validAuthBody()
        let body = RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(valid.signature)
                list.write([UInt8](repeating: 0, count: 63) + [1])
                list.write(valid.nonce)
                list.write(UInt(4))
            }
        }
        #expect(throws: HandshakeError.invalidPublicKey) { try receive(eip8Packet(body)) }
    }

    @Test func acceptsExtraElementsAndOtherVersions() throws {
        var message = try validAuthBody()
        message.version = 57
        message.extra = [.bytes([1]), .list([.bytes([2])])]
        var machine = try recipient()
        var random = SeededRandom(seed: 2)
        let result = try #require(try machine.receive(eip8Packet(message.eip8Body()), random: &random)).result
        #expect(result.remoteVersion == 57)
    }
}

/// A caller's mistakes are typed errors, not a stopped process.
@Suite struct HandshakeMisuseTests {
    let alice = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xa1, count: 32))
    let bob = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xb0, count: 32))

    @Test func shortNonceIsRefused() {
        #expect(throws: HandshakeError.misuse) {
            _ = try HandshakeRecipient(staticKey: bob, ephemeralKey: alice, nonce: [1, 2, 3])
        }
        #expect(throws: HandshakeError.misuse) {
            _ = try HandshakeInitiator(staticKey: alice, remotePublicKey: bob.publicKey, ephemeralKey: bob, nonce: [])
        }
    }

    @Test func callsOutOfOrder() throws {
        var random = SeededRandom(seed: 3)
        var initiator = HandshakeInitiator(staticKey: alice, remotePublicKey: bob.publicKey, random: &random)
        #expect(throws: HandshakeError.misuse) { _ = try initiator.receive([0x01]) }
        let auth = initiator.authPacket(random: &random)
        #expect(initiator.authPacket(random: &random) == auth, "a second call returns the same packet")
        var recipient = HandshakeRecipient(staticKey: bob, random: &random)
        let reply = try #require(try recipient.receive(auth, random: &random))
        #expect(throws: HandshakeError.misuse) { _ = try recipient.receive([0x01], random: &random) }
        _ = try #require(try initiator.receive(reply.ack))
        #expect(throws: HandshakeError.misuse) { _ = try initiator.receive([0x01]) }
    }
}
