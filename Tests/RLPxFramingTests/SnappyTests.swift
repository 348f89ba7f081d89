// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxFraming
import RLPxTestSupport
import Testing

@Suite struct SnappyTests {
    @Test func golangDecodeTable() throws {
        let file = try #require(try Vectors.shared("snappy/decode_block.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count == 33)
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            if testCase["error"] != nil {
                #expect(throws: FramingError.snappyCorrupt, "\(testCase["description"] ?? "")") { try Snappy.decompress(input) }
            } else {
                #expect(try Snappy.decompress(input) == (try Vectors.bytes(testCase["output"])), "\(testCase["description"] ?? "")")
            }
        }
    }

    @Test(arguments: ["Isaac.Newton-Opticks.txt", "copy4.txt"]) func goldenPairs(name: String) throws {
        let text = [UInt8](try Vectors.sharedData("snappy/\(name)"))
        let compressed = [UInt8](try Vectors.sharedData("snappy/\(name == "copy4.txt" ? "copy4" : name).rawsnappy"))
        #expect(try Snappy.decompress(compressed) == text)
        #expect(try Snappy.decompress(Snappy.compress(text)) == text)
    }

    @Test func roundTripsRandomAndRepetitiveData() throws {
        var random = SeededRandom(seed: 4)
        for size in [0, 1, 100, 65536, 1 << 20] {
            let noise = random.bytes(size)
            #expect(try Snappy.decompress(Snappy.compress(noise)) == noise)
            let text = [UInt8]((0..<size).map { UInt8(0x61 + $0 % 7) })
            let compressed = Snappy.compress(text)
            #expect(size < 100 || compressed.count < size / 4)
            #expect(try Snappy.decompress(compressed) == text)
        }
    }

    /// A tiny block that declares 16 MiB − 1 decodes as far as the limit allows and is refused above it, before
    /// anything of that size is allocated.
    @Test func declaredLengthIsCheckedFirst() throws {
        let bomb: [UInt8] = [0xff, 0xff, 0xff, 0x07, 0x00, 0x00]  // declares 16,777,215 bytes
        #expect(try Snappy.declaredLength(bomb) == Snappy.maximumDecompressedLength)
        #expect(throws: FramingError.snappyCorrupt) { try Snappy.decompress(bomb) }
        let over: [UInt8] = [0x80, 0x80, 0x80, 0x08, 0x00]  // declares 16 MiB
        #expect(throws: FramingError.snappyTooLarge) { try Snappy.decompress(over) }
        #expect(throws: FramingError.snappyTooLarge) { try Snappy.decompress(Snappy.compress([1, 2, 3]), maximumLength: 2) }
    }
}

@Suite struct MessageTests {
    @Test func frameDataExamples() throws {
        let file = try #require(try Vectors.shared("messages/base_messages.json") as? [String: Any])
        let examples = try #require((file["derived_encodings"] as? [String: Any])?["frame_data_examples"] as? [[String: Any]])
        for example in examples {
            let data = try Vectors.bytes(example["frame_data"])
            let compressed = (example["name"] as? String)?.contains("snappy") == true
            let message = try Message(frameData: data, compressed: compressed)
            #expect(message.frameData(compressed: compressed) == data, "\(example["name"] ?? "")")
        }
        #expect(Message(code: 2, payload: [0xc0]).frameData(compressed: true) == [0x02, 0x01, 0x00, 0xc0])
    }

    @Test func derivedSessionPayloadsDecompress() throws {
        let file = try #require(try Vectors.shared("frame/derived_eip8_session_frames.json") as? [String: Any])
        for direction in ["recipient_B_to_initiator_A", "initiator_A_to_recipient_B"] {
            for frame in try #require((file[direction] as? [String: Any])?["frames"] as? [[String: Any]]) {
                let message = try Message(frameData: try Vectors.bytes(frame["frame_data"]), compressed: frame["snappy"] as? Bool == true)
                #expect(message.code == UInt64(try #require(frame["msg_code"] as? Int)))
                #expect(message.payload == (try Vectors.bytes(frame["payload_rlp"])))
            }
        }
    }

    /// One-byte codes (the fast path) and longer ones (the reader) decode to the codes they encode.
    @Test func readsCodesOfEveryLength() throws {
        for code: UInt64 in [0, 1, 0x10, 0x7f, 0x80, 0xff, 0x1234, .max] {
            let message = Message(code: code, payload: [0xc1, 0x01])
            #expect(try Message(frameData: message.frameData(compressed: false), compressed: false) == message, "code \(code)")
        }
    }

    @Test func rejectsBadCodesAndCompression() throws {
        #expect(throws: FramingError.invalidMessageCode) { try Message(frameData: [0x81, 0x05, 0xc0], compressed: false) }
        #expect(throws: FramingError.invalidMessageCode) { try Message(frameData: [], compressed: false) }
        // A zero byte is not an RLP integer (zero is 0x80), and a list is not one either.
        #expect(throws: FramingError.invalidMessageCode) { try Message(frameData: [0x00, 0xc0], compressed: false) }
        #expect(throws: FramingError.invalidMessageCode) { try Message(frameData: [0xc0], compressed: false) }
        #expect(throws: FramingError.invalidCompression) { try Message(frameData: [0x10, 0xff], compressed: true) }
    }
}
