// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// ethereum/tests `RLPTests`: every valid case both ways, every invalid case rejected.
@Suite struct EthereumTestsVectorTests {
    /// The `in` value of an ethereum/tests case as an item: numbers and `#decimal` are canonical integers.
    static func item(_ value: Any) throws -> RLPItem {
        switch value {
        case let list as [Any]: return .list(try list.map(item))
        case let text as String where text.hasPrefix("#"):
            let number = try #require(BigUInt(text.dropFirst()), "bad big integer \(text)")
            return .bytes(number.bigEndianBytes)
        case let text as String: return .bytes(Array(text.utf8))
        case let number as Int: return .bytes(BigUInt(UInt64(number)).bigEndianBytes)
        default: throw Vectors.MissingVectors(description: "unexpected value \(value)")
        }
    }

    @Test func validCasesEncodeAndDecodeBothWays() throws {
        let cases = try #require(try Vectors.shared("rlp/rlptest.json") as? [String: [String: Any]])
        #expect(cases.count == 28)
        for (name, testCase) in cases.sorted(by: { $0.key < $1.key }) {
            let expected = try Vectors.bytes(testCase["out"])
            let value = try Self.item(try #require(testCase["in"]))
            #expect(value.rlpEncoded() == expected, "\(name): encoding")
            #expect(try RLPItem(rlpEncoded: expected) == value, "\(name): decoding")
            #expect(throws: Never.self, "\(name): validation") { try RLP.validate(expected) }
            if let number = testCase["in"] as? Int {
                #expect(UInt64(number).rlpEncoded() == expected, "\(name): UInt64 encoding")
                #expect(try UInt64(rlpEncoded: expected) == UInt64(number), "\(name): UInt64 decoding")
            }
            if let text = testCase["in"] as? String, text.hasPrefix("#") {
                let number = try #require(BigUInt(text.dropFirst()))
                #expect(number.rlpEncoded() == expected, "\(name): BigUInt encoding")
                #expect(try BigUInt(rlpEncoded: expected) == number, "\(name): BigUInt decoding")
                #expect(number.description == String(text.dropFirst()), "\(name): decimal round trip")
            }
        }
    }

    @Test func invalidCasesAreRejected() throws {
        let cases = try #require(try Vectors.shared("rlp/invalidRLPTest.json") as? [String: [String: Any]])
        #expect(cases.count == 26)
        for (name, testCase) in cases.sorted(by: { $0.key < $1.key }) {
            #expect(testCase["in"] as? String == "INVALID")
            let input = try Vectors.bytes(testCase["out"])
            #expect(thrownCode { try RLP.validate(input) } != nil, "\(name) must be rejected by validate")
            #expect(thrownCode { _ = try RLPItem(rlpEncoded: input) } != nil, "\(name) must be rejected by decoding")
        }
    }

    @Test func randomExampleIsValid() throws {
        let cases = try #require(try Vectors.shared("rlp/RandomRLPTests/example.json") as? [String: [String: Any]])
        for (_, testCase) in cases {
            #expect(testCase["in"] as? String == "VALID")
            let input = try Vectors.bytes(testCase["out"])
            try RLP.validate(input)
            #expect(try RLPItem(rlpEncoded: input).rlpEncoded() == input)
        }
    }
}
