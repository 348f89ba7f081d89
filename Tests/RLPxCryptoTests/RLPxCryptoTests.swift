// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxTestSupport
import Testing

@Suite struct ECIESVectorTests {
    static func file() throws -> [String: Any] {
        try #require(try Vectors.shared("handshake/ecies_vectors.json") as? [String: Any])
    }

    @Test func concatKDF() throws {
        let cases = try #require(try Self.file()["concat_kdf_sha256"] as? [[String: Any]])
        #expect(cases.count == 6)
        for testCase in cases {
            let length = try #require(testCase["length"] as? Int)
            let output = ConcatKDF.derive(z: try Vectors.bytes(testCase["z"]), s1: try Vectors.bytes(testCase["s1"]), length: length)
            #expect(output == (try Vectors.bytes(testCase["output"])), "\(testCase)")
        }
    }

    @Test func ecdhReturnsTheRawXCoordinate() throws {
        let cases = try #require(try Self.file()["ecdh_x"] as? [[String: Any]])
        #expect(cases.count == 3)
        for testCase in cases {
            let key = try Secp256k1.PrivateKey(rawRepresentation: try Vectors.bytes(testCase["private_key"]))
            let peer = try Secp256k1.PublicKey(try Vectors.bytes(testCase["public_key"]))
            #expect(try key.sharedSecret(with: peer) == (try Vectors.bytes(testCase["shared_x"])), "\(testCase)")
        }
    }

    @Test func eciesDecrypt() throws {
        let cases = try #require(try Self.file()["ecies_decrypt"] as? [[String: Any]])
        #expect(cases.count == 4)
        for testCase in cases {
            let key = try Secp256k1.PrivateKey(rawRepresentation: try Vectors.bytes(testCase["private_key"]))
            let message = try Vectors.bytes(testCase["ciphertext"])
            let s2 = try Vectors.bytes(testCase["s2"])
            #expect(try ECIES.open(message, with: key, sharedMACData: s2) == (try Vectors.bytes(testCase["plaintext"])))
        }
    }
}

@Suite struct Secp256k1Tests {
    static func eip8Keys() throws -> [String: String] {
        let file = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        return try #require(file["keys"] as? [String: String])
    }

    @Test func derivesTheEIP8PublicKeys() throws {
        let keys = try Self.eip8Keys()
        for (secret, publicName) in [
            ("static_key_a", "static_pub_a"), ("static_key_b", "static_pub_b"),
            ("ephemeral_key_a", "ephemeral_pub_a"), ("ephemeral_key_b", "ephemeral_pub_b"),
        ] {
            let key = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(try #require(keys[secret])))
            #expect(key.publicKey.nodeID == (try Hex.decode(try #require(keys[publicName]))), "\(secret)")
        }
    }

    /// The EIP-8 auth signature signs static-shared-secret ⊕ nonce-a with ephemeral key A and recovers to it.
    @Test func eip8AuthSignatureRecoversTheEphemeralKey() throws {
        let keys = try Self.eip8Keys()
        let file = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        let derived = try #require(file["derived_by_collector"] as? [String: Any])
        let a = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(try #require(keys["static_key_a"])))
        let b = try Secp256k1.PublicKey(try Hex.decode(try #require(keys["static_pub_b"])))
        let shared = try a.sharedSecret(with: b)
        #expect(shared == (try Vectors.bytes(derived["static_shared_secret"])))
        let nonce = try Hex.decode(try #require(keys["nonce_a"]))
        let message = zip(shared, nonce).map { $0 ^ $1 }
        let signature = try Hex.decode(try #require(keys["auth_signature"]))
        let recovered = try Secp256k1.PublicKey(recoveringFrom: signature, digest: message)
        #expect(recovered.nodeID == (try Hex.decode(try #require(keys["ephemeral_pub_a"]))))
        let ephemeral = try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode(try #require(keys["ephemeral_key_a"])))
        // Upstream signed with a random nonce; ours (RFC 6979) differs but recovers to the same key, and repeats.
        let ours = try ephemeral.signature(forDigest: message)
        #expect(try Secp256k1.PublicKey(recoveringFrom: ours, digest: message) == ephemeral.publicKey)
        #expect(try ephemeral.signature(forDigest: message) == ours)
    }

    @Test func rejectsInvalidKeys() throws {
        #expect(throws: CryptoError.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CryptoError.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0xff, count: 32)) }
        #expect(throws: CryptoError.invalidPrivateKey) { try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        // (1, 1) is not on the curve.
        let offCurve = [UInt8](repeating: 0, count: 31) + [1] + [UInt8](repeating: 0, count: 31) + [1]
        #expect(throws: CryptoError.invalidPublicKey) { try Secp256k1.PublicKey(offCurve) }
        #expect(throws: CryptoError.invalidPublicKey) { try Secp256k1.PublicKey([UInt8](repeating: 1, count: 63)) }
        #expect(throws: CryptoError.invalidSignature) {
            try Secp256k1.PublicKey(recoveringFrom: [UInt8](repeating: 0, count: 65), digest: [UInt8](repeating: 1, count: 32))
        }
    }
}

@Suite struct ECIESTests {
    let recipient = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
    let ephemeral = try! Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x22, count: 32))
    let iv = [UInt8](repeating: 0x33, count: 16)

    @Test func sealThenOpen() throws {
        let message = try ECIES.seal(Array("hello".utf8), to: recipient.publicKey, ephemeralKey: ephemeral, iv: iv, sharedMACData: [0, 5])
        #expect(message.count == 5 + ECIES.overhead)
        #expect(try ECIES.open(message, with: recipient, sharedMACData: [0, 5]) == Array("hello".utf8))
        #expect(throws: CryptoError.eciesTagMismatch) { try ECIES.open(message, with: recipient, sharedMACData: [0, 6]) }
    }

    @Test func rejectsTamperingTruncationAndOffCurveKeys() throws {
        let message = try ECIES.seal(Array("hello".utf8), to: recipient.publicKey, ephemeralKey: ephemeral, iv: iv)
        for index in [70, 81, message.count - 1] {
            var tampered = message
            tampered[index] ^= 1
            #expect(throws: CryptoError.eciesTagMismatch) { try ECIES.open(tampered, with: recipient) }
        }
        #expect(throws: CryptoError.eciesTruncated) { try ECIES.open(message.prefix(ECIES.overhead - 1), with: recipient) }
        var offCurve = message
        offCurve[64] ^= 1  // the ephemeral key's last Y byte: no longer on the curve
        #expect(throws: CryptoError.invalidPublicKey) { try ECIES.open(offCurve, with: recipient) }
        let wrongKey = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x44, count: 32))
        #expect(throws: CryptoError.eciesTagMismatch) { try ECIES.open(message, with: wrongKey) }
    }
}

@Suite struct ECIESMisuseTests {
    @Test func anIVThatIsNot16BytesIsAnError() throws {
        var random = SeededRandom(seed: 4)
        let key = Secp256k1.PrivateKey.random(using: &random)
        #expect(throws: CryptoError.invalidArgument) {
            _ = try ECIES.seal([1, 2, 3], to: key.publicKey, ephemeralKey: .random(using: &random), iv: [0, 1])
        }
    }
}

/// Two MACs advanced in lockstep (``RLPxMAC/bodies(_:_:_:_:)``) give the tags and states of each advanced alone.
@Suite struct RLPxMACLockstepTests {
    private func mac(_ random: inout SeededRandom, absorbed: Int) -> RLPxMAC {
        var mac = RLPxMAC(macSecret: random.bytes(32), seed: random.bytes(32), packet: random.bytes(200))
        mac.update(random.bytes(absorbed))
        return mac
    }

    @Test func lockstepEqualsOneByOne() {
        var random = SeededRandom(seed: 77)
        let sizes = [0, 16, 32, 64, 80, 96, 112, 128, 144, 256, 1024, 4096]
        for absorbedA in [0, 1, 100, 119, 120, 121, 135] {
            for (index, sizeA) in sizes.enumerated() {
                let sizeB = sizes[(index * 7 + absorbedA) % sizes.count]
                var a = mac(&random, absorbed: absorbedA)
                var b = mac(&random, absorbed: (absorbedA * 3) % 136)
                let headerA = random.bytes(16)
                let headerB = random.bytes(16)
                let bodyA = random.bytes(sizeA)
                let bodyB = random.bytes(sizeB)
                a.header(headerA)
                b.header(headerB)
                var soloA = a
                var soloB = b
                // Header MAC and frame MAC of A, then of B, 16 bytes each.
                var expected = [UInt8](repeating: 0, count: 64)
                var actual = expected
                expected.withUnsafeMutableBytes { tags in
                    bodyA.withUnsafeBytes { soloA.body($0, tag: slice(tags, 1), headerTag: slice(tags, 0)) }
                    bodyB.withUnsafeBytes { soloB.body($0, tag: slice(tags, 3), headerTag: slice(tags, 2)) }
                }
                actual.withUnsafeMutableBytes { tags in
                    bodyA.withUnsafeBytes { bodyA in
                        bodyB.withUnsafeBytes { bodyB in
                            RLPxMAC.bodies(
                                &a, .init(body: bodyA, headerTag: slice(tags, 0), tag: slice(tags, 1)),
                                &b, .init(body: bodyB, headerTag: slice(tags, 2), tag: slice(tags, 3)))
                        }
                    }
                }
                #expect(actual == expected, "sizes \(sizeA), \(sizeB) after \(absorbedA)")
                // Both go on from the same state: the next frame's MACs agree too.
                #expect(a.digest == soloA.digest && b.digest == soloB.digest)
                a.header(headerB)
                soloA.header(headerB)
                #expect(a.digest == soloA.digest)
            }
        }
    }
}

/// The `index`th 16-byte tag of `tags`.
private func slice(_ tags: UnsafeMutableRawBufferPointer, _ index: Int) -> UnsafeMutableRawBufferPointer {
    UnsafeMutableRawBufferPointer(rebasing: tags[(16 * index)..<(16 * index + 16)])
}

extension RLPxMAC {
    /// Absorbs a header ciphertext (its MAC is not needed here).
    fileprivate mutating func header(_ ciphertext: [UInt8]) {
        ciphertext.withUnsafeBytes { absorbHeader($0) }
    }
}
