// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import Foundation
import Keccak
import RLP
import RLPxCrypto
import RLPxInspect
import RLPxPeer

extension RLPxTool {
    /// `rlpx-tool key`: node key files, as go-ethereum's `devp2p key` handles them.
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate node key files and show the identity they hold, as go-ethereum's devp2p key does.",
            discussion: """
                A node key file holds the private key as 64 hex digits on one line (go-ethereum's format: geth \
                --nodekey and devp2p key read it). Every command that takes --key HEX takes --nodekey FILE too: a \
                key in the arguments is visible to every user of the machine (ps), a file only to its owner.

                Exit status: 0 when done; 1 when the key file cannot be read or written, or holds no key; 64 for \
                bad usage.
                """,
            subcommands: [Generate.self, ToID.self, ToEnode.self, ToENR.self])

        /// `key generate [FILE]`.
        struct Generate: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Generate a node key: into FILE (created with mode 0600; an existing file is kept), or printed.",
                discussion: """
                    Exit status: 0 when written; 1 when FILE exists or cannot be written; 64 for bad usage.
                    """)

            @Argument(help: "The key file to create (the key is printed in hex without it).", completion: .file()) var file: String?

            func run() throws {
                var random = SystemRandom()
                let key = Secp256k1.PrivateKey.random(using: &random)
                guard let file else { return print(Hex.encode(key.rawRepresentation)) }
                do {
                    try NodeKeyFile.write(key, to: file)
                } catch {
                    fail(error.description)
                }
            }
        }

        /// `key to-id FILE`.
        struct ToID: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "to-id",
                abstract: "Print the node ID of a key file: keccak256 of the public key, as go-ethereum names nodes.",
                discussion: """
                    With --format json: {"id", "publicKey"} (the public key is what an enode URL carries).

                    Exit status: 0 when printed; 1 when the file cannot be read or holds no key; 64 for bad usage.
                    """)

            @Argument(help: "A node key file.", completion: .file()) var file: String
            @OptionGroup var output: OutputFormat

            func run() throws {
                let publicKey = readKeyFile(file).publicKey
                let id = Hex.encode(Keccak256.hash(publicKey.nodeID))
                guard output.isJSON else { return print(id) }
                print(JSONValue.object([("id", .string(id)), ("publicKey", .string(Hex.encode(publicKey.nodeID)))]).rendered())
            }
        }

        /// `key to-enode FILE [--ip IP] [--tcp PORT] [--udp PORT]`.
        struct ToEnode: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "to-enode",
                abstract: "Print the enode URL of a key file at an address.",
                discussion: """
                    As go-ethereum's devp2p key to-enode: --ip 127.0.0.1 and port 30303 unless given; a --udp port \
                    other than the TCP port is the URL's discport. With --format json: {"enode"}.

                    Exit status: 0 when printed; 1 when the file cannot be read or holds no key; 64 for bad usage.
                    """)

            @Argument(help: "A node key file.", completion: .file()) var file: String
            @Option(name: .long, help: "The node's IP address.") var ip: String = "127.0.0.1"
            @Option(name: [.customLong("tcp"), .customLong("port")], help: "The node's TCP port (--port is the same).") var tcp: Int = EnodeURL
                .defaultPort
            @Option(name: .long, help: "The node's UDP (discovery) port (default: the TCP port).") var udp: Int?
            @OptionGroup var output: OutputFormat

            func validate() throws {
                guard (1...65535).contains(tcp), (1...65535).contains(udp ?? tcp) else { throw ValidationError("Ports are 1 to 65535.") }
                guard isIPAddress(ip) else { throw ValidationError("--ip takes an IPv4 or IPv6 address; \(ip) is not one.") }
            }

            func run() throws {
                let key = readKeyFile(file)
                let url = EnodeURL(publicKey: key.publicKey, host: ip, port: tcp, discoveryPort: udp.flatMap { $0 == tcp ? nil : $0 })
                print(output.isJSON ? JSONValue.object([("enode", .string(url.description))]).rendered() : url.description)
            }
        }

        /// `key to-enr FILE [--ip IP] [--tcp PORT] [--udp PORT] [--seq N]`.
        struct ToENR: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "to-enr",
                abstract: "Print a node record (enr:…) signed by a key file, with an address.",
                discussion: """
                    As go-ethereum's devp2p key to-enr: the record holds id v4, secp256k1, ip (ip6 for IPv6) and the tcp \
                    and udp ports (a port of 0 is left out); --ip 127.0.0.1 and port 30303 unless given; sequence number \
                    --seq (default 0). With --format json: {"enr"}.

                    Exit status: 0 when printed; 1 when the file cannot be read or holds no key; 64 for bad usage.
                    """)

            @Argument(help: "A node key file.", completion: .file()) var file: String
            @Option(name: .long, help: "The node's IP address.") var ip: String = "127.0.0.1"
            @Option(name: .long, help: "The node's TCP port (0: none).") var tcp: Int = EnodeURL.defaultPort
            @Option(name: .long, help: "The node's UDP (discovery) port (0: none).") var udp: Int = EnodeURL.defaultPort
            @Option(name: .long, help: "The record's sequence number.") var seq: UInt64 = 0
            @OptionGroup var output: OutputFormat

            func validate() throws {
                guard (0...65535).contains(tcp), (0...65535).contains(udp) else { throw ValidationError("Ports are 0 to 65535.") }
                guard IPAddress(ip) != nil else { throw ValidationError("--ip takes an IPv4 or IPv6 address; \(ip) is not one.") }
            }

            func run() throws {
                let key = readKeyFile(file)
                let record: ENR
                do {
                    record = try ENR.node(key: key, seq: seq, ip: IPAddress(ip), udp: UInt16(udp), tcp: UInt16(tcp))
                } catch {
                    fail(error.description)
                }
                print(output.isJSON ? JSONValue.object([("enr", .string(record.text))]).rendered() : record.text)
            }
        }
    }
}

/// The key in the node key file at `path`; one that cannot be read or holds no key ends the process with status 1.
private func readKeyFile(_ path: String) -> Secp256k1.PrivateKey {
    do {
        return try NodeKeyFile.read(path)
    } catch {
        fail(error.description)
    }
}

/// Whether `text` is an IPv4 or IPv6 address (go-ethereum's to-enode takes an IP, not a host name).
private func isIPAddress(_ text: String) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 16)
    return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
}
