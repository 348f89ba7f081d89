// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxInspect
import RLPxTestSupport
import Testing

/// `rlpx-tool decode` as a user runs it: the built executable, golden output, exit codes.
@Suite struct DecodeCommandTests {
    @Test func printsTheTree() async throws {
        let run = try await Tool.runDetached(["decode", "0xc6827a77c10401"])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                list @0 header=1 payload=6
                  bytes @1 header=1 payload=2 7a77 uint=31351 text="zw"
                  list @4 header=1 payload=1
                    byte @5 04 uint=4
                  byte @6 01 uint=1

                """)
        #expect(run.stderr.isEmpty)
    }

    @Test func readsHexFromStdinWithWhitespace() async throws {
        let run = try await Tool.runDetached(["decode", "-"], stdin: "  c2 80\n 00 ")
        #expect(run.status == 0)
        #expect(run.stdout == "list @0 header=1 payload=2\n  bytes @1 header=1 payload=0 uint=0\n  byte @2 00\n")
    }

    @Test func readsRawBytesFromAFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-decode-\(UInt32.random(in: 0...UInt32.max)).bin")
        try Data([0x83, 0x64, 0x6f, 0x67]).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let run = try await Tool.runDetached(["decode", "--file", path.path])
        #expect(run.stdout == "bytes @0 header=1 payload=3 646f67 uint=6582119 text=\"dog\"\n")
    }

    @Test func badInputShowsWhatDecodedThenTheError() async throws {
        let run = try await Tool.runDetached(["decode", "c4 01 02 81 03"])
        #expect(run.status == 1)
        #expect(run.stdout == "list @0 header=1 payload=4\n  byte @1 01 uint=1\n  byte @2 02 uint=2\n")
        #expect(run.stderr == "error: nonCanonicalSize at offset 3: single byte below 0x80 wrapped as a string\n")
    }

    @Test func jsonCarriesTheSameContent() async throws {
        let run = try await Tool.runDetached(["decode", "--json", "c3018142"])
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                {"format":"rlp","items":[{"offset":0,"kind":"list","headerLength":1,"payloadLength":3,"children":[{"offset":1,"kind":"bytes","headerLength":0,"payloadLength":1,"hex":"01","uint":1}]}],"error":{"code":"nonCanonicalSize","offset":2,"reason":"single byte below 0x80 wrapped as a string","path":[]}}

                """)
    }

    @Test func invalidHexIsAOneLineError() async throws {
        let run = try await Tool.runDetached(["decode", "0x12g4"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: invalid hex: 'g' is not a hex digit at character 4\n")
        let odd = try await Tool.runDetached(["decode", "123"])
        #expect(odd.stderr == "error: invalid hex: odd number of hex digits at character 2\n")
    }

    /// With --json, hex that is not hex is reported as an RLP error is: an "error" object on stdout.
    @Test func invalidHexIsAJSONErrorWithJSON() async throws {
        let run = try await Tool.runDetached(["decode", "--json", "0xzz"])
        #expect(run.status == 1)
        #expect(run.stdout == #"{"error":{"code":"invalidHex","offset":2,"reason":"'z' is not a hex digit","path":[]}}"# + "\n")
        #expect(run.stderr == "error: invalid hex: 'z' is not a hex digit at character 2\n")
    }

    @Test func aMissingFileIsSaid() async throws {
        let run = try await Tool.runDetached(["decode", "--file", "/nonexistent"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "error: cannot read file /nonexistent: no such file\n")
        let json = try await Tool.runDetached(["decode", "--json", "--file", "/nonexistent"])
        #expect(
            json.stdout == #"{"error":{"code":"unreadableFile","offset":null,"reason":"cannot read file /nonexistent: no such file","path":[]}}"#
                + "\n")
    }

    @Test func trailingBytesAreReported() async throws {
        let run = try await Tool.runDetached(["decode", "8080"])
        #expect(run.status == 1)
        #expect(run.stdout == "bytes @0 header=1 payload=0 uint=0\n")
        #expect(run.stderr == "error: trailingBytes at offset 1: 1 bytes follow the top-level item\n")
    }
}

/// The inspector itself, without the process.
@Suite struct RLPInspectionTests {
    @Test func keepsPartialTreeOfNestedFailure() async throws {
        // [[0x01, <string claiming 2 bytes with 1 left in its list>]]
        let inspection = RLPInspection([0xc4, 0xc3, 0x01, 0x82, 0x02])
        #expect(inspection.error?.code == .elementTooLarge)
        #expect(inspection.error?.offset == 3)
        let outer = try #require(inspection.items.first)
        let inner = try #require(outer.children.first)
        #expect(inner.children.map(\.bytes) == [[0x01]])
    }

    @Test func valuesAndTextOnlyWhereTheyFit() {
        let inspection = RLPInspection(RLPItem.list([.bytes([0x00, 0x01]), .bytes([0x0a]), "hi"]).rlpEncoded())
        let children = inspection.items[0].children
        #expect(children[0].unsignedValue == nil)  // leading zero: not a canonical integer
        #expect(children[1].text == nil)  // a newline is not printable
        #expect(children[2].text == "hi")
    }

    /// Up to 16 bytes a byte string is also an integer; a 20-byte address or a 32-byte hash is not (no 78-digit
    /// `uint=`). In JSON an integer is a number up to 2⁵³ − 1 and a decimal string above.
    @Test func integersOnlyForQuantities() {
        let hash = [UInt8](repeating: 0xab, count: 32)
        let inspection = RLPInspection(
            RLPItem.list([
                .bytes(hash), .bytes([UInt8](repeating: 0xff, count: 16)), .bytes([0x1f] + [UInt8](repeating: 0xff, count: 6)),
                .bytes([0x20] + [UInt8](repeating: 0, count: 6)),
            ]).rlpEncoded())
        let children = inspection.items[0].children
        #expect(children[0].unsignedValue == nil)
        let lines = inspection.renderedText().split(separator: "\n")
        #expect(lines[1].hasSuffix(String(repeating: "ab", count: 32)), "\(lines[1])")  // hex, no uint=
        #expect(lines[2].contains(" uint="))
        #expect(children[1].unsignedValue != nil)
        let json = inspection.json().rendered()
        #expect(json.contains(#""uint":9007199254740991}"#), "\(json)")  // 2⁵³ − 1: a number
        #expect(json.contains(#""uint":"9007199254740992"}"#), "\(json)")  // 2⁵³: a string
        #expect(json.contains(#""uint":"340282366920938463463374607431768211455"}"#), "\(json)")
    }
}
