// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxInspect

extension RLPxTool {
    /// `rlpx-tool decode`: show what bytes are.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode bytes as RLP and print them as a tree.",
            discussion: """
                Each line is one item: its kind, @offset, header and payload lengths, the bytes in hex, and where \
                they fit, the unsigned integer value and printable text. Invalid input prints the tree of what \
                decoded before the error, then the error (offset and rule broken) on stderr, and exits with 1.
                """
        )

        @OptionGroup var input: ByteInput

        @Flag(name: .long, help: "Print JSON instead of the tree.")
        var json = false

        func run() throws {
            let bytes: [UInt8]
            do {
                bytes = try input.read()
            } catch let error as InputError {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
            let inspection = RLPInspection(bytes)
            if json {
                print(inspection.json().rendered())
            } else {
                print(inspection.renderedText(), terminator: "")
            }
            if let error = inspection.error {
                if !json {
                    FileHandle.standardError.write(Data("error: \(RLPInspection.errorLine(error))\n".utf8))
                }
                throw ExitCode(1)
            }
        }
    }
}
