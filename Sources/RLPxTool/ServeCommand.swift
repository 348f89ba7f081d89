// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import Discovery
import DiscoveryPeer
import Discv5
import EngineAPI
import Eth
import Foundation
import Logging
import RLP
import RLPxInspect
import RLPxMultiplexing
import RLPxPeer
import RLPxServe

extension RLPxTool {
    /// `rlpx-tool serve`: a listener that logs sessions, echoes, or serves a chain as go-ethereum does.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Listen for peers: echo every subprotocol message (--echo), or serve a chain's eth and snap as go-ethereum does (--eth).",
            discussion: """
                With --eth it serves the chain a genesis and chain file (--genesis, --chain-file) or go-ethereum's \
                test-data directory (--chain-dir) describe: Status, headers, bodies, receipts, and snap from every state dump it finds \
                (headstate.json, state-N.json). --engine-api HOST:PORT answers the Engine API calls go-ethereum's \
                suites make (engine_forkchoiceUpdated, engine_exchangeCapabilities) behind JWT (--jwt-secret). It \
                prints its enode URL on the first line, then what it serves. With --format json every line is one \
                JSON object (JSON Lines): {"event": "listening", "enode", ...} first, then "session" (client, \
                protocols, remote) and "session-ended" (reason, code, origin) as sessions come and go.

                --discovery v4 runs discv4 on UDP (--udp, default the --listen port) with the node's record (ip, tcp, \
                udp, and eth and snap with --eth), printed on the second line ("enr" in the listening object), bonds \
                with --bootnodes and looks up nodes near itself; --discovery v4,v5 adds discv5 on the same socket \
                (--keylog gets its session keys). JSON Lines add "discv4" and "discv5" (each packet), "node-added" \
                and "node-removed".

                Exit status: 0 when stopped by SIGINT or SIGTERM; 1 when it cannot listen or a chain file is \
                unusable; 64 for bad usage.
                """)

        @Option(name: .long, help: "HOST:PORT to listen on.") var listen: String = "127.0.0.1:30303"
        @Flag(name: .long, help: "Echo every subprotocol message.") var echo = false
        @Flag(name: .long, help: "Serve eth (and snap) from a chain: --chain-dir, or --genesis with --chain-file.") var eth = false
        @OptionGroup(title: "Chain (for --eth)") var chainFiles: ChainFileOptions
        @Option(name: .customLong("engine-api"), help: "HOST:PORT for the Engine API (JSON-RPC over HTTP with JWT), with --eth.")
        var engineAPI: String?
        @Option(
            name: .customLong("jwt-secret"),
            help: "The Engine API's JWT secret: 32 bytes in hex, or a file holding them (a fresh one is printed otherwise).")
        var jwtSecret: String?
        @Option(name: .long, help: "Refuse sessions beyond this with 'too many peers' (go-ethereum's default is 50; a test peer takes a load burst).")
        var maxPeers: Int = 1024
        @Option(name: .long, help: "Handshakes in progress at once (a full budget evicts from the busiest address).")
        var maxPending: Int = 50
        @Option(name: .long, help: "Handshakes in progress one remote address may hold.") var maxPendingPerAddress: Int = 8
        @Option(name: .long, help: "Refuse an address that connected less than this many seconds ago (0: off; local networks exempt).")
        var inboundThrottle: Double = 30
        @Flag(name: .long, help: "Throttle loopback and private addresses too.") var throttleLocal = false
        @Option(name: .long, help: "Run node discovery on UDP: v4, or v4,v5 (both on one socket, as go-ethereum).") var discovery: String?
        @Option(name: .long, help: "The discovery UDP port (default: the --listen port; 0 picks one).") var udp: Int?
        @Option(name: .long, help: "Nodes discovery bonds with first, comma-separated: enode://… or enr:….") var bootnodes: String?
        @Option(name: .long, help: .hidden) var sessionLimit: Double?  // ends each session after this many seconds (tests)
        @OptionGroup var peer: PeerOptions
        @OptionGroup var output: OutputFormat

        func validate() throws {
            if eth && echo { throw ValidationError("--eth serves eth and snap; --echo echoes: give one.") }
            let chainGiven = chainFiles.isGiven
            if chainGiven && !eth {
                throw ValidationError("--genesis, --chain-file, --chain-dir and --receipts describe the chain --eth serves: add --eth.")
            }
            if eth && !chainGiven { throw ValidationError("--eth needs a chain: --chain-dir DIR, or --genesis FILE [--chain-file FILE].") }
            if engineAPI != nil && !eth { throw ValidationError("--engine-api goes with --eth.") }
            if jwtSecret != nil && engineAPI == nil { throw ValidationError("--jwt-secret goes with --engine-api.") }
            if let engineAPI, HostPort(engineAPI) == nil { throw ValidationError("--engine-api takes HOST:PORT; \(engineAPI) is not one.") }
            try validateSeconds(inboundThrottle, "--inbound-throttle", zero: true)
            if let sessionLimit { try validateSeconds(sessionLimit, "--session-limit") }
            if HostPort(listen) == nil { throw ValidationError("--listen takes HOST:PORT; \(listen) is not one.") }
            try validateDiscovery()
        }

        /// `--discovery v4[,v5]`, and --udp and --bootnodes only with it.
        func validateDiscovery() throws {
            guard let discovery else {
                if udp != nil || bootnodes != nil { throw ValidationError("--udp and --bootnodes go with --discovery v4.") }
                return
            }
            let words = discovery.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if words.isEmpty || words.contains(where: { $0 != "v4" && $0 != "v5" }) {
                throw ValidationError("--discovery takes v4 or v4,v5; \(discovery) is not one.")
            }
            if !words.contains("v4") {
                throw ValidationError("discv5 runs beside discv4 on one socket (as go-ethereum runs it): --discovery v4,v5.")
            }
            if let udp, !(0...65535).contains(udp) { throw ValidationError("--udp takes a port, 0 to 65535.") }
            _ = try bootnodeList()
        }

        /// The nodes of --bootnodes.
        func bootnodeList() throws -> [DiscoveryService.Bootnode] {
            try (bootnodes ?? "").split(separator: ",").map { text in
                do {
                    return try parseDiscoveryNode(String(text.trimmingCharacters(in: .whitespaces)))
                } catch {
                    throw ValidationError("--bootnodes: \(text) is not an enode URL or a node record: \(error)")
                }
            }
        }

        func run() async throws {
            guard let address = HostPort(listen) else { throw ValidationError("--listen takes HOST:PORT") }
            var configuration = try peer.configuration(label: "rlpx.serve")
            var served: ServedChain?
            if eth {
                guard let chain = chainFiles.loadAll() else { throw ValidationError("--eth needs --genesis FILE: the chain it serves.") }
                served = ServedChain(
                    config: chain.config, blocks: chain.blocks, receipts: chain.receipts, states: chain.statesOrExit(),
                    selfID: configuration.session.staticKey.publicKey.nodeID)
                if peer.cap.isEmpty { configuration.session.protocols = ServedChain.protocols }
            }
            configuration.maximumPeers = maxPeers
            configuration.maximumPending = maxPending
            configuration.maximumPendingPerAddress = maxPendingPerAddress
            configuration.inboundThrottle = .milliseconds(Int64(inboundThrottle * 1000))
            configuration.throttlesLocalAddresses = throttleLocal
            let service: SessionService = served.map { .chain($0) } ?? (echo ? .echo : .drop)
            let limit = sessionLimit.map { Duration.milliseconds(Int64($0 * 1000)) }
            let events = JSONLines()
            let report = eventReporter(configuration.logger, events)
            let listener: RLPxListener
            do {
                listener = try await RLPxListener.bind(host: address.host, port: address.port, configuration: configuration) { connection in
                    await service.serve(connection, limit: limit, report: report)
                }
            } catch {
                fail("cannot listen on \(listen): \(error)")
            }
            var lines = [listener.enodeURL.description]
            var discoveryService: DiscoveryService?
            if discovery != nil {
                var settings = DiscoveryService.Configuration(
                    host: address.host, port: udp ?? address.port, key: configuration.session.staticKey,
                    ip: IPAddress(address.host).flatMap { $0.bytes.allSatisfy { $0 == 0 } ? nil : $0 }, tcp: UInt16(clamping: listener.enodeURL.port),
                    eth: served.map { ForkIDEntry(hash: $0.forkID.hash.bytes, next: $0.forkID.next) },
                    snap: served != nil && configuration.session.protocols.contains { $0.name == "snap" }, bootnodes: try bootnodeList())
                settings.pingTimeout = .seconds(2)
                settings.discv5 = discovery?.split(separator: ",").contains("v5") ?? false
                if settings.discv5, let keyLog = configuration.keyLog { settings.discv5KeyLog = { keyLog.append(line: $0.line) } }
                do {
                    discoveryService = try await DiscoveryService.start(settings, log: discoveryReporter(configuration.logger, events))
                } catch {
                    fail("cannot run discovery on UDP \(address.host):\(settings.port): \(error)")
                }
                lines.append(discoveryService?.record.text ?? "")
            }
            if let served { lines += served.summary(protocols: configuration.session.protocols) }
            var engine: EngineAPIServer?
            if let served, let engineAPI, let engineAddress = HostPort(engineAPI) {
                let secret: JWTSecret
                do {
                    secret =
                        try jwtSecret.map { text throws(JWTError) in
                            FileManager.default.fileExists(atPath: text) ? try JWTSecret(contentsOfFile: text) : try JWTSecret(hex: text)
                        } ?? .generate()
                } catch {
                    fail("--jwt-secret: \(error)")
                }
                do {
                    engine = try await EngineAPIServer.start(
                        EngineAPIServer.Configuration(secret: secret, host: engineAddress.host, port: engineAddress.port)
                    ) { update in served.forkchoiceUpdated(update) }
                } catch {
                    fail("cannot listen on \(engineAPI) for the Engine API: \(error)")
                }
                lines.append("engine api \(engine?.url ?? engineAPI)" + (jwtSecret == nil ? " jwt-secret \(secret.hex)" : ""))
                lines.append("transactions accepted once engine_forkchoiceUpdated names the head (as go-ethereum does)")
            }
            // Signals are caught before the enode is printed (a script may stop serve as soon as it reads it); run until
            // interrupted: closing the listener ends every session with "client quitting".
            let signals = StopSignals.install()
            // The enode first, alone: scripts read the first line.
            if output.isJSON {
                events.open(with: Self.listening(lines))
            } else {
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
            let trimmer = Task { await RLPxTool.returnFreedMemoryWhenIdle(listener) }
            defer { trimmer.cancel() }
            let poolClock = Task { await served?.pool?.run() }
            defer { poolClock.cancel() }
            for await _ in signals { break }
            await engine?.shutdown()
            await discoveryService?.close()
            await listener.close()
        }

        /// The opening lines as JSON Lines' first object: the enode, the node record (with discovery), and, serving a
        /// chain, what is served.
        static func listening(_ lines: [String]) -> JSONValue {
            var members: [(String, JSONValue)] = [("event", .string("listening")), ("enode", .string(lines.first ?? ""))]
            var rest = lines.dropFirst()
            if let record = rest.first, record.hasPrefix(ENR.textPrefix) {
                members.append(("enr", .string(record)))
                rest = rest.dropFirst()
            }
            if !rest.isEmpty { members.append(("serving", .array(rest.map { .string($0) }))) }
            return .object(members)
        }

        /// Where discovery events go: packets to the log at debug level and table changes at info (stderr) in text; all
        /// as JSON Lines with --format json ("discv4" per packet, "node-added", "node-removed").
        func discoveryReporter(_ logger: Logger, _ lines: JSONLines) -> @Sendable (DiscoveryService.Event) -> Void {
            let json = output.isJSON
            return { event in
                switch (event, json) {
                case (.packet(let packet), false):
                    logger.debug("discv4", metadata: ["packet": "\(RLPxTool.Discv4Command.Listen.describe(packet))"])
                case (.added(let id, let address), false):
                    logger.info("node added", metadata: ["id": "\(id)", "remote": "\(address)"])
                case (.removed(let id), false):
                    logger.info("node removed", metadata: ["id": "\(id)"])
                case (.packet(let packet), true):
                    lines.write(.object([("event", .string("discv4")), ("packet", .string(RLPxTool.Discv4Command.Listen.describe(packet)))]))
                case (.added(let id, let address), true):
                    lines.write(.object([("event", .string("node-added")), ("id", .string("\(id)")), ("remote", .string("\(address)"))]))
                case (.removed(let id), true):
                    lines.write(.object([("event", .string("node-removed")), ("id", .string("\(id)"))]))
                case (.discv5(let event), false):
                    logger.debug("discv5", metadata: ["event": "\(RLPxTool.Discv5Command.Listen.describe(event))"])
                case (.discv5(let event), true):
                    lines.write(.object([("event", .string("discv5")), ("packet", .string(RLPxTool.Discv5Command.Listen.describe(event)))]))
                }
            }
        }

        /// Where session events go: the log (stderr) in text, JSON Lines on stdout with --format json.
        func eventReporter(_ logger: Logger, _ lines: JSONLines) -> @Sendable (SessionService.Event) -> Void {
            let json = output.isJSON
            return { event in
                switch (event, json) {
                case (.started(let client, let protocols, let remote), false):
                    logger.info("session", metadata: ["client": "\(client)", "protocols": "\(protocols)", "remote": "\(remote)"])
                case (.ended(let end), false):
                    logger.info("session ended", metadata: ["reason": "\(end.disconnectReason)", "origin": "\(end.origin.rawValue)"])
                case (.started(let client, let protocols, let remote), true):
                    lines.write(
                        .object([
                            ("event", .string("session")), ("client", .string(client)), ("protocols", .array(protocols.map { .string($0) })),
                            ("remote", .string(remote)),
                        ]))
                case (.ended(let end), true):
                    lines.write(
                        .object([
                            ("event", .string("session-ended")), ("reason", .string("\(end.disconnectReason)")),
                            ("code", .int(Int(clamping: end.disconnectReason.rawValue))),
                            ("origin", .string(end.origin.rawValue)),
                        ]))
                }
            }
        }
    }
}
