// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discv5
import Eth
import Foundation
import RLP
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing
import RLPxPeer
import RLPxProtocols

extension RLPxTool {
    /// `rlpx-tool decode`: show what bytes are.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode bytes as RLP, a message (p2p, eth, snap), a transaction, a header, a handshake packet, or frames.",
            discussion: """
                Without a mode flag the bytes are one RLP item, printed as a tree: each line is one item with its \
                kind, @offset, header and payload lengths, the bytes in hex, and where they fit, the unsigned \
                integer value and printable text. --stream reads items one after another (a chain file as `geth \
                export` writes it: one tree per block); --rlpdump prints go-ethereum rlpdump's text form instead, which \
                `rlpx-tool encode` turns back into bytes.

                --message reads frame data (code, then payload) and names p2p, eth (eth/68-72) and snap (snap/1-2) \
                messages with their fields. Without --caps it assumes eth/69 and snap/1 matched on the connection; \
                --caps eth/70,snap/2 picks other versions (lengths of eth and snap are known; other protocols need \
                name/version:length). --tx reads a transaction (binary form: a legacy RLP list or type || payload, \
                canonical or network form, or wrapped in an RLP byte string as in a block body) and shows its \
                type, hash, sender, chain ID and every field. --header \
                reads a block header and shows its hash, number, the fork its field set implies, and every field. \
                --discv4 reads a discv4 packet (hash, sender, type and fields); --discv5 unmasks a discv5 packet's \
                header for the receiving node (--node-id) and, with --keylog holding the session's DISCV5_SESSION \
                line, decrypts and reads its message.

                --auth/--ack decrypt the handshake packet at the start of the bytes with the receiving node's static \
                key (--key) and show its fields, then any bytes after it (a side's first TCP payload often carries \
                its Hello too: those are frames). --frames decrypts a stream of frames from one sender (--from) and \
                reads each message as a capture transcript does (decompressed after a version 5 Hello, named by the \
                Hello's capabilities or --caps), given the session's key log line (--keylog FILE, as --keylog of \
                ping, send, serve, load and probe writes it, with the handshake packets as on the wire: \
                --auth-packet and --ack-packet) or its secrets (--secrets, lines of `name hex`: aes-secret, \
                mac-secret, initiator-nonce, recipient-nonce, auth, ack).

                Invalid input prints what decoded before the error, then the error (rule broken, offset and field \
                path) on stderr; with --json the output also carries the error as an "error" object (hex that is \
                not hex and a file that cannot be read too).

                Exit status: 0 when decoded; 1 for bad input (one line on stderr: rule, offset, field) or a file \
                that cannot be read; 64 for bad usage (a bad --key included).
                """
        )

        @OptionGroup var input: ByteInput

        @OptionGroup var output: OutputFormat

        @Flag(name: .long, help: "Read RLP items one after another, as in a chain file (one tree per item).")
        var stream = false

        @Flag(name: .long, help: "Print RLP in go-ethereum rlpdump's text form (what `encode` reads).")
        var rlpdump = false

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

        @Flag(name: .long, help: "Read a discv4 packet (hash, signature, type and data).")
        var discv4 = false

        @Flag(name: .long, help: "Read a discv5 packet's header (needs --node-id; its message too with --keylog).")
        var discv5 = false

        @Option(name: .long, help: "With --discv5: the receiving node's ID (32 bytes of hex), which masks the header.")
        var nodeID: String?

        @Option(
            name: .long,
            help: "Capabilities for --message and --frames, as name/version[:length],... (default eth/69,snap/1; e.g. eth/68,snap/1 or les/4:24).")
        var caps: String = ""

        @Flag(name: .long, help: "With --message: the payload is snappy-compressed (p2p version 5).")
        var snappy = false

        @Option(name: .long, help: "A secp256k1 private key in hex (visible to other users in ps: prefer --nodekey).")
        var key: String?

        @Option(name: .long, help: "A file holding the private key as 64 hex digits (go-ethereum's node key file).", completion: .file())
        var nodekey: String?

        @Option(name: .long, help: "A file of session secrets (lines of `name hex`).", completion: .file())
        var secrets: String?

        @Option(
            name: .long, help: "With --frames or --discv5: a key log (as --keylog of ping, send, serve, load, probe writes it).",
            completion: .file())
        var keylog: String?

        @Option(name: .long, help: "With --keylog: the auth packet in hex, as on the wire.")
        var authPacket: String?

        @Option(name: .long, help: "With --keylog: the ack packet in hex, as on the wire.")
        var ackPacket: String?

        @Option(name: .long, help: "Who sent the frames: initiator or recipient.")
        var from: String = "initiator"

        func validate() throws {
            let modes = [auth, ack, frames, message, tx, header, discv4, discv5]
            guard modes.filter({ $0 }).count <= 1 else {
                throw ValidationError("Choose at most one of --auth, --ack, --frames, --message, --tx, --header, --discv4 and --discv5.")
            }
            if (stream || rlpdump) && modes.contains(true) {
                throw ValidationError("--stream and --rlpdump read plain RLP: use them without a mode flag.")
            }
            if rlpdump && output.isJSON { throw ValidationError("Choose --rlpdump or JSON, not both.") }
            if !caps.isEmpty && KnownProtocols.parseList(caps) == nil {
                throw ValidationError(
                    "--caps takes name/version[:length],... (e.g. eth/68,snap/1; a length is needed for protocols other than eth and snap).")
            }
            if (auth || ack) && key == nil && nodekey == nil { throw ValidationError("--auth and --ack need --key or --nodekey.") }
            if key != nil && nodekey != nil { throw ValidationError("Give --key or --nodekey, not both.") }
            if let key, parsePrivateKey(key) == nil { throw ValidationError("--key is not a valid secp256k1 private key") }
            if frames && (secrets == nil) == (keylog == nil) {
                throw ValidationError("--frames needs --keylog (with --auth-packet and --ack-packet) or --secrets.")
            }
            if discv5 && nodeID.map({ (try? Hex.decode($0))?.count != 32 }) ?? true {
                throw ValidationError("--discv5 needs --node-id: the receiving node's ID, 32 bytes of hex.")
            }
            if keylog != nil && !discv5 && (authPacket == nil || ackPacket == nil) {
                throw ValidationError("--keylog needs the session's handshake packets: --auth-packet and --ack-packet.")
            }
            for (name, value) in [("--auth-packet", authPacket), ("--ack-packet", ackPacket)]
            where value.map({ (try? Hex.decode($0)) == nil }) ?? false {
                throw ValidationError("\(name) is not hex.")
            }
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
            } else if discv4 || discv5 {
                let inspection: DiscoveryInspection
                if discv4 {
                    inspection = .discv4(bytes)
                } else {
                    let text = keylog.map { String(decoding: fileContentsOrExit($0, "key log"), as: UTF8.self) } ?? ""
                    let keyLog: [Discv5KeyLogEntry]
                    do throws(Discv5Error) {
                        keyLog = try Discv5KeyLogEntry.parse(text)
                    } catch {
                        return ("", "\(error.code.name): \(error.reason)")
                    }
                    inspection = .discv5(bytes, nodeID: (try? Hex.decode(nodeID ?? "")) ?? [], keyLog: keyLog)
                }
                let text = output.isJSON ? inspection.json().rendered() + "\n" : inspection.fields.isEmpty ? "" : inspection.renderedText()
                return (text, inspection.error)
            } else if frames {
                let sender = Role(rawValue: from) ?? .initiator
                // The reader is the side that did not send.
                let readerSecrets: SessionSecrets
                switch sessionSecrets(role: sender == .initiator ? .recipient : .initiator) {
                case .success(let secrets): readerSecrets = secrets
                case .failure(let failure): return ("", failure.description)
                }
                let protocols = caps.isEmpty ? nil : KnownProtocols.parseList(caps)
                let inspection = FrameInspection(bytes, reader: readerSecrets, protocols: protocols)
                return (
                    output.isJSON ? inspection.json().rendered() + "\n" : inspection.renderedText(),
                    inspection.error.map { "\($0.error.code.name) at offset \($0.offset): \($0.error.reason)" }
                )
            } else {
                let inspection = RLPInspection(bytes, stream: stream)
                return (
                    output.isJSON
                        ? inspection.json().rendered() + "\n"
                        : rlpdump ? RLPText.render(inspection.items.map(\.item)) : inspection.renderedText(),
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
            } catch let error as ToolError {
                if output.isJSON { emit(JSONValue.object([("error", error.json)]).rendered() + "\n") }
                fail(error.description)
            }
        }

        func parseKey() throws -> Secp256k1.PrivateKey {
            if let nodekey {
                do { return try NodeKeyFile.read(nodekey) } catch { fail(error.description) }
            }
            guard let privateKey = parsePrivateKey(key ?? "") else { throw ValidationError("--key is not a valid secp256k1 private key") }
            return privateKey
        }

        /// The session's secrets for `role`, from --secrets or from --keylog's line for --auth-packet.
        func sessionSecrets(role: Role) -> Result<SessionSecrets, ToolError> {
            guard let keylog else {
                let text = String(decoding: fileContentsOrExit(secrets ?? "", "secrets file"), as: UTF8.self)
                do {
                    return .success(try SessionSecrets(text: text, role: role))
                } catch {
                    return .failure(ToolError(.unreadableFile, error.description))
                }
            }
            let text = String(decoding: fileContentsOrExit(keylog, "key log"), as: UTF8.self)
            let auth = (try? Hex.decode(authPacket ?? "")) ?? []
            let ack = (try? Hex.decode(ackPacket ?? "")) ?? []
            do {
                guard let entry = try KeyLogEntry.entry(in: text, authPacket: auth) else {
                    return .failure(
                        ToolError(.unreadableFile, "\(keylog) has no line for this auth packet (its keccak256 is the line's first field)"))
                }
                return .success(entry.secrets(role: role, authPacket: auth, ackPacket: ack))
            } catch {
                return .failure(ToolError(.unreadableFile, error.description))
            }
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
