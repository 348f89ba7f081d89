// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxMultiplexing
import RLPxTestSupport
import Testing

@Suite struct BaseMessageTests {
    static func file() throws -> [String: Any] { try #require(try Vectors.shared("messages/base_messages.json") as? [String: Any]) }

    @Test func hellosDecodeAndReEncode() throws {
        let hellos = try #require(try Self.file()["hello"] as? [[String: Any]])
        #expect(hellos.count == 3)
        for entry in hellos {
            let payload = try Vectors.bytes(entry["payload_rlp"])
            let decoded = try #require(entry["decoded"] as? [String: Any])
            let hello = try Hello(rlpEncoded: payload)
            #expect(hello.protocolVersion == UInt64(try #require(decoded["protocolVersion"] as? Int)))
            #expect(hello.clientID == decoded["clientId"] as? String)
            let caps = try #require(decoded["capabilities"] as? [[Any]]).map {
                Capability(name: try #require($0[0] as? String), version: UInt(try #require($0[1] as? Int)))
            }
            #expect(hello.capabilities == caps)
            #expect(hello.listenPort == UInt64(try #require(decoded["listenPort"] as? Int)))
            #expect(hello.nodeID == (try Vectors.bytes(decoded["nodeId"])))
            let rest = try #require(decoded["rest"] as? [String]).map { try Hex.decode($0) }
            #expect(hello.extra.map { $0.rlpEncoded() } == rest, "extra elements kept")
            #expect(hello.rlpEncoded() == payload, "re-encodes byte for byte")
        }
    }

    @Test func everyReasonHasItsEncoding() throws {
        let reasons = try #require((try Vectors.shared("messages/disc_reasons.json") as? [String: Any])?["reasons"] as? [[String: Any]])
        let encodings = try #require((try Self.file()["derived_encodings"] as? [String: Any])?["disconnect"] as? [[String: Any]])
        for entry in reasons {
            let reason = DisconnectReason(rawValue: UInt8(try #require(entry["code"] as? Int)))
            #expect(reason.isKnown == (entry["spec_meaning"] is String), "\(entry)")
            if let encoding = encodings.first(where: { $0["reason"] as? Int == Int(reason.rawValue) }) {
                #expect(reason.payload == (try Vectors.bytes(encoding["payload_rlp"])))
                #expect(DisconnectReason(payload: reason.payload) == reason)
            }
        }
        #expect(DisconnectReason.known.count == 13)
    }

    @Test func disconnectDecodingIsLenientLikeGeth() throws {
        let cases = try #require((try Self.file()["disconnect_decoding"] as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(cases.count == 10)
        for entry in cases {
            let payload = try Vectors.bytes(entry["payload_rlp"])
            #expect(DisconnectReason(payload: payload).rawValue == UInt8(try #require(entry["reason"] as? Int)), "\(entry)")
        }
    }
}
