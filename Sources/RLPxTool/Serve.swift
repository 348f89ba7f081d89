// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import EngineAPI
import Eth
import EthState
import Foundation
import Logging
import RLP
import RLPxCrypto
import RLPxInspect
import RLPxMultiplexing
import RLPxPeer
import Snap

extension RLPxTool {
    /// `rlpx-tool serve`: a listener that logs sessions, echoes, or serves a chain as go-ethereum does.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Listen for peers: echo every subprotocol message (--echo), or serve a chain's eth and snap as go-ethereum does (--eth).",
            discussion: """
                With --eth it serves the chain a genesis and chain file (or go-ethereum's test-data directory, \
                --chain-dir) describe: Status, headers, bodies, receipts, and snap from every state dump it finds \
                (headstate.json, state-N.json). --engine-api HOST:PORT answers the Engine API calls go-ethereum's \
                suites make (engine_forkchoiceUpdated, engine_exchangeCapabilities) behind JWT (--jwt-secret). It \
                prints its enode URL on the first line, then what it serves.

                Exit status: 0 when stopped by SIGINT or SIGTERM; 1 when it cannot listen or a chain file is \
                unusable; 64 for bad usage.
                """)

        @Option(name: .long, help: "HOST:PORT to listen on.") var listen: String = "127.0.0.1:30303"
        @Flag(name: .long, help: "Echo every subprotocol message.") var echo = false
        @Flag(name: .long, help: "Serve eth (and snap) from a chain: --chain-dir, or --genesis with --chain.") var eth = false
        @OptionGroup(title: "Chain (for --eth)") var chainFiles: ChainFileOptions
        @Option(name: .customLong("engine-api"), help: "HOST:PORT for the Engine API (JSON-RPC over HTTP with JWT), with --eth.")
        var engineAPI: String?
        @Option(name: .customLong("jwt-secret"), help: "The Engine API's JWT secret: 32 bytes in hex, or a file holding them (a fresh one is printed otherwise).")
        var jwtSecret: String?
        @Option(name: .long, help: "Refuse sessions beyond this with 'too many peers' (go-ethereum's default is 50; a test peer takes a load burst).") var maxPeers: Int = 1024
        @Option(name: .long, help: "Handshakes in progress at once (a full budget evicts from the busiest address).")
        var maxPending: Int = 50
        @Option(name: .long, help: "Handshakes in progress one remote address may hold.") var maxPendingPerAddress: Int = 8
        @Option(name: .long, help: "Refuse an address that connected less than this many seconds ago (0: off; local networks exempt).") var inboundThrottle: Double = 30
        @Flag(name: .long, help: "Throttle loopback and private addresses too.") var throttleLocal = false
        @Option(name: .long, help: .hidden) var sessionLimit: Double?  // ends each session after this many seconds (tests)
        @OptionGroup var peer: PeerOptions

        func validate() throws {
            if eth && echo { throw ValidationError("--eth serves eth and snap; --echo echoes: give one.") }
            let chainGiven = chainFiles.genesis != nil || chainFiles.chainFile != nil || !chainFiles.chainDirectories.isEmpty || chainFiles.receipts != nil
            if chainGiven && !eth { throw ValidationError("--genesis, --chain, --chain-dir and --receipts describe the chain --eth serves: add --eth.") }
            if eth && !chainGiven { throw ValidationError("--eth needs a chain: --chain-dir DIR, or --genesis FILE [--chain FILE].") }
            if engineAPI != nil && !eth { throw ValidationError("--engine-api goes with --eth.") }
            if jwtSecret != nil && engineAPI == nil { throw ValidationError("--jwt-secret goes with --engine-api.") }
            if let engineAPI, HostPort(engineAPI) == nil { throw ValidationError("--engine-api takes HOST:PORT; \(engineAPI) is not one.") }
            if HostPort(listen) == nil { throw ValidationError("--listen takes HOST:PORT; \(listen) is not one.") }
        }

        func run() async throws {
            guard let address = HostPort(listen) else { throw ValidationError("--listen takes HOST:PORT") }
            var configuration = try peer.configuration(label: "rlpx.serve")
            var served: ServedChain?
            if eth {
                guard let chain = chainFiles.loadAll() else { throw ValidationError("--eth needs --genesis FILE: the chain it serves.") }
                served = ServedChain(chain, selfID: configuration.session.staticKey.publicKey.nodeID)
                if peer.cap.isEmpty { configuration.session.protocols = ServedChain.protocols }
            }
            configuration.maximumPeers = maxPeers
            configuration.maximumPending = maxPending
            configuration.maximumPendingPerAddress = maxPendingPerAddress
            guard inboundThrottle >= 0 else { throw ValidationError("--inbound-throttle takes 0 or more seconds.") }
            configuration.inboundThrottle = .milliseconds(Int64(inboundThrottle * 1000))
            configuration.throttlesLocalAddresses = throttleLocal
            let logger = configuration.logger
            let echoing = echo
            let limit = sessionLimit
            let chain = served
            let listener: RLPxListener
            do {
                listener = try await RLPxListener.bind(host: address.host, port: address.port, configuration: configuration) { connection in
                    logger.info("session", metadata: ["client": "\(connection.remoteHello?.clientID ?? "")", "protocols": "\(connection.matchedProtocols.map(\.description))"])
                    if let limit {
                        Task {
                            try await Task.sleep(for: .seconds(limit))
                            await connection.disconnect(.requested)
                        }
                    }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for matched in connection.matchedProtocols {
                            guard let messages = connection.messages(for: matched.name) else { continue }
                            if let chain, matched.name == "eth" {
                                group.addTask { try await chain.serveEth(connection, messages, version: matched.version) }
                            } else if let chain, matched.name == "snap" {
                                group.addTask { try await chain.serveSnap(connection, messages, version: matched.version) }
                            } else {
                                group.addTask {
                                    for await message in messages where echoing {
                                        try await connection.send(protocol: matched.name, code: message.code, payload: message.payload)
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let end = await connection.waitUntilClosed()
                    logger.info("session ended", metadata: ["reason": "\(end.reason)", "origin": "\(end.origin.rawValue)"])
                }
            } catch {
                fail("cannot listen on \(listen): \(error)")
            }
            var lines = [listener.enodeURL.description]
            if let served { lines += served.summary(protocols: configuration.session.protocols) }
            var engine: EngineAPIServer?
            if let served, let engineAPI, let where_ = HostPort(engineAPI) {
                let secret: JWTSecret
                do {
                    secret = try jwtSecret.map { text throws(JWTError) in
                        FileManager.default.fileExists(atPath: text) ? try JWTSecret(contentsOfFile: text) : try JWTSecret(hex: text)
                    } ?? .generate()
                } catch {
                    fail("--jwt-secret: \(error)")
                }
                do {
                    engine = try await EngineAPIServer.start(
                        EngineAPIServer.Configuration(secret: secret, host: where_.host, port: where_.port)
                    ) { update in served.forkchoiceUpdated(update) }
                } catch {
                    fail("cannot listen on \(engineAPI) for the Engine API: \(error)")
                }
                lines.append("engine api \(engine?.url ?? engineAPI)" + (jwtSecret == nil ? " jwt-secret \(secret.hex)" : ""))
                lines.append("transactions accepted once engine_forkchoiceUpdated names the head (as go-ethereum does)")
            }
            // The enode first, alone: scripts read the first line.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            let trimmer = Task { await RLPxTool.returnFreedMemoryWhenIdle(listener) }
            defer { trimmer.cancel() }
            let poolClock = Task { await served?.pool?.run() }
            defer { poolClock.cancel() }
            // Run until interrupted; closing the listener ends every session with "client quitting".
            let (signals, continuation) = AsyncStream<Void>.makeStream()
            var sources: [any DispatchSourceSignal] = []
            for signal in [SIGINT, SIGTERM] {
                Foundation.signal(signal, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signal)
                source.setEventHandler { continuation.yield() }
                source.resume()
                sources.append(source)
            }
            for await _ in signals { break }
            for source in sources { source.cancel() }
            await engine?.shutdown()
            await listener.close()
        }
    }
}

/// `HOST:PORT` (an IPv6 host in brackets or not), with a port from 0 to 65535.
struct HostPort {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
