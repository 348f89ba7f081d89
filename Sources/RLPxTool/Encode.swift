// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLP
import RLPxInspect

extension RLPxTool {
    /// `rlpx-tool encode`: RLP from go-ethereum rlpdump's text form, the reverse of `decode --rlpdump`.
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode RLP from go-ethereum rlpdump's text form (what decode --rlpdump prints).",
            discussion: """
                The text holds items one after another: a byte string as hex (0x optional) or as a "quoted \\
                string" (escapes \\", \\\\ and \\xHH), a list as [ its items ], commas after items optional. Every \\
                item is encoded and the encodings concatenated, as hex on stdout or raw into --output.

                Exit status: 0 when encoded; 1 for text that is not in the form (one line on stderr: line, \\
                column, what was expected) or a file that cannot be read or written; 64 for bad usage.
                """
        )

        @Argument(help: "The text; '-' or nothing reads it from stdin.")
        var text: String?

        @Option(name: .long, help: "Read the text from this file.", completion: .file())
        var file: String?

        @Option(name: .long, help: "Write the raw bytes to this file instead of hex to stdout.", completion: .file())
        var output: String?

        func validate() throws {
            if file != nil, let text, text != "-" { throw ValidationError("Give either text or --file, not both.") }
        }

        func run() throws {
            let source: String =
                if let file {
                    String(decoding: fileContentsOrExit(file, "file"), as: UTF8.self)
                } else if let text, text != "-" {
                    text
                } else {
                    String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                }
            let items: [RLPItem]
            do {
                items = try RLPText.parse(source)
            } catch {
                fail("\(error)")
            }
            let bytes = items.flatMap { $0.rlpEncoded() }
            guard let output else {
                print(Hex.encode(bytes, prefixed: true))
                return
            }
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else { fail("cannot write \(output)") }
        }
    }
}
