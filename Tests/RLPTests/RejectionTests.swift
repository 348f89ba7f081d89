// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

/// One rejection per rule, each with the offset it must report.
@Suite struct RejectionTests {
    /// Decodes `hex` as a generic item and returns the error's code and offset.
    static func reject(_ hex: String) throws -> (RLPError.Code, Int?) {
        let bytes = try Hex.decode(hex)
        do throws(RLPError) {
            _ = try RLPItem(rlpEncoded: bytes)
        } catch {
            return (error.code, error.offset)
        }
        Issue.record("\(hex) was accepted")
        return (.unexpectedEnd, nil)
    }

    @Test func rejectsEmptyInput() throws { #expect(try Self.reject("") == (.unexpectedEnd, 0)) }
    @Test func rejectsSingleByteWrappedAsString() throws { #expect(try Self.reject("c3018142") == (.nonCanonicalSize, 2)) }
    @Test func rejectsLongFormForShortLength() throws { #expect(try Self.reject("c4b8020102") == (.nonCanonicalSize, 1)) }
    @Test func rejectsLongListFormForShortLength() throws { #expect(try Self.reject("f80180") == (.nonCanonicalSize, 0)) }
    @Test func rejectsLeadingZeroInLength() throws {
        #expect(try Self.reject("b90040" + String(repeating: "00", count: 64)) == (.nonCanonicalSize, 0))
    }
    @Test func rejectsLengthPastInput() throws { #expect(try Self.reject("83646f") == (.valueTooLarge, 0)) }
    @Test func rejectsHugeDeclaredLengthWithoutAllocating() throws {
        #expect(try Self.reject("bfffffffffffffffff") == (.valueTooLarge, 0))
        #expect(try Self.reject("ffffffffffffffffff00") == (.valueTooLarge, 0))
    }
    @Test func rejectsElementPastItsList() throws { #expect(try Self.reject("c2830102") == (.elementTooLarge, 1)) }
    @Test func rejectsTrailingBytes() throws { #expect(try Self.reject("c08080") == (.trailingBytes, 1)) }

    @Test func rejectsNestingPastTheLimit() throws {
        let depth = RLP.maximumDepth + 1
        // Lists of lists, each header sized for what it holds.
        var encoded: [UInt8] = [0xc0]
        for _ in 1..<depth { encoded = RLPWriter.encode { $0.writeList { $0.write(encoded: encoded) } } }
        #expect(throws: RLPError.nestingTooDeep) { try RLP.validate(encoded) }
        #expect(throws: RLPError.nestingTooDeep) { try RLPItem(rlpEncoded: encoded) }
        let allowed = Array(encoded.drop(while: { $0 != 0xf9 && $0 != 0xf8 && $0 < 0xc0 }))
        #expect(allowed == encoded)
    }

    @Test func acceptsNestingAtTheLimit() throws {
        var encoded: [UInt8] = [0xc0]
        for _ in 1..<RLP.maximumDepth { encoded = RLPWriter.encode { $0.writeList { $0.write(encoded: encoded) } } }
        try RLP.validate(encoded)
        #expect(try RLPItem(rlpEncoded: encoded).rlpEncoded() == encoded)
    }

    @Test func rejectsNonCanonicalIntegers() throws {
        #expect(throws: RLPError.nonCanonicalInteger) { try UInt64(rlpEncoded: [0x00]) }
        #expect(throws: RLPError.nonCanonicalInteger) { try UInt64(rlpEncoded: [0x82, 0x00, 0x01]) }
        #expect(throws: RLPError.nonCanonicalInteger) { try BigUInt(rlpEncoded: [0x82, 0x00, 0x01]) }
        #expect(throws: RLPError.integerOverflow) { try UInt8(rlpEncoded: [0x82, 0x01, 0x00]) }
        #expect(throws: RLPError.integerOverflow) { try UInt16(rlpEncoded: [0x83, 0x01, 0x00, 0x00]) }
        #expect(throws: RLPError.expectedBytes) { try UInt32(rlpEncoded: [0xc0]) }
    }

    @Test func rejectsInvalidBooleansAndText() throws {
        #expect(throws: RLPError.invalidBool) { try Bool(rlpEncoded: [0x02]) }
        #expect(throws: RLPError.invalidBool) { try Bool(rlpEncoded: [0x00]) }
        #expect(throws: RLPError.invalidUTF8) { try String(rlpEncoded: [0x82, 0xc3, 0x28]) }
        #expect(try String(rlpEncoded: [0x82, 0xc3, 0xa9]) == "é")
    }

    @Test func rejectsWrongFixedSizes() throws {
        #expect(throws: RLPError.wrongByteCount) { try InlineArray<4, UInt8>(rlpEncoded: [0x83, 1, 2, 3]) }
        #expect(throws: RLPError.tooFewElements) { try InlineArray<3, UInt64>(rlpEncoded: [0xc2, 1, 2]) }
        #expect(throws: RLPError.tooManyElements) { try InlineArray<1, UInt64>(rlpEncoded: [0xc2, 1, 2]) }
        #expect(throws: RLPError.expectedList) { try [UInt64](rlpEncoded: [0x82, 1, 2]) }
    }

    @Test func errorsDescribeRuleAndOffset() throws {
        do throws(RLPError) {
            _ = try RLPItem(rlpEncoded: [0xc3, 0x01, 0x81, 0x42])
            Issue.record("accepted")
        } catch {
            #expect(error.description == "RLPError.nonCanonicalSize: single byte below 0x80 wrapped as a string at offset 2 in field [1]")
        }
    }
}
