// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

/// Items of an exact encoded size (send's and load's --size): sizes come from the encoder's header lengths, not a
/// hand-written ladder (which made 57 bytes 56, 258 bytes 257 and 65,539 bytes 65,538).
@Suite struct FillerTests {
    static let gaps: Set = [57, 258, 65539, 16_777_220]

    @Test func everySizeAnItemHasIsExact() {
        var random = SystemRandomNumberGenerator()
        let sizes = Array(1...300) + Array(65_500...65_600) + [1 << 20]
        for size in sizes {
            let item = RLPItem.filler(encodedSize: size, using: &random)
            if Self.gaps.contains(size) {
                #expect(item == nil, "\(size)")
            } else {
                #expect(item?.rlpEncoded().count == size, "\(size)")
            }
        }
    }

    /// The no-size gaps are where the header grows: the item just below and just above them exist.
    @Test func gapsAreWhereTheHeaderGrows() {
        for gap in Self.gaps {
            #expect(RLPWriter.byteStringLength(encodedSize: gap) == nil)
            #expect(
                RLPWriter.headerLength(forPayload: RLPWriter.byteStringLength(encodedSize: gap + 1) ?? 0)
                    == RLPWriter.headerLength(forPayload: RLPWriter.byteStringLength(encodedSize: gap - 1) ?? 0) + 1)
        }
    }

    /// A two-byte item's one payload byte is 0x80 or above (below, it would be its own one-byte encoding).
    @Test func aTwoByteItemIsAStringOfOneHighByte() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<64 {
            let encoded = RLPItem.filler(encodedSize: 2, using: &random)?.rlpEncoded()
            #expect(encoded?.count == 2 && encoded?[0] == 0x81 && (encoded?[1] ?? 0) >= 0x80)
        }
    }

    @Test func noItemIsSmallerThanOneByte() {
        var random = SystemRandomNumberGenerator()
        #expect(RLPItem.filler(encodedSize: 0, using: &random) == nil)
        #expect(RLPItem.filler(encodedSize: -5, using: &random) == nil)
    }
}
