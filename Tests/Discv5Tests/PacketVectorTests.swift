// SPDX-License-Identifier: Apache-2.0
import Discv5
import RLP
import RLPxCrypto
import Testing

/// The specification's four packet vectors, decoded with node B's ID, opened, checked field by field, and made
/// again from their inputs bit for bit.
@Suite struct PacketVectorTests {
    typealias V = WireVectors

    static func key(_ bytes: [UInt8]) throws -> Secp256k1.PrivateKey { try Secp256k1.PrivateKey(rawRepresentation: bytes) }

    @Test func pingMessagePacket() throws {
        let p = V.PingMessage.self
        let packet = try Packet(decoding: p.packet, localNodeID: V.nodeBID)
        #expect(packet.flag == .ordinary)
        #expect(packet.maskingIV == V.maskingIV)
        #expect(packet.nonce == p.nonce)
        #expect(packet.authData == .ordinary(sourceID: V.nodeAID))
        let ping = Message.ping(Ping(requestID: try RequestID(p.requestID), enrSeq: p.enrSeq))
        #expect(try packet.openMessage(key: p.readKey) == ping)
        #expect(try packet.encoded(destinationID: V.nodeBID) == p.packet)
        // Made from its inputs.
        let made = try Packet.sealing(ping, maskingIV: V.maskingIV, nonce: p.nonce, authData: .ordinary(sourceID: V.nodeAID), key: p.readKey)
        #expect(made == packet)
        #expect(try made.encoded(destinationID: V.nodeBID) == p.packet)
        // Unmasked with another node's ID, the header is noise.
        #expect(throws: Discv5Error.wrongProtocolID) { try Packet(decoding: p.packet, localNodeID: V.nodeAID) }
    }

    @Test func whoareyouPacket() throws {
        let w = V.Whoareyou.self
        let packet = try Packet(decoding: w.packet, localNodeID: V.nodeBID)
        #expect(packet.flag == .whoareyou)
        #expect(packet.nonce == w.requestNonce)
        #expect(packet.authData == .whoareyou(idNonce: w.idNonce, enrSeq: w.enrSeq))
        #expect(packet.message.isEmpty)
        #expect(try packet.associatedData() == w.challengeData)
        #expect(try packet.encoded(destinationID: V.nodeBID) == w.packet)
        let made = Packet(maskingIV: V.maskingIV, nonce: w.requestNonce, authData: .whoareyou(idNonce: w.idNonce, enrSeq: w.enrSeq))
        #expect(try made.encoded(destinationID: V.nodeBID) == w.packet)
        #expect(w.packet.count == Packet.minimumSize)
    }

    @Test func pingHandshakePacket() throws {
        try checkHandshake(
            packetBytes: V.PingHandshake.packet, challengeData: V.PingHandshake.challengeData,
            whoareyouENRSeq: V.PingHandshake.whoareyouENRSeq, readKey: V.PingHandshake.readKey, expectsRecord: false)
    }

    @Test func pingHandshakePacketWithRecord() throws {
        try checkHandshake(
            packetBytes: V.PingHandshakeWithRecord.packet, challengeData: V.PingHandshakeWithRecord.challengeData,
            whoareyouENRSeq: V.PingHandshakeWithRecord.whoareyouENRSeq, readKey: V.PingHandshakeWithRecord.readKey, expectsRecord: true)
    }

    /// Node B's view (decode, verify, derive, open) and node A's (answer the challenge, seal), against the vector.
    func checkHandshake(
        packetBytes: [UInt8], challengeData: [UInt8], whoareyouENRSeq: UInt64, readKey: [UInt8], expectsRecord: Bool
    ) throws {
        let h = V.Handshake.self
        let nodeA = try Self.key(V.nodeAKey)
        let nodeB = try Self.key(V.nodeBKey)
        // The challenge data is the WHOAREYOU these inputs describe.
        let challenge = Packet(maskingIV: V.maskingIV, nonce: h.requestNonce, authData: .whoareyou(idNonce: h.idNonce, enrSeq: whoareyouENRSeq))
        #expect(try challenge.associatedData() == challengeData)

        let packet = try Packet(decoding: packetBytes, localNodeID: V.nodeBID)
        #expect(packet.flag == .handshake)
        #expect(packet.nonce == h.nonce)
        guard case .handshake(let auth) = packet.authData else {
            Issue.record("not a handshake: \(packet.authData)")
            return
        }
        #expect(auth.sourceID == V.nodeAID)
        #expect(auth.ephemeralPublicKey == h.ephemeralPublicKey)
        #expect(auth.signature.count == 64)
        #expect(auth.record.isEmpty == !expectsRecord)
        if expectsRecord {
            // A's record: an RLP list [signature, seq, k, v, ...] whose secp256k1 entry is A's compressed key.
            let items = try RLPItem(rlpEncoded: auth.record)
            guard case .list(let fields) = items else {
                Issue.record("the record is not a list")
                return
            }
            let compressedA = nodeA.publicKey.compressed
            #expect(fields.contains(.bytes(compressedA)))
            #expect(fields.contains(.bytes(Array("secp256k1".utf8))))
        }

        // B verifies and derives; B reads what the initiator writes.
        let keys = try Handshake.verify(auth, challengeData: challengeData, staticKey: nodeB, initiatorPublicKey: nodeA.publicKey.nodeID)
        #expect(keys.initiatorKey == readKey)
        let ping = Message.ping(Ping(requestID: try RequestID(h.requestID), enrSeq: h.enrSeq))
        #expect(try packet.openMessage(key: keys.initiatorKey) == ping)
        #expect(try packet.encoded(destinationID: V.nodeBID) == packetBytes)

        // A answers the same challenge with the vector's ephemeral key: the same authdata, keys and packet.
        let answer = try Handshake.answer(
            challengeData: challengeData, staticKey: nodeA, ephemeralKey: try Self.key(h.ephemeralKey), remoteID: V.nodeBID,
            remotePublicKey: nodeB.publicKey.compressed, record: auth.record)
        #expect(answer.authData == auth)
        #expect(answer.keys == keys)
        let made = try Packet.sealing(
            ping, maskingIV: V.maskingIV, nonce: h.nonce, authData: .handshake(answer.authData), key: answer.keys.initiatorKey)
        #expect(try made.encoded(destinationID: V.nodeBID) == packetBytes)

        // B refuses the handshake against another challenge, or with another node's key.
        #expect(throws: Discv5Error.invalidIDSignature) {
            try Handshake.verify(auth, challengeData: challengeData + [0], staticKey: nodeB, initiatorPublicKey: nodeA.publicKey.nodeID)
        }
        #expect(throws: Discv5Error.invalidPublicKey) {
            try Handshake.verify(auth, challengeData: challengeData, staticKey: nodeB, initiatorPublicKey: nodeB.publicKey.nodeID)
        }
    }
}
