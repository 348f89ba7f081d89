// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import DiscoveryPeer
import Foundation
import RLP
import RLPxCrypto
import RLPxInspect
import RLPxPeer

extension RLPxTool {
    /// `rlpx-tool discv4`: talk discv4 to one node.
    struct Discv4Command: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discv4", abstract: "Node discovery v4: run a node, or ping, resolve, crawl and test one.",
            discussion: """
                Each subcommand says what it prints. Exit status: 0 when it worked (every named test passed, for \
                test); 1 when the node did not answer, a test failed or the network failed (the reason on \
                stderr); 64 for bad usage.
                """,
            subcommands: [Listen.self, PingNode.self, Resolve.self, Crawl.self, TestNode.self])

        /// Options every discv4 subcommand shares.
        struct Options: ParsableArguments {
            @Argument(help: "The node: enode://…@host:port[?discport=N] or enr:…") var node: String
            @Option(name: .long, help: "Local address to bind (UDP).") var bind: String = "127.0.0.1"
            @Option(name: .long, help: "Seconds to wait for each answer.") var timeout: Double = 2

            /// The node's UDP address and ID.
            func target() throws -> (address: Discv4Responder.Address, id: NodeID) {
                let node = try parseDiscoveryNode(node)
                return (node.address, node.id)
            }

            /// A node with a fresh key on an ephemeral port of --bind.
            func start() async throws -> Discv4Peer {
                var random = SystemRandomNumberGenerator()
                let key = Secp256k1.PrivateKey.random(using: &random)
                let ipValue = RLPWriter.encode { $0.write(bytes: IPAddress(bind)?.bytes ?? []) }
                let record = try ENR.signed(seq: 1, pairs: [.init(key: Array("ip".utf8), value: ipValue)], key: key)
                return try await Discv4Peer.bind(host: bind, port: 0, key: key, record: record)
            }

            var wait: Duration { .milliseconds(Int64(max(0, timeout) * 1000)) }
        }

        /// `discv4 listen`: a discv4 node that answers until stopped.
        struct Listen: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "listen",
                abstract: "Run a discv4 node on UDP: answer Ping, FindNode and ENRRequest, print its record and enode first.",
                discussion: """
                    The first two lines are the node's record (enr:…, with ip and udp, and tcp, eth and snap when \
                    --tcp, --eth and --snap are given) and its enode URL. It answers as go-ethereum does \
                    (endpoint proof before FindNode and ENRRequest) until --duration passes or the process is stopped.

                    Exit status: 0 when --duration passed; 1 when the port cannot be bound; 64 for bad usage.
                    """)
            @Option(name: .long, help: "Address to bind.") var host: String = "127.0.0.1"
            @Option(name: .long, help: "UDP port (0 picks one).") var port: Int = 30303
            @Option(name: .long, help: "Private key, 64 hex digits (default: a fresh one).") var key: String?
            @Option(name: .long, help: "Seconds to run (default: until stopped).") var duration: Double?
            @Option(name: .long, help: "The RLPx TCP port the record announces (default: none).") var tcp: UInt16 = 0
            @Option(name: .long, help: "The eth entry's fork ID, 0xHASH/NEXT as forkid prints it (default: no eth entry).") var eth: String?
            @Flag(name: .long, help: "Announce snap in the record.") var snap = false

            func validate() throws {
                if let eth, Self.parseForkID(eth) == nil { throw ValidationError("--eth takes 0xHASH/NEXT: 8 hex digits, then a decimal number") }
            }

            /// `0xHASH/NEXT`, `0xHASH:NEXT` or `0xHASH` (next 0).
            static func parseForkID(_ text: String) -> ForkIDEntry? {
                let parts = text.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "/" || $0 == ":" }
                guard let hash = try? Hex.decode(parts[0]), hash.count == 4 else { return nil }
                guard parts.count == 2 else { return ForkIDEntry(hash: hash, next: 0) }
                guard let next = UInt64(parts[1]) else { return nil }
                return ForkIDEntry(hash: hash, next: next)
            }
            @Flag(name: .long, help: "Log every packet to stderr.") var verbose = false

            func run() async throws {
                var random = SystemRandomNumberGenerator()
                let privateKey =
                    try key.map { try Secp256k1.PrivateKey(rawRepresentation: try Hex.decode($0)) }
                    ?? Secp256k1.PrivateKey.random(using: &random)
                guard let ip = IPAddress(host) else { throw ValidationError("--host must be an IP address") }
                var log: (@Sendable (Discv4Responder.Event) -> Void)?
                if verbose {
                    log = { event in FileHandle.standardError.write(Data("\(Self.describe(event))\n".utf8)) }
                }
                // Bind first: the record carries the port actually bound.
                let probeRecord = try ENR.signed(seq: 1, pairs: [], key: privateKey)
                let peer = try await Discv4Peer.bind(host: host, port: port, key: privateKey, record: probeRecord, log: log)
                let record = try ENR.node(
                    key: privateKey, ip: ip, udp: peer.localPort ?? 0, tcp: tcp, eth: eth.flatMap(Self.parseForkID), snap: snap)
                peer.setRecord(record)
                // Written at once, unbuffered: a script reads these lines while the node runs.
                FileHandle.standardOutput.write(Data((record.text + "\n" + (record.enodeURL() ?? "") + "\n").utf8))
                if let duration {
                    try await Task.sleep(for: .milliseconds(Int64(max(0, duration) * 1000)))
                } else {
                    while true { try await Task.sleep(for: .seconds(3600)) }
                }
                await peer.close()
            }

            static func describe(_ event: Discv4Responder.Event) -> String {
                switch event {
                case .handled(let message, let id, let address): "\(message.name) from \(address) \(id)"
                case .pong(_, _, let id, let address): "PONG/v4 from \(address) \(id)"
                case .reply(let message, let id, let address): "\(message.name) from \(address) \(id)"
                case .ignored(let message, let id, let address, let reason): "ignored \(message.name) from \(address) \(id): \(reason)"
                case .refused(let error, let address): "refused from \(address): \(error)"
                }
            }
        }

        /// `discv4 ping`: one Ping, its Pong and the round trip.
        struct PingNode: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ping",
                abstract: "Send a discv4 Ping and wait for the Pong.",
                discussion: "Exit status: 0 when the Pong came within --timeout; 1 when not; 64 for bad usage.")
            @OptionGroup var options: Options

            func run() async throws {
                let (address, _) = try options.target()
                let peer = try await options.start()
                let started = ContinuousClock.now
                let pong = await peer.ping(address, timeout: options.wait)
                let elapsed = ContinuousClock.now - started
                await peer.close()
                guard let pong else { fail("no pong from \(address) within \(options.timeout) s") }
                print(
                    "pong from \(address) in \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms"
                        + " to \(pong.to.address?.description ?? "?"):\(pong.to.udp) enr-seq \(pong.enrSeq.map(String.init) ?? "none")")
            }
        }

        /// `discv4 resolve`: bond, then ask for the node's record.
        struct Resolve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "resolve",
                abstract: "Bond with a node (Ping, Pong, its Ping answered) and print its record from ENRRequest.",
                discussion: "Exit status: 0 when a record came and verified; 1 when not; 64 for bad usage.")
            @OptionGroup var options: Options

            func run() async throws {
                let (address, id) = try options.target()
                let peer = try await options.start()
                defer { Task { await peer.close() } }
                guard await peer.ping(address, timeout: options.wait) != nil else { fail("no pong from \(address)") }
                // The node pings back to prove our endpoint; once that Ping is answered it is in our table.
                await peer.waitUntilKnown(id, timeout: options.wait)
                guard let record = await peer.requestENR(address, timeout: options.wait) else { fail("no ENRResponse from \(address)") }
                do {
                    try record.verify()
                    guard try record.nodeID() == id else { fail("the record is signed by another node") }
                } catch {
                    fail("the record does not verify: \(error)")
                }
                print(record.text)
                if let enode = record.enodeURL() { print(enode) }
            }
        }

        /// `discv4 crawl`: walk the table of a node and of the nodes it names.
        struct Crawl: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "crawl",
                abstract: "Bond with a node, ask it for its record and neighbours, and do the same with each node found.",
                discussion: """
                    Writes one JSON object per node whose record it got and verified (JSON Lines, in the order found): \
                    {"id", "enr", "seq", "ip", "tcp", "udp", "firstSeen"} (firstSeen: when the crawl first heard of it, \
                    ISO 8601 UTC). Progress goes to stderr. It stops after --duration seconds, --limit queries, or when \
                    no node is left to ask, and sends at most --rate queries (FindNode) per second.

                    Exit status: 0 when the first node answered; 1 when not; 64 for bad usage.
                    """)
            @OptionGroup var options: Options
            @Option(name: .long, help: "Most nodes to query.") var limit: Int = 64
            @Option(name: .long, help: "Seconds the crawl may run.") var duration: Double = 60
            @Option(name: .long, help: "Most queries per second.") var rate: Double = 10

            func validate() throws {
                guard duration > 0, duration.isFinite else { throw ValidationError("--duration takes seconds above 0.") }
                guard rate > 0, rate.isFinite else { throw ValidationError("--rate takes queries per second above 0.") }
                guard limit > 0 else { throw ValidationError("--limit takes a number above 0.") }
            }

            func run() async throws {
                let (first, firstID) = try options.target()
                let peer = try await options.start()
                let clock = ContinuousClock()
                let deadline = clock.now + .milliseconds(Int64(duration * 1000))
                let spacing = Duration.milliseconds(Int64(1000 / rate))
                var nextQuery = clock.now
                var queue: [(Discv4Responder.Address, NodeID)] = [(first, firstID)]
                // Our own ID counts as seen: the nodes we bond with name us too.
                var firstSeen: [NodeID: Date] = [firstID: Date(), peer.table.localID: Date()]
                var queried = 0
                var found = 0
                var firstAnswered = false
                var random = SystemRandomNumberGenerator()
                let dates = ISO8601DateFormatter()
                func wait() -> Duration { min(options.wait, max(.zero, deadline - clock.now)) }
                while !queue.isEmpty, queried < limit, clock.now < deadline {
                    let (address, id) = queue.removeFirst()
                    if nextQuery > clock.now { try? await Task.sleep(until: min(nextQuery, deadline), clock: clock) }
                    guard clock.now < deadline else { break }
                    nextQuery = clock.now + spacing
                    queried += 1
                    guard await peer.ping(address, timeout: wait()) != nil else { continue }
                    if id == firstID { firstAnswered = true }
                    await peer.waitUntilKnown(id, timeout: wait())  // its Ping back, answered, proves our endpoint
                    if let record = await peer.requestENR(address, timeout: wait()), (try? record.verify()) != nil,
                        (try? record.nodeID()) == id
                    {
                        found += 1
                        let line = Self.line(record, id: id, firstSeen: dates.string(from: firstSeen[id] ?? Date())).rendered()
                        FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    }
                    let target = Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID
                    for node in await peer.findNode(address, id: id, target: target, window: wait()) {
                        let nodeID = NodeID(discv4Key: node.key)
                        guard firstSeen[nodeID] == nil, let ip = node.endpoint.address else { continue }
                        firstSeen[nodeID] = Date()
                        queue.append((.init(ip: ip, port: node.endpoint.udp), nodeID))
                    }
                    FileHandle.standardError.write(Data("crawl: \(queried) queried, \(found) records, \(queue.count) queued\n".utf8))
                }
                await peer.close()
                if !firstAnswered { fail("no answer from \(first)") }
            }

            /// One node of the output.
            static func line(_ record: ENR, id: NodeID, firstSeen: String) -> JSONValue {
                let ip = ((try? record.ip()) ?? nil) ?? ((try? record.ip6()) ?? nil)
                let tcp = ((try? record.tcp()) ?? nil) ?? ((try? record.tcp6()) ?? nil)
                let udp = ((try? record.udp()) ?? nil) ?? ((try? record.udp6()) ?? nil)
                return .object([
                    ("id", .string("\(id)")), ("enr", .string(record.text)), ("seq", .string(String(record.seq))),
                    ("ip", ip.map { .string($0.description) } ?? .null), ("tcp", tcp.map { .int(Int($0)) } ?? .null),
                    ("udp", udp.map { .int(Int($0)) } ?? .null), ("firstSeen", .string(firstSeen)),
                ])
            }
        }

        /// `discv4 test`: go-ethereum's devp2p discv4 tests by name.
        struct TestNode: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "test",
                abstract: "Run go-ethereum's discv4 tests (Ping/Basic … Amplification/WrongIP) against a node on loopback.",
                discussion: """
                    Each test runs on fresh sockets and a fresh key from 127.0.0.1; Amplification/WrongIP also sends                     from 127.0.0.2. Every wait is bounded by --timeout. Tests: \(Discv4Suite.names.joined(separator: ", ")).

                    Exit status: 0 when no test run failed (a test that could not run here is skipped, not failed); 1 \
                    when one failed; 64 for bad usage.
                    """)
            @OptionGroup var options: Options
            @Option(name: .customLong("run"), help: "Run only tests whose names contain this (repeatable).") var filters: [String] = []
            @Option(name: .long, help: "Seconds a test that expects no answer listens (default: --timeout).") var silence: Double?
            @OptionGroup var output: OutputFormat

            func run() async throws {
                let (address, id) = try options.target()
                var suite = Discv4Suite(target: address, targetID: id)
                suite.timeout = options.wait
                suite.silence = silence.map { .milliseconds(Int64(max(0, $0) * 1000)) }
                try report(await suite.run(filters), json: output.isJSON)
            }
        }
    }
}
