// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto
import RLPxHandshake
import RLPxTestSupport
import Testing

/// A deterministic generator for the handshake's own randomness (ECIES keys, IVs, padding).
func rng(_ seed: UInt64 = 42) -> SeededRandom { SeededRandom(seed: seed) }

func key(_ hex: String?) throws -> Secp256k1.PrivateKey {
    try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(try #require(hex)))
}

func publicKey(_ hex: String?) throws -> Secp256k1.PublicKey {
    try Secp256k1.PublicKey(try Hex.decode(try #require(hex)))
}

/// EIP-8's test vectors (node A initiates, node B receives).
@Suite struct EIP8VectorTests {
    let file: [String: Any]
    let keys: [String: String]

    init() throws {
        file = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        keys = try #require(file["keys"] as? [String: String])
    }

    func messages(_ name: String) throws -> [[String: Any]] { try #require(file[name] as? [[String: Any]]) }
    var upstream: [String: String] { (file["expected_secrets_upstream"] as? [String: Any])?.compactMapValues { $0 as? String } ?? [:] }
    var macStates: [String: [String: String]] {
        ((file["derived_by_collector"] as? [String: Any])?["mac_states"] as? [String: Any])?
            .compactMapValues { ($0 as? [String: Any])?.compactMapValues { $0 as? String } } ?? [:]
    }

    func recipientB() throws -> HandshakeRecipient {
        try HandshakeRecipient(
            staticKey: try key(keys["static_key_b"]), ephemeralKey: try key(keys["ephemeral_key_b"]),
            nonce: try Hex.decode(try #require(keys["nonce_b"])))
    }

    @Test func authMessagesDecryptAndParse() throws {
        for auth in try messages("auth") {
            let packet = try Vectors.bytes(auth["packet"])
            let (message, format) = try AuthMessage.decrypt(packet, with: try key(keys["static_key_b"]))
            #expect(format.rawValue == auth["format"] as? String)
            #expect(message.initiatorPublicKey == (try publicKey(keys["static_pub_a"])))
            #expect(message.nonce == (try Hex.decode(try #require(keys["nonce_a"]))))
            #expect(message.signature == (try Hex.decode(try #require(keys["auth_signature"]))))
            #expect(message.version == UInt(try #require(auth["version"] as? Int)))
            let rest = try #require(auth["rest"] as? [String]).map { try Hex.decode($0) }
            #expect(message.extra.map { $0.rlpEncoded() } == rest, "extra elements are kept")
        }
    }

    @Test func ackMessagesDecryptAndParse() throws {
        for ack in try messages("ack") {
            let packet = try Vectors.bytes(ack["packet"])
            let (message, format) = try AckMessage.decrypt(packet, with: try key(keys["static_key_a"]))
            #expect(format.rawValue == ack["format"] as? String)
            #expect(message.ephemeralPublicKey == (try publicKey(keys["ephemeral_pub_b"])))
            #expect(message.nonce == (try Hex.decode(try #require(keys["nonce_b"]))))
            #expect(message.version == UInt(try #require(ack["version"] as? Int)))
            let rest = try #require(ack["rest"] as? [String]).map { try Hex.decode($0) }
            #expect(message.extra.map { $0.rlpEncoded() } == rest)
        }
    }

    /// The recipient machine on each auth: the upstream secrets and ingress-mac("foo").
    @Test func recipientReachesTheUpstreamSecrets() throws {
        for (index, auth) in try messages("auth").enumerated() {
            var recipient = try recipientB()
            var random = rng()
            let packet = try Vectors.bytes(auth["packet"])
            let (ack, result) = try #require(try recipient.receive(packet, random: &random))
            #expect(result.remotePublicKey == (try publicKey(keys["static_pub_a"])))
            #expect(result.remoteFormat.rawValue == auth["format"] as? String)
            #expect(Hex.encode(result.secrets.aesSecret) == upstream["aes_secret"])
            #expect(Hex.encode(result.secrets.macSecret) == upstream["mac_secret"])
            #expect(result.remainder.isEmpty)
            var ingress = result.secrets.ingressMAC
            ingress.update(Array("foo".utf8))
            let pair = "auth\(index + 1)_ack\(index + 1)"
            #expect(Hex.encode(ingress.digest) == macStates[pair]?["recipient_ingress_mac_after_foo"], "\(pair)")
            if index == 1 { #expect(Hex.encode(ingress.digest) == upstream["recipient_ingress_mac_after_foo"]) }
            // Our ack answers in the auth's format and the initiator's key opens it.
            let (reply, format) = try AckMessage.decrypt(ack, with: try key(keys["static_key_a"]))
            #expect(format == result.remoteFormat)
            #expect(reply.ephemeralPublicKey == (try publicKey(keys["ephemeral_pub_b"])))
        }
    }

    /// The initiator machine on each ack: the same secrets, and its ingress MAC matches the derived digest.
    @Test func initiatorReachesTheUpstreamSecrets() throws {
        for (index, ack) in try messages("ack").enumerated() {
            var initiator = try HandshakeInitiator(
                staticKey: try key(keys["static_key_a"]), remotePublicKey: try publicKey(keys["static_pub_b"]),
                ephemeralKey: try key(keys["ephemeral_key_a"]), nonce: try Hex.decode(try #require(keys["nonce_a"])))
            var random = rng()
            _ = initiator.authPacket(random: &random)
            let result = try #require(try initiator.receive(try Vectors.bytes(ack["packet"])))
            #expect(Hex.encode(result.secrets.aesSecret) == upstream["aes_secret"])
            #expect(Hex.encode(result.secrets.macSecret) == upstream["mac_secret"])
            let pair = "auth\(index + 1)_ack\(index + 1)"
            #expect(Hex.encode(result.secrets.ingressMAC.digest) == macStates[pair]?["initiator_ingress_mac_digest"], "\(pair)")
            var ingress = result.secrets.ingressMAC
            ingress.update(Array("foo".utf8))
            #expect(Hex.encode(ingress.digest) == macStates[pair]?["initiator_ingress_mac_after_foo"], "\(pair)")
        }
    }

    /// Secrets rebuilt from the vector's packets give every derived MAC digest, both sides.
    @Test func sessionSecretsFromPacketsMatchEveryDigest() throws {
        let derived = try #require(file["derived_by_collector"] as? [String: Any])
        let ephemeral = try key(keys["ephemeral_key_a"]).sharedSecret(with: try publicKey(keys["ephemeral_pub_b"]))
        #expect(Hex.encode(ephemeral) == derived["ephemeral_shared_secret"] as? String)
        for (index, (auth, ack)) in zip(try messages("auth"), try messages("ack")).enumerated() {
            let pair = "auth\(index + 1)_ack\(index + 1)"
            let secrets = SessionSecrets(
                role: .initiator, ephemeralSecret: ephemeral, initiatorNonce: try Hex.decode(try #require(keys["nonce_a"])),
                recipientNonce: try Hex.decode(try #require(keys["nonce_b"])), authPacket: try Vectors.bytes(auth["packet"]),
                ackPacket: try Vectors.bytes(ack["packet"]))
            #expect(secrets.sharedSecret.map(Hex.encode) == derived["shared_secret"] as? String)
            #expect(Hex.encode(secrets.egressMAC.digest) == macStates[pair]?["initiator_egress_mac_digest"])
            #expect(Hex.encode(secrets.ingressMAC.digest) == macStates[pair]?["initiator_ingress_mac_digest"])
            #expect(Hex.encode(secrets.peer.egressMAC.digest) == macStates[pair]?["recipient_egress_mac_digest"])
            #expect(Hex.encode(secrets.peer.ingressMAC.digest) == macStates[pair]?["recipient_ingress_mac_digest"])
        }
    }

    /// Any split, one byte at a time included, reads the same; the machine never asks past the packet.
    @Test func dripFedAuthGivesTheSameSession() throws {
        for auth in try messages("auth") {
            let packet = try Vectors.bytes(auth["packet"])
            var recipient = try recipientB()
            var random = rng()
            var result: HandshakeResult?
            for (offset, byte) in packet.enumerated() {
                #expect(recipient.bytesNeeded > 0 && recipient.bytesNeeded <= packet.count - offset)
                if let done = try recipient.receive([byte], random: &random) { result = done.result }
                #expect((result != nil) == (offset == packet.count - 1))
            }
            #expect(result.map { Hex.encode($0.secrets.aesSecret) } == upstream["aes_secret"])
        }
    }

    @Test func bytesAfterThePacketAreTheRemainder() throws {
        let packet = try Vectors.bytes(try messages("auth")[1]["packet"])
        var recipient = try recipientB()
        var random = rng()
        let result = try #require(try recipient.receive(packet + [1, 2, 3], random: &random)).result
        #expect(result.remainder == [1, 2, 3])
    }
}

/// aleth's `test_secrets_from_go` (a full legacy handshake) and `test_secrets_cpp_vectors`.
@Suite struct AlethVectorTests {
    @Test func legacyHandshakeFromGo() throws {
        let v = try #require(try Vectors.shared("handshake/cpp_go_secrets.json") as? [String: Any])
        func bytes(_ name: String) throws -> [UInt8] { try Vectors.bytes(v[name]) }
        let auth = try bytes("auth_ciphertext")
        let ack = try bytes("authresp_ciphertext")
        #expect(auth.count == Handshake.legacyAuthSize && ack.count == Handshake.legacyAckSize)
        let (authMessage, authFormat) = try AuthMessage.decrypt(auth, with: try key(v["receiver_private_key"] as? String))
        #expect(authFormat == .legacy)
        #expect(authMessage.nonce == (try bytes("initiator_nonce")))
        #expect(authMessage.initiatorPublicKey.nodeID == (try bytes("initiator_public_key")))
        let (ackMessage, ackFormat) = try AckMessage.decrypt(ack, with: try key(v["initiator_private_key"] as? String))
        #expect(ackFormat == .legacy)
        #expect(ackMessage.nonce == (try bytes("receiver_nonce")))
        #expect(ackMessage.ephemeralPublicKey.nodeID == (try bytes("receiver_ephemeral_public_key")))

        // The recipient machine verifies the legacy signature and ephemeral hash, and reaches the same secrets.
        var recipient = try HandshakeRecipient(
            staticKey: try key(v["receiver_private_key"] as? String),
            ephemeralKey: try key(v["receiver_ephemeral_private_key"] as? String), nonce: try bytes("receiver_nonce"))
        var random = rng()
        let (_, result) = try #require(try recipient.receive(auth, random: &random))
        #expect(result.secrets.aesSecret == (try bytes("aes_secret")))
        #expect(result.secrets.macSecret == (try bytes("mac_secret")))

        let ephemeral = try key(v["initiator_ephemeral_private_key"] as? String)
            .sharedSecret(with: try publicKey(v["receiver_ephemeral_public_key"] as? String))
        #expect(ephemeral == (try bytes("ecdhe_shared_secret")))
        let secrets = SessionSecrets(
            role: .initiator, ephemeralSecret: ephemeral, initiatorNonce: try bytes("initiator_nonce"),
            recipientNonce: try bytes("receiver_nonce"), authPacket: auth, ackPacket: ack)
        #expect(secrets.sharedSecret.map { Keccak256.hash($0) } == (try bytes("token")))
        #expect(secrets.aesSecret == (try bytes("aes_secret")))
        #expect(secrets.macSecret == (try bytes("mac_secret")))
        #expect(secrets.egressMAC.digest == (try bytes("initial_egress_MAC")))
        #expect(secrets.ingressMAC.digest == (try bytes("initial_ingress_MAC")))
    }

    @Test func cppSecretVectors() throws {
        let v = try #require(try Vectors.shared("handshake/cpp_secrets_vectors.json") as? [String: Any])
        func bytes(_ name: String) throws -> [UInt8] { try Vectors.bytes(v[name]) }
        let ephemeral = try key(v["initiator_ephemeral_private_key"] as? String)
            .sharedSecret(with: try key(v["receiver_ephemeral_private_key"] as? String).publicKey)
        #expect(ephemeral == (try bytes("ecdhe_shared_secret")))
        #expect(try key(v["receiver_ephemeral_private_key"] as? String).publicKey.nodeID == (try bytes("receiver_ephemeral_public_key")))
        let secrets = SessionSecrets(
            role: .initiator, ephemeralSecret: ephemeral, initiatorNonce: try bytes("initiator_nonce"),
            recipientNonce: try bytes("receiver_nonce"), authPacket: try bytes("auth_ciphertext"),
            ackPacket: try bytes("authresp_ciphertext"))
        #expect(secrets.sharedSecret == (try bytes("shared_secret")))
        #expect(secrets.sharedSecret.map { Keccak256.hash($0) } == (try bytes("token")))
        #expect(secrets.aesSecret == (try bytes("aes_secret")))
        #expect(secrets.macSecret == (try bytes("mac_secret")))
        #expect(Array(secrets.egressMAC.digest.prefix(16)) == (try bytes("initiator_egress_mac_digest_first16")))
        #expect(Array(secrets.ingressMAC.digest.prefix(16)) == (try bytes("initiator_ingress_mac_digest_first16")))
    }
}
