// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

/// A block-header-like struct written with the protocol API.
struct Header: RLPCodable, Equatable {
    var parentHash: InlineArray<32, UInt8>
    var number: UInt64
    var difficulty: UInt256
    var extra: [UInt8]

    func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(parentHash)
            list.write(number)
            list.write(difficulty)
            list.write(extra)
        }
    }

    init(parentHash: InlineArray<32, UInt8>, number: UInt64, difficulty: UInt256, extra: [UInt8]) {
        (self.parentHash, self.number, self.difficulty, self.extra) = (parentHash, number, difficulty, extra)
    }

    init(rlp reader: inout RLPReader) throws(RLPError) {
        (parentHash, number, difficulty, extra) = try reader.readList { list throws(RLPError) in
            (
                try list.read(field: "parentHash"), try list.read(field: "number"),
                try list.read(field: "difficulty"), try list.read(field: "extra")
            )
        }
    }

    static func == (lhs: Header, rhs: Header) -> Bool {
        (0..<32).allSatisfy { lhs.parentHash[$0] == rhs.parentHash[$0] } && lhs.number == rhs.number
            && lhs.difficulty == rhs.difficulty && lhs.extra == rhs.extra
    }
}

/// The same shape through Codable.
struct CodableCapability: Codable, Equatable {
    var name: String
    var version: UInt
}

struct CodableHello: Codable, Equatable {
    var protocolVersion: UInt8
    var clientID: String
    var capabilities: [CodableCapability]
    var listenPort: UInt16
    var nodeID: [UInt8]
    var optionalTail: UInt64?
}

@Suite struct TypedCodingTests {
    let header = Header(
        parentHash: InlineArray { UInt8($0) }, number: 1_000_000, difficulty: UInt256(bigEndianBytes: [0x01, 0x00, 0x00])!,
        extra: Array("geth".utf8))

    @Test func protocolTypesRoundTrip() throws {
        let encoded = header.rlpEncoded()
        #expect(try Header(rlpEncoded: encoded) == header)
        let item = try RLPItem(rlpEncoded: encoded)
        #expect(item == .list([.bytes((0..<32).map(UInt8.init)), .bytes([0x0f, 0x42, 0x40]), .bytes([1, 0, 0]), "geth"]))
    }

    @Test func wrongShapeNamesTheFieldPath() throws {
        // number written as a list.
        let bad = RLPItem.list([.bytes(Array(repeating: 0, count: 32)), .list([]), .bytes([]), .bytes([])]).rlpEncoded()
        do throws(RLPError) {
            _ = try Header(rlpEncoded: bad)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .expectedBytes)
            #expect(error.path == ["number"])
            #expect(error.offset == 34)
        }
        // A list of headers: the element index comes first.
        let list = [header, header].rlpEncoded()
        #expect(try [Header](rlpEncoded: list) == [header, header])
        var broken = list
        broken[broken.count - 5] = 0xc0  // inside the second header's extra field
        do throws(RLPError) {
            _ = try [Header](rlpEncoded: broken)
            Issue.record("accepted")
        } catch {
            #expect(error.path.first == "[1]")
        }
    }

    @Test func codableTypesRoundTripAsLists() throws {
        let hello = CodableHello(
            protocolVersion: 5, clientID: "swift-rlpx", capabilities: [.init(name: "eth", version: 68), .init(name: "snap", version: 1)],
            listenPort: 30303, nodeID: Array(repeating: 0xab, count: 64), optionalTail: nil)
        let encoded = try RLPEncoder().encode(hello)
        // Fields in declaration order, the nil optional left out.
        let expected = RLPItem.list([
            .bytes([5]), "swift-rlpx", .list([.list(["eth", .bytes([68])]), .list(["snap", .bytes([1])])]),
            .bytes([0x76, 0x5f]), .bytes(Array(repeating: 0xab, count: 64)),
        ])
        #expect(encoded == expected.rlpEncoded())
        #expect(try RLPDecoder().decode(CodableHello.self, from: encoded) == hello)
        var withTail = hello
        withTail.optionalTail = 9
        #expect(try RLPDecoder().decode(CodableHello.self, from: try RLPEncoder().encode(withTail)) == withTail)
    }

    @Test func codableDecodingIsStrict() throws {
        let extra = RLPItem.list(["eth", .bytes([68]), .bytes([1])]).rlpEncoded()
        #expect(throws: RLPError.tooManyElements) { try RLPDecoder().decode(CodableCapability.self, from: extra) }
        let short = RLPItem.list(["eth"]).rlpEncoded()
        #expect(throws: RLPError.tooFewElements) { try RLPDecoder().decode(CodableCapability.self, from: short) }
        let badVersion = RLPItem.list(["eth", .bytes([0, 68])]).rlpEncoded()
        do {
            _ = try RLPDecoder().decode(CodableCapability.self, from: badVersion)
            Issue.record("accepted")
        } catch let error as RLPError {
            #expect(error.code == .nonCanonicalInteger)
            #expect(error.path == ["version"])
        }
        #expect(throws: RLPError.unsupportedValue) { try RLPEncoder().encode([-1]) }
        #expect(throws: RLPError.unsupportedValue) { try RLPEncoder().encode([1.5]) }
    }
}

/// The worked example of the RLP documentation catalogue, kept honest.
struct DocCapability: RLPCodable {
    var name: String
    var version: UInt

    func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(name)
            list.write(version)
        }
    }

    init(name: String, version: UInt) { (self.name, self.version) = (name, version) }

    init(rlp reader: inout RLPReader) throws(RLPError) {
        (name, version) = try reader.readList { list throws(RLPError) in
            (try list.read(field: "name"), try list.read(field: "version"))
        }
    }
}

@Suite struct DocumentationExampleTests {
    @Test func capabilityExampleHolds() throws {
        let bytes = [DocCapability(name: "eth", version: 68)].rlpEncoded()
        #expect(bytes == [0xc6, 0xc5, 0x83, 0x65, 0x74, 0x68, 0x44])
        let caps = try [DocCapability](rlpEncoded: bytes)
        #expect(caps.map(\.name) == ["eth"] && caps.map(\.version) == [68])
        do throws(RLPError) {
            _ = try [DocCapability](rlpEncoded: [0xc7, 0xc6, 0x83, 0x65, 0x74, 0x68, 0x81, 0x44])
            Issue.record("accepted")
        } catch {
            #expect(
                error.description
                    == "RLPError.nonCanonicalSize: single byte below 0x80 wrapped as a string at offset 6 in field [0].version")
        }
    }
}

extension DocumentationExampleTests {
    struct Cap: Codable {
        var name: String
        var version: UInt
    }

    /// The README's "library in five lines".
    @Test func readmeExampleHolds() throws {
        let bytes = [UInt64(1), 1024].rlpEncoded()
        #expect(bytes == [0xc4, 0x01, 0x82, 0x04, 0x00])
        #expect(try [UInt64](rlpEncoded: bytes) == [1, 1024])
        let caps = try RLPDecoder().decode([Cap].self, from: RLPEncoder().encode([Cap(name: "eth", version: 68)]))
        #expect(caps.map(\.name) == ["eth"] && caps.map(\.version) == [68])
    }
}
