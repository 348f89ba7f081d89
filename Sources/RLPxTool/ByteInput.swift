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
    /// - Throws: ``InputError`` when the file cannot be read or the text is not hex.
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
            throw InputError(error.description, code: "invalidHex", offset: error.position, reason: error.reason)
        }
    }
}

/// Input that could not be turned into bytes or read.
struct InputError: Error, CustomStringConvertible {
    let description: String
    /// What went wrong, as the `error` object of JSON output names it (`invalidHex`, `unreadableFile`).
    let code: String
    /// Where in the text, when that is known.
    let offset: Int?
    let reason: String

    init(_ description: String, code: String = "unreadableFile", offset: Int? = nil, reason: String? = nil) {
        self.description = description
        self.code = code
        self.offset = offset
        self.reason = reason ?? description
    }

    /// The `error` object JSON output carries, shaped as an RLP error's.
    var json: JSONValue {
        .object([("code", .string(code)), ("offset", offset.map(JSONValue.int) ?? .null), ("reason", .string(reason)), ("path", .array([]))])
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
