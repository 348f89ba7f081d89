// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import Foundation
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing

extension RLPxTool {
    /// `rlpx-tool decode`: show what bytes are.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode bytes as RLP, a message (p2p, eth, snap), a transaction, a header, a handshake packet, or frames.",
            discussion: """
                Without a mode flag the bytes are one RLP item, printed as a tree: each line is one item with its \
                kind, @offset, header and payload lengths, the bytes in hex, and where they fit, the unsigned \
                integer value and printable text.

                --message reads frame data (code, then payload) and names p2p, eth (eth/68-72) and snap (snap/1-2) \
                messages with their fields. Without --caps it assumes eth/69 and snap/1 matched on the connection; \
                --caps eth/70,snap/2 picks other versions (lengths of eth and snap are known; other protocols need \
                name/version:length). --tx reads a transaction (binary form: a legacy RLP list or type || payload, \
                canonical or network form) and shows its type, hash, sender, chain ID and every field. --header \
                reads a block header and shows its hash, number, the fork its field set implies, and every field.

                --auth/--ack decrypt a handshake packet with the receiving node's static key (--key) and show its \
                fields. --frames decrypts a stream of frames from one sender, given the session secrets (--secrets, \
                lines of `name hex`: aes-secret, mac-secret, initiator-nonce, recipient-nonce, auth, ack) and which \
                side sent them (--from).

                Invalid input prints what decoded before the error, then the error (rule broken, offset and field \
                path) on stderr; with --json the output also carries the error as an "error" object (hex that is \
                not hex and a file that cannot be read too).

                Exit status: 0 when decoded; 1 for bad input (one line on stderr: rule, offset, field) or a file \
                that cannot be read; 64 for bad usage (a bad --key included).
                """
        )

        @OptionGroup var input: ByteInput

        @OptionGroup var output: OutputFormat

        @Flag(name: .long, help: "Decrypt an auth packet (needs --key: the recipient's private key).")
        var auth = false

        @Flag(name: .long, help: "Decrypt an ack packet (needs --key: the initiator's private key).")
        var ack = false

        @Flag(name: .long, help: "Decrypt a stream of frames (needs --secrets and --from).")
        var frames = false

        @Flag(name: .long, help: "Read frame data as a message: code, then payload.")
        var message = false

        @Flag(name: .long, help: "Read a transaction in binary form (canonical or network form).")
        var tx = false

        @Flag(name: .long, help: "Read a block header.")
        var header = false

        @Option(
            name: .long,
            help: "Capabilities for --message, as name/version[:length],... (default eth/69,snap/1; e.g. eth/68,snap/1 or les/4:24).")
        var caps: String = ""

        @Flag(name: .long, help: "With --message: the payload is snappy-compressed (p2p version 5).")
        var snappy = false

        @Option(name: .long, help: "A secp256k1 private key in hex.")
        var key: String?

        @Option(name: .long, help: "A file of session secrets (lines of `name hex`).", completion: .file())
        var secrets: String?

        @Option(name: .long, help: "Who sent the frames: initiator or recipient.")
        var from: String = "initiator"

        func validate() throws {
            guard [auth, ack, frames, message, tx, header].filter({ $0 }).count <= 1 else {
                throw ValidationError("Choose at most one of --auth, --ack, --frames, --message, --tx and --header.")
            }
            if !caps.isEmpty && KnownProtocols.parseList(caps) == nil {
                throw ValidationError(
                    "--caps takes name/version[:length],... (e.g. eth/68,snap/1; a length is needed for protocols other than eth and snap).")
            }
            if (auth || ack) && key == nil { throw ValidationError("--auth and --ack need --key.") }
            if let key, parsePrivateKey(key) == nil { throw ValidationError("--key is not a valid secp256k1 private key") }
            if frames && secrets == nil { throw ValidationError("--frames needs --secrets.") }
            if frames && Role(rawValue: from) == nil { throw ValidationError("--from is initiator or recipient.") }
        }

        func run() throws {
            let (text, failure) = try inspect(try readInput())
            emit(text)
            if let failure { fail(failure) }
        }

        /// What `bytes` are, as the output to print and the error line when they are bad input. Everything decoded is
        /// gone when this returns, so the process never exits while holding it (LeakSanitizer cannot see references
        /// held in Swift enums whose case tag shares the pointer's spare bits, and reports them as leaks at exit).
        func inspect(_ bytes: [UInt8]) throws -> (text: String, failure: String?) {
            if auth || ack {
                let privateKey = try parseKey()
                do {
                    let inspection =
                        auth
                        ? try HandshakeInspection.auth(bytes, key: privateKey)
                        : try HandshakeInspection.ack(bytes, key: privateKey)
                    return (output.isJSON ? inspection.json().rendered() + "\n" : inspection.renderedText(), nil)
                } catch {
                    return ("", "\(error.code.name): \(error.reason)")
                }
            } else if message {
                do {
                    let protocols = caps.isEmpty ? KnownProtocols.defaults : KnownProtocols.parseList(caps) ?? []
                    let inspection = try MessageInspection(frameData: bytes, protocols: protocols, compressed: snappy)
                    return (
                        output.isJSON ? inspection.json().rendered() + "\n" : inspection.renderedText(),
                        inspection.errorLine
                    )
                } catch {
                    return ("", error.description)
                }
            } else if tx || header {
                switch Self.decodeValue(bytes, asTransaction: tx) {
                case .success(let (value, senderError)):
                    // A transaction that decodes but names no sender is still bad input.
                    return (
                        output.isJSON ? value.rendered() + "\n" : (tx ? "transaction\n" : "header\n") + value.renderedTree(indent: "  "),
                        senderError.map(RLPInspection.errorLine)
                    )
                case .failure(let error):
                    let text = output.isJSON ? JSONValue.object([("error", RLPInspection.json(for: error))]).rendered() + "\n" : ""
                    return (text, RLPInspection.errorLine(error))
                }
            } else if frames {
                let sender = Role(rawValue: from) ?? .initiator
                let text = readSecretsFile()
                let readerSecrets: SessionSecrets
                do {
                    // The reader is the side that did not send.
                    readerSecrets = try SessionSecrets(text: text, role: sender == .initiator ? .recipient : .initiator)
                } catch {
                    return ("", error.description)
                }
                let inspection = FrameInspection(bytes, reader: readerSecrets)
                return (
                    output.isJSON ? inspection.json().rendered() + "\n" : inspection.renderedText(),
                    inspection.error.map { "\($0.error.code.name) at offset \($0.offset): \($0.error.reason)" }
                )
            } else {
                let inspection = RLPInspection(bytes)
                return (
                    output.isJSON ? inspection.json().rendered() + "\n" : inspection.renderedText(),
                    inspection.error.map(RLPInspection.errorLine)
                )
            }
        }

        /// A transaction or a header as JSON (with why a transaction's sender cannot be recovered), or why the
        /// bytes are not one.
        static func decodeValue(_ bytes: [UInt8], asTransaction: Bool) -> Result<(JSONValue, RLPError?), RLPError> {
            do throws(RLPError) {
                guard asTransaction else { return .success((EthJSON.header(try BlockHeader(rlpEncoded: bytes)), nil)) }
                let transaction = try Transaction(binary: bytes)
                let sender = EthJSON.recoverSender(transaction)
                let senderError: RLPError? = if case .failure(let error) = sender { error } else { nil }
                return .success((EthJSON.transaction(transaction, sender: sender), senderError))
            } catch {
                return .failure(error)
            }
        }

        /// The input bytes; input that cannot be read or is not hex ends the process with status 1, the error on
        /// stderr (and with --json as the output's "error" object, as an RLP error is).
        func readInput() throws -> [UInt8] {
            do {
                return try input.read()
            } catch let error as InputError {
                if output.isJSON { emit(JSONValue.object([("error", error.json)]).rendered() + "\n") }
                fail(error.description)
            }
        }

        func parseKey() throws -> Secp256k1.PrivateKey {
            guard let privateKey = parsePrivateKey(key ?? "") else { throw ValidationError("--key is not a valid secp256k1 private key") }
            return privateKey
        }

        func readSecretsFile() -> String {
            String(decoding: fileContentsOrExit(secrets ?? "", "secrets file"), as: UTF8.self)
        }

        func emit(_ text: String) { print(text, terminator: "") }
    }
}

/// Prints `error: <message>` on stderr and exits with `status` (1 unless the command's table says otherwise).
func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    Decode.exit(withError: ExitCode(status))
}

typealias Decode = RLPxTool.Decode
