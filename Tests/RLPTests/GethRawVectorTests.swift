// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// go-ethereum `rlp/raw_test.go`, table by table, through our zero-copy API.
///
/// Counterparts: `Split` → ``RLP/split(_:)``; `SplitString`/`SplitList` → ``RLPReader/readBytes()`` and
/// ``RLPReader/listReader()``; `SplitUint64` → ``RLPReader/readInteger(_:)``; `CountValues` →
/// ``RLP/countValues(_:)``; `readSize` → the long-form header rule, exercised by prefixing the size bytes with
/// the matching header byte; `AppendUint64`/`IntSize` → ``RLPWriter/write(integer:)``; `SplitListValues` →
/// ``RLPReader/readEncoded()`` over a list; `MergeListValues` → ``RLPWriter/write(encoded:)`` inside
/// ``RLPWriter/writeList(_:)``; `BytesSize` → the length of an encoded byte string.
@Suite struct GethRawVectorTests {
    static func table(_ name: String) throws -> [[String: Any]] {
        let file = try #require(try Vectors.shared("rlp/geth_raw.json") as? [String: Any])
        let table = try #require(file[name] as? [String: Any], "table \(name) missing")
        return try #require(table["cases"] as? [[String: Any]])
    }

    static func code(_ testCase: [String: Any]) throws -> RLPError.Code? {
        guard let name = testCase["error"] as? String else { return nil }
        // geth's Split functions say UnexpectedEOF for empty input where its Stream says EOF; nothing at all is
        // our unexpectedEnd in both cases.
        if name == "UnexpectedEOF", testCase["input"] as? String == "" { return .unexpectedEnd }
        return try #require(gethErrorCodes[name], "unmapped error \(name)")
    }

    @Test func split() throws {
        let cases = try Self.table("split")
        #expect(cases.count == 26)
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            if let expected = try Self.code(testCase) {
                #expect(thrownCode { _ = try RLP.split(input) } == expected, "\(testCase)")
                continue
            }
            let (first, rest) = try RLP.split(input)
            let kind: String = first.kind == .list ? "list" : (first.headerLength == 0 ? "byte" : "string")
            #expect(kind == testCase["kind"] as? String, "\(testCase)")
            #expect(Array(first.payload) == (try Vectors.bytes(testCase["val"])), "\(testCase)")
            #expect(Array(rest) == (try Vectors.bytes(testCase["rest"])), "\(testCase)")
        }
    }

    @Test func splitUInt64() throws {
        for testCase in try Self.table("split_uint64") {
            var reader = RLPReader(try Vectors.bytes(testCase["input"]))
            if let expected = try Self.code(testCase) {
                #expect(thrownCode { _ = try reader.readInteger(UInt64.self) } == expected, "\(testCase)")
                continue
            }
            #expect(String(try reader.readInteger(UInt64.self)) == testCase["value"] as? String, "\(testCase)")
            #expect(Array(reader.remainingBytes) == (try Vectors.bytes(testCase["rest"])), "\(testCase)")
        }
    }

    @Test func countValues() throws {
        for testCase in try Self.table("count_values") {
            let input = try Vectors.bytes(testCase["input"])
            if let expected = try Self.code(testCase) {
                #expect(thrownCode { _ = try RLP.countValues(input) } == expected, "\(testCase)")
            } else {
                #expect(try RLP.countValues(input) == testCase["count"] as? Int, "\(testCase)")
            }
        }
    }

    @Test func splitStringAndListErrors() throws {
        for testCase in try Self.table("split_string_errors") {
            var reader = RLPReader(try Vectors.bytes(testCase["input"]))
            #expect(thrownCode { _ = try reader.readBytes() } == (try Self.code(testCase)), "\(testCase)")
        }
        for testCase in try Self.table("split_list_errors") {
            var reader = RLPReader(try Vectors.bytes(testCase["input"]))
            #expect(thrownCode { _ = try reader.listReader() } == (try Self.code(testCase)), "\(testCase)")
        }
    }

    /// `readSize(b, n)` reads the n-byte length of a long-form header: we put the string header byte 0xb7 + n in
    /// front and pad the payload so that only the size rules can fail.
    @Test func readSize() throws {
        for testCase in try Self.table("read_size") {
            let sizeBytes = try Vectors.bytes(testCase["input"])
            let lengthOfLength = try #require(testCase["length_of_length"] as? Int)
            var input = [0xb7 + UInt8(lengthOfLength)] + sizeBytes
            if let size = (testCase["size"] as? String).flatMap({ UInt64($0) }) {
                guard size <= 1 << 20 else {
                    // The size rules pass; the payload itself is absent.
                    #expect(thrownCode { _ = try RLP.split(input) } == .valueTooLarge, "\(testCase)")
                    continue
                }
                input += [UInt8](repeating: 0xaa, count: Int(size))
                let (first, rest) = try RLP.split(input)
                #expect(first.payloadLength == Int(size) && rest.isEmpty, "\(testCase)")
            } else {
                // Here "input" is only the size field, so the item itself is never empty.
                let expected = gethErrorCodes[testCase["error"] as? String ?? ""]
                #expect(thrownCode { _ = try RLP.split(input) } == expected, "\(testCase)")
            }
        }
    }

    @Test func appendUInt64() throws {
        for testCase in try Self.table("append_uint64") {
            let value = try #require((testCase["value"] as? String).flatMap { UInt64($0) })
            let prefix = try Vectors.bytes(testCase["prefix"])
            let encoding = RLPWriter.encode { $0.write(integer: value) }
            #expect(encoding == (try Vectors.bytes(testCase["encoding"])), "\(testCase)")
            #expect(prefix + encoding == (try Vectors.bytes(testCase["output"])), "\(testCase)")
            #expect(value.rlpEncoded() == encoding)
        }
    }

    @Test func splitListValues() throws {
        for testCase in try Self.table("split_list_values") {
            var reader = RLPReader(try Vectors.bytes(testCase["input"]))
            let split = { () throws(RLPError) -> [[UInt8]] in
                try reader.readList { list throws(RLPError) in
                    var values: [[UInt8]] = []
                    while !list.isAtEnd { values.append(Array(try list.readEncoded())) }
                    return values
                }
            }
            if let expected = try Self.code(testCase) {
                #expect(thrownCode { _ = try split() } == expected, "\(testCase)")
            } else {
                let elements = try #require(testCase["elements"] as? [String]).map { try Hex.decode($0) }
                #expect(try split() == elements, "\(testCase)")
            }
        }
    }

    @Test func mergeListValues() throws {
        for testCase in try Self.table("merge_list_values") {
            let elements = try #require(testCase["elements"] as? [String]).map { try Hex.decode($0) }
            let merged = RLPWriter.encode { writer in
                writer.writeList { list in
                    for element in elements { list.write(encoded: element) }
                }
            }
            #expect(merged == (try Vectors.bytes(testCase["output"])), "\(testCase)")
        }
    }

    /// Decoding as a list of raw values checks each element's header inside the list.
    @Test func rawListDecodeInvalid() throws {
        for testCase in try Self.table("raw_list_decode_invalid") {
            let input = try Vectors.bytes(testCase["input"])
            let decode = { () throws(RLPError) -> Void in
                var reader = RLPReader(input)
                _ = try reader.readList { list throws(RLPError) in
                    while !list.isAtEnd { _ = try list.readEncoded() }
                }
            }
            #expect(thrownCode(decode) == (try Self.code(testCase)), "\(testCase)")
            #expect(thrownCode { try RLP.validate(input) } == (try Self.code(testCase)), "\(testCase)")
        }
    }

    @Test func bytesSize() throws {
        for testCase in try Self.table("bytes_size") {
            let value = try Vectors.bytes(testCase["value"])
            #expect(value.rlpEncoded().count == testCase["encoded_size"] as? Int, "\(testCase)")
        }
    }
}
