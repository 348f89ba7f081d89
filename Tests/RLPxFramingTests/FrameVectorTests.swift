// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxTestSupport
import Testing

func hex(_ value: Any?) throws -> [UInt8] { try Vectors.bytes(value) }

/// go-ethereum's TestFrameReadWrite golden frame. Its MAC state is a fake hash whose digest is always 0x01…, so
/// this vector pins the layout and the AES-CTR stream (header at key stream block 0, body at block 1), not the MAC.
@Suite struct GethGoldenFrameTests {
    @Test func layoutAndEncryptionMatch() throws {
        let v = try #require(try Vectors.shared("frame/geth_frame_fake_mac.json") as? [String: Any])
        let golden = try hex(v["golden"])
        let content = try hex(v["frame_content"])
        #expect(golden.count == Frame.wireLength(forSize: content.count))
        // Our sealer with a real MAC produces the same ciphertext; only the MAC fields differ.
        let secret = try hex(v["aes_secret"])
        var sealer = FrameSealer(aesSecret: secret, mac: RLPxMAC(macSecret: try hex(v["mac_secret"]), seed: [], packet: []))
        let sealed = try sealer.seal(content)
        #expect(Array(sealed[0..<16]) == Array(golden[0..<16]), "header ciphertext")
        #expect(Array(sealed[32..<48]) == Array(golden[32..<48]), "frame ciphertext")
        #expect(Array(golden[16..<32]) == [UInt8](repeating: 1, count: 16) && Array(golden[48..<64]) == [UInt8](repeating: 1, count: 16))
        // Reading the golden ciphertext with the same key stream gives the content back.
        var stream = AESCTRStream(key: secret)
        var header = Array(golden[0..<16])
        var body = Array(golden[32..<48])
        stream.apply(to: &header)
        stream.apply(to: &body)
        #expect(header == (try hex((v["derived_by_collector"] as? [String: Any])?["header_plaintext"])))
        #expect(Array(body.prefix(content.count)) == content)
    }
}

/// aleth's two Hello frames from `test_secrets_from_go`: real MACs, both directions, byte for byte.
@Suite struct AlethHelloFrameTests {
    func secrets(_ role: Role) throws -> SessionSecrets {
        let handshake = try #require(try Vectors.shared("handshake/cpp_go_secrets.json") as? [String: Any])
        return SessionSecrets(
            role: role, aesSecret: try hex(handshake["aes_secret"]), macSecret: try hex(handshake["mac_secret"]),
            initiatorNonce: try hex(handshake["initiator_nonce"]), recipientNonce: try hex(handshake["receiver_nonce"]),
            authPacket: try hex(handshake["auth_ciphertext"]), ackPacket: try hex(handshake["authresp_ciphertext"]))
    }

    @Test func helloFramesSealAndOpenExactly() throws {
        let v = try #require(try Vectors.shared("frame/cpp_go_hello_frames.json") as? [String: Any])
        let frames = try #require(v["frames"] as? [[String: Any]])
        #expect(frames.count == 2)
        for frame in frames {
            let fromInitiator = (frame["direction"] as? String)?.hasPrefix("initiator") == true
            let writer = try secrets(fromInitiator ? .initiator : .recipient)
            let packet = try hex(frame["packet"])
            let data = try hex(frame["frame_data"])
            var sealer = FrameSealer(secrets: writer)
            #expect(try sealer.seal(data) == packet, "\(frame["name"] ?? "")")
            #expect(Array(packet[16..<32]) == (try hex(frame["header_mac"])))
            var decoder = FrameDecoder(secrets: writer.peer)
            decoder.append(packet)
            let received = try #require(try decoder.nextFrame())
            #expect(received.data == data)
            #expect(received.header.size == frame["frame_size"] as? Int)
            #expect(Array(received.header.headerData.prefix(3)) == Frame.defaultHeaderData)
            #expect(try decoder.nextFrame() == nil)
        }
    }
}

/// The derived multi-frame sessions on the EIP-8 (Auth₂, Ack₂) secrets: key stream and MAC continue across frames.
@Suite struct DerivedSessionFrameTests {
    func eip8Secrets(_ role: Role) throws -> SessionSecrets {
        let handshake = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        let keys = try #require(handshake["keys"] as? [String: String])
        let packets = { (name: String, id: String) throws -> [UInt8] in
            let list = try #require(handshake[name] as? [[String: Any]])
            return try hex(try #require(list.first { $0["id"] as? String == id })["packet"])
        }
        let v = try #require(try Vectors.shared("frame/derived_eip8_session_frames.json") as? [String: Any])
        return SessionSecrets(
            role: role, aesSecret: try hex(v["aes_secret"]), macSecret: try hex(v["mac_secret"]),
            initiatorNonce: try Hex.decode(try #require(keys["nonce_a"])), recipientNonce: try Hex.decode(try #require(keys["nonce_b"])),
            authPacket: try packets("auth", "auth2"), ackPacket: try packets("ack", "ack2"))
    }

    @Test(arguments: ["recipient_B_to_initiator_A", "initiator_A_to_recipient_B"], [0, 1])
    func framesSealAndOpenInSequence(direction: String, dripFeed: Int) throws {
        let v = try #require(try Vectors.shared("frame/derived_eip8_session_frames.json") as? [String: Any])
        let frames = try #require((v[direction] as? [String: Any])?["frames"] as? [[String: Any]])
        let writer = try eip8Secrets(direction.hasPrefix("recipient") ? .recipient : .initiator)
        var sealer = FrameSealer(secrets: writer)
        var stream: [UInt8] = []
        for frame in frames {
            let sealed = try sealer.seal(try hex(frame["frame_data"]))
            #expect(sealed == (try hex(frame["packet"])), "\(frame["name"] ?? "")")
            stream += sealed
        }
        var decoder = FrameDecoder(secrets: writer.peer)
        var received: [[UInt8]] = []
        if dripFeed == 1 {
            for byte in stream {
                #expect(decoder.bytesNeeded > 0)
                decoder.append([byte])
                while let frame = try decoder.nextFrame() { received.append(frame.data) }
            }
        } else {
            decoder.append(stream)
            while let frame = try decoder.nextFrame() { received.append(frame.data) }
        }
        #expect(received == (try frames.map { try hex($0["frame_data"]) }))
    }
}
