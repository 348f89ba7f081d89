// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

/// The one hex codec: lowercase out (with `0x` when asked), either case in with an optional `0x`, blanks ignored
/// unless refused.
@Suite struct HexTests {
    @Test func encodesWithAndWithoutThePrefix() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.encode([0x00, 0xab, 0xff], prefixed: true) == "0x00abff")
        #expect(Hex.encode([], prefixed: true) == "0x")
    }

    @Test func decodesEitherCaseAndPrefix() throws {
        #expect(try Hex.decode("0xABcd") == [0xab, 0xcd])
        #expect(try Hex.decode("0XabCD", allowingWhitespace: false) == [0xab, 0xcd])
        #expect(try Hex.decode(" ab\ncd ") == [0xab, 0xcd])
    }

    @Test func blanksAreRefusedWhenAsked() {
        for text in [" abcd", "ab cd", "abcd\n", "0x ab"] {
            let error = #expect(throws: Hex.DecodingError.self, "\(text)") { try Hex.decode(text, allowingWhitespace: false) }
            #expect(error?.reason.hasSuffix("is not a hex digit") == true, "\(text)")
        }
        #expect(throws: Hex.DecodingError.self) { try Hex.decode("abc", allowingWhitespace: false) }
    }
}
