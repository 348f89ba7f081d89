// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import DiscoveryPeer
import Discv5
import Foundation
import RLP
import RLPxCrypto
import RLPxInspect
import RLPxPeer

extension RLPxTool {
    /// `rlpx-tool discv5`: talk discv5 to one node.
    struct Discv5Command: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discv5", abstract: "Node discovery v5: run a node, or ping, resolve, crawl and test one.",
            discussion: """
                Each subcommand says what it prints (--format json: one JSON object, or JSON Lines for crawl). \
                --keylog FILE appends a DISCV5_SESSION line per session (both node IDs and the two AES-GCM keys: \
                keep it private). Exit status: 0 when it worked (no named test failed, for test); 1 when the node \
                did not answer, a test failed or the network failed (the reason on stderr); 64 for bad usage.
                """,
            subcommands: [Listen.self, PingNode.self, Resolve.self, Crawl.self, TestNode.self])

        /// Options every discv5 subcommand that talks to a node shares.
        struct Options: ParsableArguments {
            @Argument(help: "The node: enr:… or enode://…@ip:port[?discport=N]") var node: String
            @Option(name: .long, help: "Local address to bind (UDP).") var bind: String = "127.0.0.1"
            @Option(name: .long, help: "Seconds to wait for each answer.") var timeout: Double = 2
            @Option(name: .long, help: "Append the session keys to this file (DISCV5_SESSION lines).") var keylog: String?
            @OptionGroup var output: OutputFormat

            /// The node's UDP address, ID and key, and its record when given one.
            func target() throws -> (address: Discv5Node.Endpoint, id: NodeID, key: Secp256k1.PublicKey, record: ENR?) {
                if node.hasPrefix(ENR.textPrefix) {
                    let record: ENR
                    let ip: IPAddress?
                    let port: UInt16?
                    do {
                        record = try ENR(text: node)
                        ip = try record.ip() ?? record.ip6()
                        port = try record.udp() ?? record.udp6()
                    } catch {
                        throw ValidationError("not a valid node record: \(error)")
                    }
                    guard let ip, let port, let key = try? record.publicKey() else { throw ValidationError("the record has no IP and UDP port") }
                    return (.init(ip: ip, port: port), NodeID(publicKey: key), key, record)
                }
                // As for discv4: a record without a TCP port implies `…:0?discport=N`, which the enode parser refuses.
                let url: EnodeURL
                do { url = try EnodeURL(node.replacingOccurrences(of: ":0?discport=", with: ":1?discport=")) } catch {
                    throw ValidationError(error.description)
                }
                guard let ip = IPAddress(url.host), let port = UInt16(exactly: url.discoveryPort ?? url.port) else {
                    throw ValidationError("discv5 needs an IP address, not the host name \(url.host)")
                }
                return (.init(ip: ip, port: port), NodeID(publicKey: url.publicKey), url.publicKey, nil)
            }

            /// A node with a fresh key on an ephemeral port of --bind, told the target's key.
            func start() async throws -> (peer: Discv5Peer, address: Discv5Node.Endpoint, id: NodeID) {
                let target = try target()
                var random = SystemRandom()
                let peer = try await Discv5Command.bind(
                    host: bind, port: 0, key: .random(using: &random), keyLog: try keylog.map { try KeyLogWriter(path: $0) }, log: nil)
                if let record = target.record { peer.learn(record) } else { peer.learn(publicKey: target.key) }
                return (peer, target.address, target.id)
            }

            func validate() throws { try validateSeconds(timeout, "--timeout") }

            var wait: Duration { .seconds(timeout) }
        }

        /// A node on `host:port` whose record names the address actually bound.
        static func bind(
            host: String, port: Int, key: Secp256k1.PrivateKey, keyLog: KeyLogWriter?, log: (@Sendable (Discv5Node.Event) -> Void)?
        ) async throws -> Discv5Peer {
            guard let ip = IPAddress(host) else { throw ValidationError("the address to bind must be an IP address, not \(host)") }
            let peer = try await Discv5Peer.bind(
                host: host, port: port, key: key, record: try ENR.signed(seq: 1, pairs: [], key: key),
                keyLog: keyLog.map { writer -> @Sendable (Discv5KeyLogEntry) -> Void in { writer.append(line: $0.line) } }, log: log)
            peer.setRecord(try ENR.node(key: key, seq: 2, ip: ip, udp: peer.localPort ?? 0))
            return peer
        }

        static func json(_ record: ENR) -> JSONValue {
            var members: [(String, JSONValue)] = [("enr", .string(record.text)), ("seq", .int(Int(clamping: record.seq)))]
            if let id = try? record.nodeID() { members.append(("id", .string(id.description))) }
            if let ip = try? record.ip() ?? record.ip6() { members.append(("ip", .string(ip.description))) }
            if let udp = try? record.udp() ?? record.udp6() { members.append(("udp", .int(Int(udp)))) }
            if let enode = record.enodeURL() { members.append(("enode", .string(enode))) }
            return .object(members)
        }

        /// `discv5 listen`: a node that answers until stopped.
        struct Listen: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "listen",
                abstract: "Run a discv5 node on UDP: answer PING, FINDNODE and TALKREQ; print its record and enode first.",
                discussion: """
                    The first two lines are the node's record (enr:…, with ip and udp) and its enode URL (with \
                    --format json, one object with both). It answers as go-ethereum does (PONG with the observed \
                    address, NODES by distance, empty TALKRESP; nodes that complete a handshake with a record of \
                    their address enter its table and are pinged) until --duration passes or the process is stopped.

                    Exit status: 0 when --duration passed; 1 when the port cannot be bound; 64 for bad usage.
                    """)
            @Option(name: .long, help: "Address to bind.") var host: String = "127.0.0.1"
            @Option(name: .long, help: "UDP port (0 picks one).") var port: Int = 30303
            @Option(name: .long, help: "Private key, 64 hex digits (default: a fresh one).") var key: String?
            @Option(name: .long, help: "Seconds to run (default: until stopped).") var duration: Double?
            @Option(name: .long, help: "Append the session keys to this file (DISCV5_SESSION lines).") var keylog: String?
            @Flag(name: .long, help: "Log every packet to stderr.") var verbose = false
            @OptionGroup var output: OutputFormat

            func validate() throws { try duration.map { try validateSeconds($0, "--duration", zero: true) } }

            func run() async throws {
                var random = SystemRandom()
                let privateKey =
                    try key.map { try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode($0)) } ?? Secp256k1.PrivateKey.random(using: &random)
                var log: (@Sendable (Discv5Node.Event) -> Void)?
                if verbose {
                    log = { event in FileHandle.standardError.write(Data("\(Self.describe(event))\n".utf8)) }
                }
                let peer = try await Discv5Command.bind(
                    host: host, port: port, key: privateKey, keyLog: try keylog.map { try KeyLogWriter(path: $0) }, log: log)
                let record = peer.record
                // Written at once, unbuffered: a script reads these lines while the node runs.
                let text = output.isJSON ? Discv5Command.json(record).rendered() : record.text + "\n" + (record.enodeURL() ?? "")
                FileHandle.standardOutput.write(Data((text + "\n").utf8))
                if let duration {
                    try await Task.sleep(for: .seconds(duration))
                } else {
                    while true { try await Task.sleep(for: .seconds(3600)) }
                }
                await peer.close()
            }

            static func describe(_ event: Discv5Node.Event) -> String {
                switch event {
                case .request(let message, let id, let address): "\(message.name) from \(address) \(id)"
                case .answered(let requestID, _, let id): "answer to \(requestID) from \(id)"
                case .session(let entry): "session \(Hex.encode(entry.initiatorID)) → \(Hex.encode(entry.recipientID))"
                case .ignored(let message, let id, let reason): "ignored \(message.name) from \(id): \(reason)"
                case .refused(let error, let address): "refused from \(address): \(error)"
                }
            }
        }

        /// `discv5 ping`: one PING (after the handshake), its PONG and the round trip.
        struct PingNode: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ping",
                abstract: "Send a discv5 PING (doing the handshake) and wait for the PONG.",
                discussion: """
                    Prints the round trip (handshake included), the address the node saw us at and its record's \
                    sequence number. Exit status: 0 when the PONG came within --timeout; 1 when not; 64 for bad usage.
                    """)
            @OptionGroup var options: Options

            func run() async throws {
                let (peer, address, id) = try await options.start()
                let started = ContinuousClock.now
                let pong = await peer.ping(id, at: address, timeout: options.wait)
                let elapsed = Int((ContinuousClock.now - started).inSeconds * 1000)
                await peer.close()
                guard let pong else { fail("no pong from \(address) within \(options.timeout) s") }
                let seen = "\(IPAddress(bytes: pong.recipientIP)?.description ?? "?"):\(pong.recipientPort)"
                if options.output.isJSON {
                    print(
                        JSONValue.object([
                            ("from", .string(address.description)), ("milliseconds", .int(elapsed)), ("to", .string(seen)),
                            ("enrSeq", .int(Int(clamping: pong.enrSeq))),
                        ]).rendered())
                } else {
                    print("pong from \(address) in \(elapsed) ms to \(seen) enr-seq \(pong.enrSeq)")
                }
            }
        }

        /// `discv5 resolve`: the node's own record, from FINDNODE at distance 0.
        struct Resolve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "resolve",
                abstract: "Ask a node for its own record (FINDNODE at distance 0) and print it with its enode URL.",
                discussion: "Exit status: 0 when a record came, verified and is the node's; 1 when not; 64 for bad usage.")
            @OptionGroup var options: Options

            func run() async throws {
                let (peer, address, id) = try await options.start()
                let record = await peer.requestENR(id, at: address, timeout: options.wait)
                await peer.close()
                guard let record else { fail("no record from \(address) within \(options.timeout) s") }
                if options.output.isJSON {
                    print(Discv5Command.json(record).rendered())
                } else {
                    print(record.text)
                    if let enode = record.enodeURL() { print(enode) }
                }
            }
        }

        /// `discv5 crawl`: walk the tables of a node and of the nodes it names.
        struct Crawl: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "crawl",
                abstract: "Ask a node for its table (FINDNODE at the farthest distances), then each node found, for --duration.",
                discussion: """
                    Writes each new record found, one JSON object per line (enr, seq, id, ip, udp, enode), and a \
                    summary on stderr. At most --rate queries a second, for at most --duration seconds. Exit status: \
                    0 when the first node answered; 1 when not; 64 for bad usage.
                    """)
            @OptionGroup var options: Options
            @Option(name: .long, help: "Seconds to crawl.") var duration: Double = 30
            @Option(name: .long, help: "Most FINDNODE queries a second.") var rate: Double = 10
            @Option(name: .long, help: "Distances each query asks for (farthest first: the largest buckets).") var distances: [UInt16] = [
                256, 255, 254,
            ]

            func validate() throws {
                try validateSeconds(duration, "--duration", zero: true)
                guard rate.isFinite, rate > 0, rate <= 10_000 else {
                    throw ValidationError("--rate takes a positive number of queries a second, at most 10000")
                }
            }

            func run() async throws {
                let (peer, first, firstID) = try await options.start()
                let deadline = ContinuousClock.now + .seconds(duration)
                let interval = Duration.seconds(1 / rate)
                var queue: [(Discv5Node.Endpoint, NodeID)] = [(first, firstID)]
                var seen: Set<NodeID> = [firstID]
                var queried = 0
                var answered = 0
                while !queue.isEmpty, ContinuousClock.now < deadline {
                    let started = ContinuousClock.now
                    let (address, id) = queue.removeFirst()
                    queried += 1
                    let wait = min(options.wait, max(.zero, deadline - ContinuousClock.now))
                    if let records = await peer.findNode(id, at: address, distances: distances, timeout: wait) {
                        answered += 1
                        for record in records {
                            guard let nodeID = try? record.nodeID(), seen.insert(nodeID).inserted else { continue }
                            print(Discv5Command.json(record).rendered())
                            if let known = peer.learn(record) { queue.append((known.endpoint, nodeID)) }
                        }
                    } else if queried == 1 {
                        break
                    }
                    let spent = ContinuousClock.now - started
                    if spent < interval { try? await Task.sleep(for: interval - spent) }
                }
                await peer.close()
                FileHandle.standardError.write(Data("\(queried) queried, \(answered) answered, \(seen.count - 1) records\n".utf8))
                if answered == 0 { fail("no answer from \(first)") }
            }
        }

        /// `discv5 test`: go-ethereum's devp2p discv5 tests by name.
        struct TestNode: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "test",
                abstract: "Run go-ethereum's discv5 tests (Ping … FindnodeResults) against a node.",
                discussion: """
                    Each test runs with fresh keys and sockets from 127.0.0.1; PingMultiIP also sends from 127.0.0.2. \
                    Every wait is bounded by --timeout. Tests: \(Discv5Suite.names.joined(separator: ", ")).

                    Exit status: 0 when no test run failed (a test that could not run here is skipped, not failed); 1 \
                    when one failed; 64 for bad usage.
                    """)
            @OptionGroup var options: Options
            @Option(name: .customLong("run"), help: "Run only tests whose names contain this (repeatable).") var filters: [String] = []
            @Option(name: .long, help: "Seconds a test that expects no answer listens (default: --timeout).") var silence: Double?
            @Option(name: .long, help: "Seconds FindnodeResults waits for the node to take its bystanders.") var bystanderWait: Double = 10

            func validate() throws {
                try silence.map { try validateSeconds($0, "--silence", zero: true) }
                try validateSeconds(bystanderWait, "--bystander-wait")
            }

            func run() async throws {
                let target = try options.target()
                var suite = Discv5Suite(target: target.address, targetKey: target.key)
                suite.timeout = options.wait
                suite.silence = silence.map { .seconds($0) }
                suite.bystanderWait = .seconds(bystanderWait)
                try report(await suite.run(filters), json: options.output.isJSON)
            }
        }
    }
}
