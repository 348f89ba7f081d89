// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import EngineAPI
import Foundation
import Logging
import RLPxInspect
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
            await listener.close()
        }

        /// The opening lines as JSON Lines' first object: the enode and, serving a chain, what is served.
        static func listening(_ lines: [String]) -> JSONValue {
            var members: [(String, JSONValue)] = [("event", .string("listening")), ("enode", .string(lines.first ?? ""))]
            if lines.count > 1 { members.append(("serving", .array(lines.dropFirst().map { .string($0) }))) }
            return .object(members)
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
