// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// `Vectors/rlp/pyrlp_random.json`: random trees across every length boundary, encoded by Python's `rlp`.
@Suite struct PyRLPCrossCheckTests {
    static func item(_ json: Any) throws -> RLPItem {
        if let list = json as? [Any] { return .list(try list.map(item)) }
        return .bytes(try Vectors.bytes(json))
    }

    @Test func encoderAndDecoderAgreeWithPyRLP() throws {
        let file = try #require(try Vectors.project("rlp/pyrlp_random.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count > 250)
        for (index, testCase) in cases.enumerated() {
            let item = try Self.item(try #require(testCase["item"]))
            let encoded = try Vectors.bytes(testCase["encoded"])
            #expect(item.rlpEncoded() == encoded, "case \(index): encoding")
            #expect(try RLPItem(rlpEncoded: encoded) == item, "case \(index): decoding")
            try RLP.validate(encoded)
        }
    }

    @Test func integersAgreeWithPyRLP() throws {
        let file = try #require(try Vectors.project("rlp/pyrlp_random.json") as? [String: Any])
        let cases = try #require(file["integers"] as? [[String: String]])
        for testCase in cases {
            let text = try #require(testCase["value"])
            let value = try #require(BigUInt(text))
            let encoded = try Vectors.bytes(testCase["encoded"])
            #expect(value.rlpEncoded() == encoded, "\(testCase)")
            #expect(try BigUInt(rlpEncoded: encoded) == value, "\(testCase)")
            if value.bigEndianBytes.count <= 32 {
                let wide = try #require(UInt256(value))
                #expect(wide.rlpEncoded() == encoded, "\(testCase)")
                #expect(try UInt256(rlpEncoded: encoded) == wide, "\(testCase)")
            } else {
                #expect(throws: RLPError.integerOverflow) { try UInt256(rlpEncoded: encoded) }
            }
            if let small = UInt64(value.description) {
                #expect(small.rlpEncoded() == encoded, "\(testCase)")
                #expect(try UInt64(rlpEncoded: encoded) == small, "\(testCase)")
            } else {
                #expect(throws: RLPError.integerOverflow) { try UInt64(rlpEncoded: encoded) }
            }
        }
    }
}
