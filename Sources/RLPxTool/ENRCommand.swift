// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import Foundation
import RLP
import RLPxInspect

extension RLPxTool {
    /// `rlpx-tool enr`: a node record's every field, its signature's verdict and the enode it implies.
    struct ENRCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enr",
            abstract: "Decode a node record (EIP-778): every field, the signature check, the node ID and enode.",
            discussion: """
                The record is given as its text form (enr:…), as hex RLP, or as a file holding either (or the raw \
                RLP). Known keys print typed (ip, ip6, tcp, udp, tcp6, udp6, eth's fork ID, snap, id, secp256k1), \
                others as RLP hex. The signature is checked with the v4 identity scheme.

                Exit status: 0 for a well-formed record whose signature verifies; 1 when it does not decode or its \
                signature fails (the record is still printed when it decodes); 64 for bad usage.
                """)

        @Argument(help: "enr:… text, hex RLP, or a file holding either.") var record: String
        @OptionGroup var output: OutputFormat

        func run() throws {
            let record: ENR
            do {
                record = try Self.load(self.record)
            } catch {
                if output.isJSON {
                    let members: [(String, JSONValue)] = [
                        ("code", .string(error.code.name)), ("reason", .string(error.reason)),
                        ("offset", error.offset.map { .int($0) } ?? .null), ("field", error.field.map { .string($0) } ?? .null),
                    ]
                    print(JSONValue.object([("error", .object(members))]).rendered())
                }
                fail(error.description)
            }
            var verdict: DiscoveryError?
            do { try record.verify() } catch { verdict = error }
            let id = try? record.nodeID()
            if output.isJSON {
                var members: [(String, JSONValue)] = [
                    ("text", .string(record.text)), ("rlp", .string(Hex.encode(record.encoded, prefixed: true))),
                    ("size", .int(record.encoded.count)), ("seq", .string(String(record.seq))),
                    ("signature", .string(Hex.encode(record.signature, prefixed: true))),
                    ("signatureValid", .bool(verdict == nil)),
                    ("nodeId", id.map { .string("0x" + $0.description) } ?? .null),
                    ("enode", record.enodeURL().map { .string($0) } ?? .null),
                ]
                if let verdict { members.append(("signatureError", .string(verdict.description))) }
                members.append(("fields", .object(record.fieldDescriptions.map { ($0.key, .string($0.value)) })))
                print(JSONValue.object(members).rendered())
            } else {
                var lines = [record.text, "size \(record.encoded.count) bytes", "seq \(record.seq)", "signature 0x\(Hex.encode(record.signature))"]
                lines.append(verdict.map { "signature INVALID: \($0)" } ?? "signature valid (v4)")
                if let id { lines.append("node id 0x\(id)") }
                if let enode = record.enodeURL() { lines.append("enode \(enode)") }
                for field in record.fieldDescriptions { lines.append("  \(field.key) \(field.value)") }
                print(lines.joined(separator: "\n"))
            }
            if verdict != nil { throw ExitCode(1) }
        }

        /// A record from `enr:` text, hex, or a file of either or raw RLP; decoded without verifying.
        static func load(_ argument: String) throws(DiscoveryError) -> ENR {
            let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix(ENR.textPrefix) { return try ENR(text: trimmed, verifying: false) }
            if let bytes = try? Hex.decode(trimmed), !bytes.isEmpty { return try ENR(rlp: bytes, verifying: false) }
            guard let data = FileManager.default.contents(atPath: argument) else {
                throw DiscoveryError(.invalidText, "not enr: text, hex, or a readable file")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix(ENR.textPrefix) { return try ENR(text: text, verifying: false) }
            if let bytes = try? Hex.decode(text), !bytes.isEmpty { return try ENR(rlp: bytes, verifying: false) }
            return try ENR(rlp: [UInt8](data), verifying: false)
        }
    }
}
