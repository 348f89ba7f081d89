// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLP
import RLPxInspect

/// Where a command's bytes come from: hex text as an argument or on stdin, or a file of raw bytes.
struct ByteInput: ParsableArguments {
    @Argument(help: "Hex bytes (0x prefix and whitespace allowed); '-' or nothing reads hex from stdin.")
    var hex: String?

    @Option(name: .long, help: "Read raw bytes from this file instead of hex.", completion: .file())
    var file: String?

    func validate() throws {
        if file != nil, let hex, hex != "-" {
            throw ValidationError("Give either hex or --file, not both.")
        }
    }

    /// The input bytes.
    /// - Throws: ``ToolError`` when the file cannot be read or the text is not hex.
    func read() throws -> [UInt8] {
        if let file { return [UInt8](try fileContents(file, "file")) }
        let text: String
        if let hex, hex != "-" {
            text = hex
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        do {
            return try Hex.decode(text)
        } catch {
            throw ToolError(.invalidHex, error.reason, offset: error.position)
        }
    }
}

/// `--format text|json`, with `--json` as its shorthand: how every command that prints results chooses JSON.
struct OutputFormat: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "text or json.") var format: Format = .text
    @Flag(name: .long, help: "Shorthand for --format json.") var json = false

    var isJSON: Bool { json || format == .json }
}
