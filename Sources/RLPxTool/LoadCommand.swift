// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxCapture
import RLPxCrypto
import RLPxInspect
import RLPxPeer
import RLPxServe

extension RLPxTool {
    /// `rlpx-tool load`: many concurrent sessions against one echoing listener.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open many concurrent sessions to an echoing peer; each sends messages and checks the echoes.",
            discussion: """
                Each session sends raw RLP byte strings at codes 0-7 of the named protocol: load measures the \
                transport, and these are not that protocol's messages (a capture of load on eth breaks eth's rules; \
                send speaks valid eth, and --cap test/1:8 on both sides carries random payloads cleanly). \
                Prints how many sessions completed and in how long (seconds, three decimals); why the others \
                failed goes to stderr, grouped by reason. With --format json it prints one object: sessions, \
                completed, messages (per session), microseconds, and failures ({reason, sessions}, most common first).

                With --eth (against serve --eth, or any node on the same chain) each session exchanges Status and keeps \
                --window requests outstanding for --duration seconds: GetBlockHeaders of 1,024 headers, GetBlockBodies \
                or GetReceipts over the chain --chain-dir names (--request), checking every answer byte for byte against \
                the chain. It prints requests/s, MB/s, latency p50 and p99 (ms), mismatches and this process's memory \
                growth per session; with --format json one object: request, sessions, completed, requests, mismatches, \
                bytes, microseconds, p50Microseconds, p99Microseconds, memoryPerSession (bytes) and failures.

                Exit status: 0 when every session completed (and, with --eth, every answer matched); 1 otherwise; 64 \
                for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port, or a node record enr:… with an IP address and TCP port") var enode: String
        @Option(name: .long, help: "Concurrent sessions.") var sessions: Int = 500
        @Option(name: .long, help: "Messages per session.") var messages: Int = 20
        @Option(name: .long, help: "Each message's size in bytes: one RLP item, header included.") var size: Int = 1024
        @Option(name: .long, help: "Seconds to keep every session open after its messages; one the peer ends meanwhile does not count.") var hold:
            Double = 0
        @Option(
            name: .long,
            help: "Seconds each session may take to connect, complete its handshake and Hello (a burst waits for the peer's handshake slots).")
        var timeout: Double = 60
        @Flag(name: .long, help: "Send eth requests over a known chain and check the answers (see --request).") var eth = false
        @Option(name: .long, help: "With --eth: headers, bodies or receipts.") var request: EthLoad.Request = .headers
        @Option(name: .long, help: "With --eth: seconds each session keeps requesting.") var duration: Double = 10
        @Option(name: .long, help: "With --eth: requests outstanding per session.") var window: Int = 4
        @OptionGroup(title: "Chain (for --eth)") var chainFiles: ChainFileOptions
        @OptionGroup var peer: PeerOptions
        @OptionGroup var output: OutputFormat

        func validate() throws {
            guard sessions > 0, messages >= 0 else { throw ValidationError("--sessions takes 1 or more, --messages 0 or more.") }
            try validateSeconds(timeout, "--timeout")
            try validateSeconds(hold, "--hold", zero: true)
            if eth {
                try validateSeconds(duration, "--duration")
                guard window > 0 else { throw ValidationError("--window takes 1 or more.") }
                guard chainFiles.isGiven else { throw ValidationError("--eth needs the chain: --chain-dir DIR (or --genesis and --chain-file).") }
                _ = try parseEnode(enode)
                return
            }
            guard !peer.cap.isEmpty else { throw ValidationError("load needs --cap for the protocol to send on") }
            try validatePayloadSize(size, maximum: Send.maximumSize)
            _ = try parseEnode(enode)
        }

        func run() async throws {
            if eth { return try await runEth() }
            let url = try parseEnode(enode)
            var base = try peer.configuration(label: "rlpx.load")
            base.session.handshakeTimeout = .milliseconds(Int64(timeout * 1000))
            base.session.helloTimeout = .milliseconds(Int64(timeout * 1000))
            guard let name = base.session.protocols.first?.name else { throw ValidationError("load needs --cap") }
            let payload = randomPayload(size)
            let clock = ContinuousClock()
            let start = clock.now
            let (perSession, holdFor, template) = (messages, hold, base)
            // Each session's outcome: nil when it completed, else why not.
            let outcomes = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<sessions {
                    group.addTask {
                        var random = SystemRandom()
                        var configuration = template
                        configuration.session.staticKey = .random(using: &random)
                        let connection: PeerConnection
                        do {
                            connection = try await RLPxNode.dial(url, configuration: configuration)
                        } catch {
                            return "\(error)"
                        }
                        guard var echoes = connection.messages(for: name)?.makeAsyncIterator() else { return "the peer does not run \(name)" }
                        for code in 0..<perSession {
                            guard (try? await connection.send(protocol: name, code: UInt64(code % 8), payload: payload)) != nil,
                                await echoes.next()?.payload == payload
                            else { return "echo \(code) missing or different" + (connection.endReason.map { " (session ended: \($0))" } ?? "") }
                        }
                        if holdFor > 0 { try? await Task.sleep(for: .seconds(holdFor)) }
                        // A session the peer ended during the hold was not held.
                        if let end = connection.endReason { return "ended during the hold: \(end)" }
                        await connection.disconnect(.requested)
                        return nil
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            let elapsed = clock.now - start
            let failures = outcomes.compactMap { $0 }
            // Why the others failed, most common first.
            let reasons = Dictionary(grouping: failures, by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }
            if output.isJSON {
                print(
                    JSONValue.object([
                        ("sessions", .int(sessions)), ("completed", .int(sessions - failures.count)), ("messages", .int(messages)),
                        ("microseconds", .int(Int(elapsed.inSeconds * 1e6))),
                        ("failures", .array(reasons.map { .object([("reason", .string($0.0)), ("sessions", .int($0.1))]) })),
                    ]).rendered())
            } else {
                print("\(sessions - failures.count) of \(sessions) sessions completed (\(messages) echoed messages each) in \(seconds(elapsed))")
            }
            for (reason, count) in reasons {
                FileHandle.standardError.write(Data("\(count) session\(count == 1 ? "" : "s") failed: \(reason)\n".utf8))
            }
            if !failures.isEmpty { throw ExitCode(1) }
        }

        /// `load --eth`: eth requests over the chain, every answer checked (``EthLoad``).
        func runEth() async throws {
            let url = try parseEnode(enode)
            guard let chain = chainFiles.loadAll() else { throw ValidationError("--eth needs --genesis FILE or --chain-dir DIR: the chain.") }
            var base = try peer.configuration(label: "rlpx.load")
            if peer.cap.isEmpty { base.session.protocols = ServedChain.protocols.filter { $0.name == "eth" } }
            base.session.handshakeTimeout = .milliseconds(Int64(timeout * 1000))
            base.session.helloTimeout = .milliseconds(Int64(timeout * 1000))
            let load = EthLoad(request: request, blocks: chain.blocks, receipts: chain.receipts)
            let options = EthLoad.Options(
                request: request, sessions: sessions, duration: .milliseconds(Int64(duration * 1000)), window: window,
                grace: .milliseconds(Int64(timeout * 1000)))
            let report = await load.run(url, configuration: base, options: options)
            if output.isJSON {
                let memory: JSONValue = report.memoryPerSession.map { .int($0) } ?? .null
                let failures: [JSONValue] = report.failures.map { failure in
                    .object([("reason", .string(failure.reason)), ("sessions", .int(failure.sessions))])
                }
                let fields: [(String, JSONValue)] = [
                    ("request", .string(request.rawValue)), ("sessions", .int(report.sessions)), ("completed", .int(report.completed)),
                    ("requests", .int(report.requests)), ("mismatches", .int(report.mismatches)), ("bytes", .int(report.bytes)),
                    ("microseconds", .int(Int(report.seconds * 1e6))), ("p50Microseconds", .int(Int(report.p50 * 1e3))),
                    ("p99Microseconds", .int(Int(report.p99 * 1e3))), ("memoryPerSession", memory), ("failures", .array(failures)),
                ]
                print(JSONValue.object(fields).rendered())
            } else {
                print(
                    "\(report.completed) of \(report.sessions) sessions completed: \(report.requests) \(request.rawValue) requests in "
                        + "\(seconds(report.seconds)), \(decimal(report.requestsPerSecond, 1)) requests/s, \(decimal(report.megabytesPerSecond, 1)) MB/s"
                )
                print("latency p50 \(decimal(report.p50, 3)) ms p99 \(decimal(report.p99, 3)) ms; \(report.mismatches) mismatches")
                print("memory per session " + (report.memoryPerSession.map { "\($0 / 1024) KiB" } ?? "unknown"))
            }
            if let mismatch = report.firstMismatch { FileHandle.standardError.write(Data("first mismatch: \(mismatch)\n".utf8)) }
            for (reason, count) in report.failures {
                FileHandle.standardError.write(Data("\(count) session\(count == 1 ? "" : "s") failed: \(reason)\n".utf8))
            }
            if !report.failures.isEmpty || report.mismatches > 0 { throw ExitCode(1) }
        }
    }
}

extension EthLoad.Request: ExpressibleByArgument {}
