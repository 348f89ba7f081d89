// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxTestSupport
import Testing

/// The Codable path: go-ethereum's optional-field rule both ways, RLP value types as fields, error paths and
/// offsets, and round trips of random structs.
@Suite struct CodableOptionalTests {
    struct Opts: Codable, Equatable {
        var a: UInt8?
        var b: UInt8?
    }

    @Test func aNilBeforeAPresentOptionalIsAnError() throws {
        // RLP cannot say "absent" mid-list: [7] would decode as a = 7, so encoding refuses and names b.
        do {
            _ = try RLPEncoder().encode(Opts(a: nil, b: 7))
            Issue.record("encoded a gap")
        } catch {
            #expect(error.code == .unsupportedValue)
            #expect(error.pathDescription == "b", "\(error)")
        }
        #expect(try RLPEncoder().encode(Opts(a: 1, b: nil)) == [0xc1, 0x01])
        #expect(try RLPEncoder().encode(Opts(a: nil, b: nil)) == [0xc0])
        #expect(try RLPDecoder().decode(Opts.self, from: [0xc1, 0x07]) == Opts(a: 7, b: nil))
        #expect(try RLPDecoder().decode(Opts.self, from: [0xc2, 0x01, 0x02]) == Opts(a: 1, b: 2))
    }

    struct Inner: Codable, Equatable {
        var a: UInt8
        var b: UInt16
    }

    struct Outer: Codable, Equatable {
        var list: [Inner]
    }

    @Test func errorsCarryTheCodingPathAndOffset() throws {
        // list[1].b is 0x00 0x05 wrapped as a two-byte string: a leading zero.
        let bytes: [UInt8] = [0xc9, 0xc8, 0xc2, 0x01, 0x02, 0xc4, 0x03, 0x82, 0x00, 0x05]
        do {
            _ = try RLPDecoder().decode(Outer.self, from: bytes)
            Issue.record("decoded a non-canonical integer")
        } catch {
            #expect(error.code == .nonCanonicalInteger)
            #expect(error.pathDescription == "list[1].b", "\(error)")
            #expect(error.offset == 7, "\(error)")
        }
    }

    enum Kind: UInt8, Codable {
        case first = 1
        case second = 2
    }

    struct Tagged: Codable, Equatable {
        var id: UInt64
        var kind: Kind
    }

    @Test func unknownEnumRawValueNamesTheValueAndOffset() throws {
        #expect(try RLPDecoder().decode(Tagged.self, from: [0xc2, 0x05, 0x02]) == Tagged(id: 5, kind: .second))
        do {
            _ = try RLPDecoder().decode(Tagged.self, from: [0xc2, 0x05, 0x09])
            Issue.record("decoded raw value 9")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.pathDescription == "kind")
            #expect(error.offset == 2)
            #expect(error.reason.contains("9"), "\(error.reason)")
        }
    }

    /// Every supported scalar, RLP value types, nested lists, and trailing optionals.
    struct Everything: Codable, Equatable {
        var u8: UInt8
        var u16: UInt16
        var u32: UInt32
        var u64: UInt64
        var u: UInt
        var i: Int
        var flag: Bool
        var text: String
        var bytes: [UInt8]
        var words: [UInt16]
        var nested: [[UInt32]]
        var inner: [Inner]
        var big: UInt256
        var huge: BigUInt
        var address: FixedBytes<20>
        var tail1: UInt64?
        var tail2: FixedBytes<32>?
        var tail3: [Inner]?
    }

    static func random(_ random: inout SeededRandom, trailing: Int) -> Everything {
        func small<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T {
            random.next() & 1 == 0 ? T(truncatingIfNeeded: random.next() & 0x7f) : T.random(in: 0...T.max, using: &random)
        }
        let inner = (0..<Int(random.next() % 3)).map { _ in Inner(a: small(UInt8.self), b: small(UInt16.self)) }
        let bigBytes = random.bytes(Int(random.next() % 33))
        return Everything(
            u8: small(UInt8.self), u16: small(UInt16.self), u32: small(UInt32.self), u64: small(UInt64.self),
            u: small(UInt.self), i: Int(small(UInt32.self)), flag: random.next() & 1 == 0,
            text: String(decoding: (0..<Int(random.next() % 60)).map { _ in UInt8(0x61 + random.next() % 26) }, as: UTF8.self),
            bytes: random.bytes(Int(random.next() % 70)),
            words: (0..<Int(random.next() % 4)).map { _ in small(UInt16.self) },
            nested: (0..<Int(random.next() % 3)).map { _ in (0..<Int(random.next() % 3)).map { _ in small(UInt32.self) } },
            inner: inner, big: UInt256(bigEndianBytes: bigBytes) ?? .zero,
            huge: BigUInt(bigEndianBytes: random.bytes(Int(random.next() % 48))),
            address: FixedBytes<20>(random.bytes(20)) ?? FixedBytes<20>(),
            tail1: trailing >= 1 ? small(UInt64.self) : nil,
            tail2: trailing >= 2 ? FixedBytes<32>(random.bytes(32)) : nil,
            tail3: trailing >= 3 ? inner : nil)
    }

    @Test func randomStructsRoundTrip() throws {
        var random = SeededRandom(seed: 31)
        for index in 0..<400 {
            let value = Self.random(&random, trailing: index % 4)
            let bytes = try RLPEncoder().encode(value)
            #expect(try RLPDecoder().decode(Everything.self, from: bytes) == value, "case \(index)")
        }
    }

    /// Other coders see the value types as text, and read that text back.
    @Test func valueTypesAsJSON() throws {
        struct Values: Codable, Equatable {
            var big: UInt256
            var huge: BigUInt
            var address: FixedBytes<20>
        }
        let values = Values(big: UInt256(12_345), huge: BigUInt(bigEndianBytes: [1, 0, 0, 0, 0, 0, 0, 0, 0]), address: FixedBytes<20>())
        let json = try JSONEncoder().encode(values)
        #expect(String(decoding: json, as: UTF8.self).contains(#""big":"12345""#))
        #expect(try JSONDecoder().decode(Values.self, from: json) == values)
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(Values.self, from: Data(#"{"big":"x","huge":"1","address":"0x00"}"#.utf8))
        }
    }

    @Test func randomGapsAreRefused() throws {
        var random = SeededRandom(seed: 32)
        for index in 0..<100 {
            var value = Self.random(&random, trailing: 3)
            switch index % 3 {
            case 0: value.tail1 = nil
            case 1: value.tail2 = nil
            default: (value.tail1, value.tail2) = (nil, nil)
            }
            #expect(throws: RLPError.self, "case \(index)") { _ = try RLPEncoder().encode(value) }
        }
    }
}
