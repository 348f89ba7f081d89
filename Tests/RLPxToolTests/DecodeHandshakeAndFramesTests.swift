// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxTestSupport
import Testing

/// `rlpx-tool decode --auth/--ack/--frames` on the EIP-8 vectors and the derived session frames.
@Suite struct DecodeHandshakeAndFramesTests {
    let handshake: [String: Any]
    let keys: [String: String]

    init() throws {
        handshake = try #require(try Vectors.shared("handshake/eip8_handshake.json") as? [String: Any])
        keys = try #require(handshake["keys"] as? [String: String])
    }

    func packet(_ list: String, _ id: String) throws -> String {
        let messages = try #require(handshake[list] as? [[String: Any]])
        return try #require(messages.first { $0["id"] as? String == id }?["packet"] as? String)
    }

    @Test func decodesALegacyAuth() async throws {
        let run = try await Tool.runDetached(["decode", "--auth", "--key", try #require(keys["static_key_b"]), try packet("auth", "auth1")])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first == "auth legacy 307 bytes")
        #expect(lines.contains("  version 4"))
        #expect(lines.contains("  nonce \(try #require(keys["nonce_a"]))"))
        #expect(lines.contains("  ephemeral-public-key \(try #require(keys["ephemeral_pub_a"])) (recovered from the signature)"))
    }

    @Test func decodesAnEIP8AckAsJSON() async throws {
        let run = try await Tool.runDetached(["decode", "--ack", "--json", "--key", try #require(keys["static_key_a"]), try packet("ack", "ack3")])
        #expect(run.status == 0)
        #expect(
            run.stdout.hasPrefix(
                #"{"format":"ack","encoding":"eip8","wireLength":498,"size-prefix":496,"version":57,"ephemeral-public-key":"\#(try #require(keys["ephemeral_pub_b"]))""#
            ))
    }

    @Test func wrongKeyIsAOneLineError() async throws {
        let run = try await Tool.runDetached(["decode", "--auth", "--key", try #require(keys["static_key_a"]), try packet("auth", "auth2")])
        #expect(run.status == 1)
        #expect(run.stderr == "error: decryptionFailed: EIP-8 packet: ECIES message authentication failed\n")
    }

    /// A --key that is no private key is bad usage (64), in decode as in every command that takes one.
    @Test func aBadKeyIsAUsageError() async throws {
        let ack = try packet("ack", "ack3")
        #expect(try await Tool.runDetached(["decode", "--ack", "--key", "zz", ack]).status == 64)
        #expect(try await Tool.runDetached(["decode", "--auth", "--key", "00", ack]).status == 64)
        let enode = "enode://" + String(repeating: "11", count: 64) + "@127.0.0.1:1"
        #expect(try await Tool.runDetached(["ping", "--key", "zz", enode]).status == 64)
    }

    @Test func decodesFramesWithASecretsFile() async throws {
        let frames = try #require(try Vectors.shared("frame/derived_eip8_session_frames.json") as? [String: Any])
        let secrets = SessionSecrets(
            role: .initiator, aesSecret: try Vectors.bytes(frames["aes_secret"]), macSecret: try Vectors.bytes(frames["mac_secret"]),
            initiatorNonce: try Hex.decode(try #require(keys["nonce_a"])), recipientNonce: try Hex.decode(try #require(keys["nonce_b"])),
            authPacket: try Hex.decode(try packet("auth", "auth2")), ackPacket: try Hex.decode(try packet("ack", "ack2")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-secrets-\(UInt32.random(in: 0...UInt32.max))")
        try Data(secrets.text.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let list = try #require((frames["recipient_B_to_initiator_A"] as? [String: Any])?["frames"] as? [[String: Any]])
        let stream = try list.map { try #require($0["packet"] as? String) }.joined()
        let run = try await Tool.runDetached(["decode", "--frames", "--secrets", path.path, "--from", "recipient", stream])
        #expect(run.status == 0, "\(run.stderr)")
        let headers = run.stdout.split(separator: "\n").filter { $0.hasPrefix("frame ") }
        #expect(headers.count == list.count)
        #expect(headers.first?.hasPrefix("frame 0 @0 size=") == true)
        #expect(run.stdout.contains("  message-code 16 (0x10)"))
        // Read as if the initiator had sent them: the MAC fails on the first frame.
        let wrong = try await Tool.runDetached(["decode", "--frames", "--secrets", path.path, "--from", "initiator", stream])
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "error: headerMACMismatch at offset 0: header MAC does not match\n")
    }
}

extension DecodeHandshakeAndFramesTests {
    var session: (secrets: SessionSecrets, auth: String, ack: String, stream: String, count: Int) {
        get throws {
            let frames = try #require(try Vectors.shared("frame/derived_eip8_session_frames.json") as? [String: Any])
            let (auth, ack) = (try packet("auth", "auth2"), try packet("ack", "ack2"))
            let secrets = SessionSecrets(
                role: .initiator, aesSecret: try Vectors.bytes(frames["aes_secret"]), macSecret: try Vectors.bytes(frames["mac_secret"]),
                initiatorNonce: try Hex.decode(try #require(keys["nonce_a"])), recipientNonce: try Hex.decode(try #require(keys["nonce_b"])),
                authPacket: try Hex.decode(auth), ackPacket: try Hex.decode(ack))
            let list = try #require((frames["recipient_B_to_initiator_A"] as? [String: Any])?["frames"] as? [[String: Any]])
            return (secrets, auth, ack, try list.map { try #require($0["packet"] as? String) }.joined(), list.count)
        }
    }

    /// The recipient's first TCP payload: its ack, then its first frames. --ack decodes the packet and hands on the
    /// rest (it failed with '… bytes follow the packet').
    @Test func anAckWithFramesAfterIt() async throws {
        let session = try session
        let run = try await Tool.runDetached(["decode", "--ack", "--key", try #require(keys["static_key_a"]), session.ack + session.stream])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ack eip8 \(session.ack.count / 2) bytes") == true, "\(run.stdout)")
        #expect(lines.contains("then \(session.stream.count / 2) bytes after the packet (frames: decode --frames --from recipient reads them)"))
        #expect(lines.last.map(String.init) == "  " + session.stream)
        let json = try await Tool.runDetached([
            "decode", "--ack", "--json", "--key", try #require(keys["static_key_a"]), session.ack + session.stream,
        ])
        #expect(json.stdout.contains(#""rest":"\#(session.stream)""#))
    }

    /// --frames with a key log line (as --keylog writes it) and the two packets reads like a capture transcript:
    /// messages named by the Hello's capabilities, decompressed after its version 5.
    @Test func framesFromAKeyLogReadLikeATranscript() async throws {
        let session = try session
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-keylog-\(UInt32.random(in: 0...UInt32.max))")
        try Data(("# written by --keylog\n" + KeyLogEntry(secrets: session.secrets).line + "\n").utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let arguments = [
            "decode", "--frames", "--keylog", path.path, "--auth-packet", session.auth, "--ack-packet", session.ack, "--from", "recipient",
        ]
        let run = try await Tool.runDetached(arguments + [session.stream])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("frame ") }.count == session.count)
        #expect(lines.contains("  p2p Hello 105 B swift-devp2p-vectors v5 caps eth/68,snap/1"), "\(run.stdout)")
        #expect(lines.contains("  p2p Ping 1 B"), "\(run.stdout)")
        // As the README shows it.
        #expect(
            Array(lines.prefix(6)) == [
                "frame 0 @0 size=106 header-data=c28080", "  message-code 0 (0x0)", "  p2p Hello 105 B swift-devp2p-vectors v5 caps eth/68,snap/1",
                "frame 1 @160 size=4 header-data=c28080", "  message-code 2 (0x2) snappy", "  p2p Ping 1 B",
            ])
        #expect(lines.contains { $0.hasPrefix("  eth/68 Status 16 B malformed: ") }, "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("  p2p Disconnect 2 B reason 8 ") }, "\(run.stdout)")
        // Another session's auth packet has no line in the key log: one line saying so.
        let other = try await Tool.runDetached([
            "decode", "--frames", "--keylog", path.path, "--auth-packet", try packet("auth", "auth3"), "--ack-packet", session.ack, session.stream,
        ])
        #expect(other.status == 1 && other.stderr.contains("has no line for this auth packet"), "\(other.stderr)")
        #expect(try await Tool.runDetached(["decode", "--frames", "--keylog", path.path, session.stream]).status == 64)
    }
}

extension DecodeHandshakeAndFramesTests {
    /// A frame whose message code is a canonical 8-byte integer above 2⁶³ is read, not a crash (JSON trapped
    /// converting it to Int): the code is a decimal string, by the JSON integer rule.
    @Test func aMessageCodeAbove2To63IsReadNotATrap() async throws {
        let session = try session
        var sealer = FrameSealer(secrets: session.secrets)
        let frame = try sealer.seal([0x88] + [UInt8](repeating: 0xff, count: 8) + [0xc0])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-secrets-\(UInt32.random(in: 0...UInt32.max))")
        try Data(session.secrets.text.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let run = try await Tool.runDetached(["decode", "--frames", "--json", "--secrets", path.path, "--from", "initiator", Hex.encode(frame)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""messageCode":"18446744073709551615""#), "\(run.stdout.prefix(300))")
    }
}

/// `rlpx-tool decode --message`.
@Suite struct DecodeMessageTests {
    @Test func namesBaseProtocolMessages() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "01c104"])
        #expect(run.status == 0)
        #expect(
            run.stdout
                == "message code=1 protocol=p2p local-code=1 Disconnect\n  reason 4 (too many peers)\n  list @0 header=1 payload=1\n    byte @1 04 uint=4\n"
        )
    }

    @Test func mapsSubprotocolCodesAndDecompresses() async throws {
        // snap GetByteCodes [1, [], 0] at wire code 16 + 17 + 4, as one snappy literal.
        let run = try await Tool.runDetached(["decode", "--message", "--caps", "eth/68:17,snap/1:8", "--snappy", "25040cc301c080"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "message code=37 protocol=snap/1 local-code=4 GetByteCodes id=1 hashes=0 bytes=0\n  hashes []\n  responseBytes 0\n")
    }

    @Test func codeOutsideEveryRangeIsSaid() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "--caps", "eth/68:17", "--json", "2ac0"])
        #expect(run.stdout.hasPrefix(#"{"format":"message","code":42,"protocol":null,"version":null,"localCode":null,"name":null"#))
    }

    @Test func badCapsAreAUsageError() async throws {
        let run = try await Tool.runDetached(["decode", "--message", "--caps", "eth68", "02c0"])
        #expect(run.status == 64)
    }
}
