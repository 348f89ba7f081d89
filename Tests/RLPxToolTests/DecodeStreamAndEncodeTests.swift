// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxInspect
import RLPxTestSupport
import Testing

/// `decode --stream` on a chain file as `geth export` writes it, and `encode`, the reverse of `decode --rlpdump`.
@Suite struct DecodeStreamAndEncodeTests {
    static var chainFile: String { Vectors.projectRoot.appendingPathComponent("Vectors/chain/chain.rlp").path }

    /// One RLP item is all `decode` reads by default (the 64 blocks after the genesis are trailing bytes); --stream
    /// gives every block its own tree.
    @Test func aChainFileIsOneTreePerBlock() async throws {
        let single = try await Tool.runDetached(["decode", "--file", Self.chainFile])
        #expect(single.status == 1 && single.stderr.contains("trailingBytes"), "\(single.stderr)")
        let run = try await Tool.runDetached(["decode", "--stream", "--file", Self.chainFile])
        #expect(run.status == 0, "\(run.stderr)")
        let trees = run.stdout.split(separator: "\n").filter { $0.hasPrefix("list @") }
        #expect(trees.count == 65)
        #expect(trees.first?.hasPrefix("list @0 ") == true)
        let json = try await Tool.runDetached(["decode", "--stream", "--json", "--file", Self.chainFile])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["items"] as? [Any])?.count == 65)
    }

    /// decode --rlpdump, then encode: the chain file's bytes again, as a file and as hex.
    @Test func roundTripsThroughTheTextForm() async throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.chainFile))
        let text = try await Tool.runDetached(["decode", "--stream", "--rlpdump", "--file", Self.chainFile])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("[\n  [\n    "))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("encode-\(UUID().uuidString).rlp")
        defer { try? FileManager.default.removeItem(at: output) }
        let encoded = try await Tool.runDetached(["encode", "--output", output.path, "-"], stdin: text.stdout)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(try Data(contentsOf: output) == original)
        let hex = try await Tool.runDetached(["encode"], stdin: text.stdout)
        #expect(hex.stdout == "0x" + Hex.encode(original) + "\n")
        // As the README writes it: the text in a file, encoded with --file.
        let textFile = output.appendingPathExtension("txt")
        defer { try? FileManager.default.removeItem(at: textFile) }
        try Data(text.stdout.utf8).write(to: textFile)
        #expect(try await Tool.runDetached(["encode", "--file", textFile.path]).stdout == hex.stdout)
    }

    /// go-ethereum's rlpdump test text: free spacing, a trailing comma, an empty string, nested empty lists.
    @Test func readsRlpdumpsText() async throws {
        let run = try await Tool.runDetached(["encode", "[\n  \"\",\n  [],\n[     \n [],\n    ],\n  5208,\n]"])
        #expect(run.stdout == "0xc780c0c1c0825208\n", "\(run.stderr)")
        // The README's example.
        #expect(try await Tool.runDetached(["encode", #"["cat", 5208, []]"#]).stdout == "0xc883636174825208c0\n")
        let quoted = try RLPText.parse(#"["a\"b\\c", 0x0102, "\x00"]"#)
        #expect(quoted == [.list([.bytes(Array(#"a"b\c"#.utf8)), .bytes([1, 2]), .bytes([0])])])
        // What render writes, parse reads back.
        let items: [RLPItem] = [.list([.bytes([]), .bytes(Array("say \"hi\"".utf8)), .bytes([0xff, 0x00]), .list([])]), .bytes([7])]
        #expect(try RLPText.parse(RLPText.render(items)) == items)
    }

    /// Text that is not in the form: exit 1 and one line naming line and column.
    @Test func badTextSaysWhere() async throws {
        for (text, place) in [
            ("[\n  12,\n  zz\n]", "line 3, column 3"), ("[ 12", "line 1, column 1"), ("\"abc", "line 1, column 1"), ("]", "line 1, column 1"),
        ] {
            let run = try await Tool.runDetached(["encode", text])
            #expect(run.status == 1, "\(text)")
            #expect(run.stderr.hasPrefix("error: \(place): ") && run.stderr.split(separator: "\n").count == 1, "\(text): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        // Nesting as deep as RLP allows, and no deeper (it crashed the encoder).
        #expect(try RLPText.parse(String(repeating: "[", count: 1024) + String(repeating: "]", count: 1024)).count == 1)
        let deep = #expect(throws: RLPTextError.self) {
            try RLPText.parse(String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000))
        }
        #expect(deep?.code == .tooDeep)
    }

    /// Each way text is not in the form has its code and byte offset.
    @Test func badTextHasACodeAndOffset() {
        for (text, code, offset) in [
            ("[ 12", RLPTextError.Code.unbalancedList, 0), ("12 ]", .unbalancedList, 3), ("\"a\\qb\"", .invalidEscape, 2),
            ("\"abc", .unclosedString, 0), ("12 zz", .unexpectedText, 3),
        ] {
            let error = #expect(throws: RLPTextError.self, "\(text)") { try RLPText.parse(text) }
            #expect(error?.code == code, "\(text)")
            #expect(error?.offset == offset, "\(text)")
        }
    }
}
