// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// go-ethereum `rlp/decode_test.go` decodeTests and `rlp/encode_test.go` encTests, through our Swift types:
/// `bool` → `Bool`, `uint32`/`uint64` → `UInt32`/`UInt64`, `bigint` → ``BigUInt``, `uint256` → ``UInt256``,
/// `bytes` → `[UInt8]`, `string` → `[UInt8]` (Go strings are bytes; `String` is tested where the bytes are UTF-8),
/// `bytesN` → `InlineArray<N, UInt8>`, `list<T>` → `[T]`, `array<T,N>` → `InlineArray<N, T>`, `raw` →
/// ``RLPReader/readEncoded()``, `generic` → ``RLPItem``, `struct` → a list read field by field (a `tail` field
/// takes the remaining elements with ``RLPReader/readAll(_:)``).
@Suite struct GethTypedVectorTests {
    /// A decoded value in the vector file's notation: hex strings, decimal strings, booleans, arrays.
    indirect enum Value: Equatable, CustomStringConvertible {
        case text(String)
        case bool(Bool)
        case array([Value])

        init(json: Any) throws {
            switch json {
            case let array as [Any]: self = .array(try array.map(Value.init(json:)))
            case let text as String: self = .text(text)
            case let flag as Bool: self = .bool(flag)
            default: throw Vectors.MissingVectors(description: "unexpected JSON value \(json)")
            }
        }

        var description: String {
            switch self {
            case .text(let text): text
            case .bool(let flag): String(flag)
            case .array(let values): "[" + values.map(\.description).joined(separator: ",") + "]"
            }
        }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> Value { .text(Hex.encode(bytes)) }

    static func fixedBytes<let N: Int>(_ type: InlineArray<N, UInt8>.Type, _ reader: inout RLPReader) throws -> Value {
        let value = try reader.read(type)
        return hex((0..<N).map { value[$0] })
    }

    static func item(_ item: RLPItem) -> Value {
        switch item {
        case .bytes(let bytes): hex(bytes)
        case .list(let items): .array(items.map(Self.item))
        }
    }

    /// Reads one value of the named type.
    static func decode(_ type: Any, from reader: inout RLPReader) throws -> Value {
        if let fields = (type as? [String: Any])?["fields"] as? [[String: Any]] {
            return try decodeStruct(fields, from: &reader)
        }
        let name = try #require(type as? String)
        switch name {
        case "bool": return .bool(try reader.read(Bool.self))
        case "uint32": return .text(String(try reader.read(UInt32.self)))
        case "uint64": return .text(String(try reader.read(UInt64.self)))
        case "bigint": return .text(try reader.read(BigUInt.self).hexString)
        case "uint256": return .text(try reader.read(UInt256.self).bigUInt.hexString)
        case "bytes", "string": return hex(try reader.read([UInt8].self))
        case "raw": return hex(try reader.readEncoded())
        case "generic": return item(try reader.read(RLPItem.self))
        case "bytes0": return try fixedBytes(InlineArray<0, UInt8>.self, &reader)
        case "bytes1": return try fixedBytes(InlineArray<1, UInt8>.self, &reader)
        case "bytes5": return try fixedBytes(InlineArray<5, UInt8>.self, &reader)
        case "list<uint64>": return .array(try reader.read([UInt64].self).map { .text(String($0)) })
        case "list<bytes>": return .array(try reader.read([[UInt8]].self).map(hex))
        case "list<raw>":
            return .array(
                try reader.readList { list throws(RLPError) in
                    var values: [Value] = []
                    while !list.isAtEnd { values.append(hex(try list.readEncoded())) }
                    return values
                })
        case "array<uint64,5>":
            let array = try reader.read(InlineArray<5, UInt64>.self)
            return .array((0..<5).map { .text(String(array[$0])) })
        case "array<uint64,0>":
            _ = try reader.read(InlineArray<0, UInt64>.self)
            return .array([])
        default:
            throw Vectors.MissingVectors(description: "no Swift type mapped for \(name)")
        }
    }

    static func decodeStruct(_ fields: [[String: Any]], from reader: inout RLPReader) throws -> Value {
        var list = try reader.listReader()
        var values: [Value] = []
        for field in fields {
            if field["tail"] as? Bool == true {
                values.append(.array(try list.readAll(RLPItem.self).map { hex($0.rlpEncoded()) }))
            } else {
                values.append(try decode(try #require(field["type"]), from: &list))
            }
        }
        try list.finish()
        return .array(values)
    }

    @Test func decodeCases() throws {
        let file = try #require(try Vectors.shared("rlp/geth_typed.json") as? [String: Any])
        let cases = try #require(file["decode"] as? [[String: Any]])
        #expect(cases.count == 93)
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            let type = try #require(testCase["type"] == nil ? nil : (testCase["fields"].map { ["fields": $0] } ?? testCase["type"]))
            var reader = RLPReader(input)
            let decode = { () throws -> Value in
                let value = try Self.decode(type, from: &reader)
                try reader.finish()
                return value
            }
            if let errorName = testCase["error"] as? String {
                let code = thrownCode { _ = try decode() }
                if testCase["note"] != nil {
                    #expect(code != nil, "\(testCase): any error is acceptable, none was thrown")
                } else {
                    #expect(code == gethErrorCodes[errorName], "\(testCase)")
                }
            } else {
                #expect(try decode() == (try Value(json: try #require(testCase["value"]))), "\(testCase)")
            }
        }
    }

    /// The Swift value of `json` in type `type`, encoded.
    static func encode(_ type: String, _ json: Any) throws -> [UInt8] {
        func text(_ value: Any) throws -> String { try #require(value as? String) }
        func list(_ value: Any) throws -> [Any] { try #require(value as? [Any]) }
        switch type {
        case "bool": return try #require(json as? Bool).rlpEncoded()
        case "uint32": return try #require(UInt32(try text(json))).rlpEncoded()
        case "uint64": return try #require(UInt64(try text(json))).rlpEncoded()
        case "bigint":
            let number = try text(json)
            guard !number.hasPrefix("-") else { throw RLPError.unsupportedValue }  // BigUInt has no negatives.
            return try #require(BigUInt(number)).rlpEncoded()
        case "uint256": return try #require(BigUInt(try text(json)).flatMap(UInt256.init)).rlpEncoded()
        case "bytes": return try Hex.decode(try text(json)).rlpEncoded()
        case "string":
            let bytes = try Hex.decode(try text(json))
            let string = String(decoding: bytes, as: UTF8.self)
            if string.utf8.elementsEqual(bytes) {
                #expect(string.rlpEncoded() == bytes.rlpEncoded(), "String and [UInt8] agree on UTF-8 text")
            }
            return bytes.rlpEncoded()
        case "bytes0": return InlineArray<0, UInt8>(repeating: 0).rlpEncoded()
        case "bytes1":
            let bytes = try Hex.decode(try text(json))
            return InlineArray<1, UInt8>(repeating: bytes[0]).rlpEncoded()
        case "bytes3", "bytes57":
            let bytes = try Hex.decode(try text(json))
            if type == "bytes3" { return InlineArray<3, UInt8> { bytes[$0] }.rlpEncoded() }
            return InlineArray<57, UInt8> { bytes[$0] }.rlpEncoded()
        case "array<uint32,4>":
            let values = try list(json).map { try #require(UInt32(try text($0))) }
            return InlineArray<4, UInt32> { values[$0] }.rlpEncoded()
        case "array<uint64,4>":
            let values = try list(json).map { try #require(UInt64(try text($0))) }
            return InlineArray<4, UInt64> { values[$0] }.rlpEncoded()
        case "list<uint64>": return try list(json).map { try #require(UInt64(try text($0))) }.rlpEncoded()
        case "list<string>": return try list(json).map { try Hex.decode(try text($0)) }.rlpEncoded()
        case "list<list<string>>":
            return try list(json).map { try list($0).map { try Hex.decode(try text($0)) } }.rlpEncoded()
        case "raw": return RLPWriter.encode { $0.write(encoded: (try? Hex.decode(json as? String ?? "")) ?? []) }
        case "list<raw>":
            let elements = try list(json).map { try Hex.decode(try text($0)) }
            return RLPWriter.encode { writer in
                writer.writeList { list in for element in elements { list.write(encoded: element) } }
            }
        case "struct(uint64,string)":
            let fields = try list(json)
            let number = try #require(UInt64(try text(fields[0])))
            let bytes = try Hex.decode(try text(fields[1]))
            return RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(number)
                    list.write(bytes)
                }
            }
        case "generic": return try genericItem(json).rlpEncoded()
        default: throw Vectors.MissingVectors(description: "no Swift type mapped for \(type)")
        }
    }

    static func genericItem(_ json: Any) throws -> RLPItem {
        if let array = json as? [Any] { return .list(try array.map(genericItem)) }
        let bytes = try Hex.decode(try #require(json as? String))
        return .bytes(BigUInt(bigEndianBytes: bytes).bigEndianBytes == bytes ? bytes : bytes)
    }

    @Test func encodeCases() throws {
        let file = try #require(try Vectors.shared("rlp/geth_typed.json") as? [String: Any])
        let cases = try #require(file["encode"] as? [[String: Any]])
        #expect(cases.count == 84)
        for testCase in cases {
            let type = try #require(testCase["type"] as? String)
            let value = try #require(testCase["value"])
            if let errorName = testCase["error"] as? String {
                #expect(thrownCode { _ = try Self.encode(type, value) } == gethErrorCodes[errorName], "\(testCase)")
            } else {
                #expect(try Self.encode(type, value) == (try Vectors.bytes(testCase["output"])), "\(testCase)")
            }
        }
    }
}
