// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// Random trees encode and decode back; decoding canonical input and re-encoding reproduces it.
@Suite struct RoundTripTests {
    static func randomItem(_ random: inout SeededRandom, depth: Int) -> RLPItem {
        if depth == 0 || Int.random(in: 0..<3, using: &random) == 0 {
            let sizes = [0, 1, 1, 2, 55, 56, 57, 255, 256, Int.random(in: 0..<80, using: &random)]
            let size = sizes[Int.random(in: 0..<sizes.count, using: &random)]
            return .bytes(random.bytes(size))
        }
        return .list((0..<Int.random(in: 0..<5, using: &random)).map { _ in randomItem(&random, depth: depth - 1) })
    }

    @Test(arguments: 0..<20) func randomTreesRoundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        for _ in 0..<50 {
            let item = Self.randomItem(&random, depth: 5)
            let encoded = item.rlpEncoded()
            try RLP.validate(encoded)
            let decoded = try RLPItem(rlpEncoded: encoded)
            #expect(decoded == item)
            #expect(decoded.rlpEncoded() == encoded)
            #expect(try RLP.countValues(encoded + encoded) == 2)
        }
    }

    @Test func integersRoundTripAtEveryWidth() throws {
        var random = SeededRandom(seed: 7)
        for bits in 0...64 {
            let value: UInt64 = bits == 0 ? 0 : (UInt64.random(in: 0...UInt64.max, using: &random) >> (64 - bits)) | (1 << (bits - 1))
            let encoded = value.rlpEncoded()
            #expect(try UInt64(rlpEncoded: encoded) == value)
            #expect(try BigUInt(rlpEncoded: encoded) == BigUInt(value))
            #expect(encoded == BigUInt(value).rlpEncoded())
            #expect(try UInt128(rlpEncoded: encoded) == UInt128(value))
        }
        let big = UInt128.max
        #expect(try UInt128(rlpEncoded: big.rlpEncoded()) == big)
        #expect(UInt256.max.rlpEncoded() == [0xa0] + [UInt8](repeating: 0xff, count: 32))
        #expect(try UInt256(rlpEncoded: UInt256.max.rlpEncoded()) == .max)
    }

    @Test func elementsShareTheInputWithoutCopying() throws {
        let encoded = RLPItem.list([.bytes([1, 2, 3]), .bytes(Array(repeating: 9, count: 60))]).rlpEncoded()
        var reader = RLPReader(encoded)
        var list = try reader.listReader()
        let first = try list.readElement()
        #expect(first.offset == 2 && first.headerLength == 1 && first.payloadLength == 3)
        #expect(Array(first.encoded) == [0x83, 1, 2, 3])
        let second = try list.readBytes()
        #expect(second.count == 60)
        encoded.withUnsafeBufferPointer { buffer in
            second.withUnsafeBufferPointer { slice in
                #expect(slice.baseAddress == buffer.baseAddress.map { $0 + 8 })
            }
        }
        try list.finish()
        try reader.finish()
    }

    @Test func splitReturnsTheRestForStreams() throws {
        let (first, rest) = try RLP.split([0x82, 0x01, 0x02, 0xc0, 0x05])
        #expect(Array(first.payload) == [1, 2] && Array(rest) == [0xc0, 0x05])
        #expect(try RLP.countValues(rest) == 2)
    }
}
