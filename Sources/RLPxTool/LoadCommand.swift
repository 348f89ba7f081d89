// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxCrypto
import RLPxInspect
import RLPxPeer

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

                Exit status: 0 when every session completed; 1 when any failed; 64 for bad usage.
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
        @OptionGroup var peer: PeerOptions
        @OptionGroup var output: OutputFormat

        func validate() throws {
            guard sessions > 0, messages >= 0 else { throw ValidationError("--sessions takes 1 or more, --messages 0 or more.") }
            try validateSeconds(timeout, "--timeout")
            try validateSeconds(hold, "--hold", zero: true)
            guard !peer.cap.isEmpty else { throw ValidationError("load needs --cap for the protocol to send on") }
            try validatePayloadSize(size, maximum: Send.maximumSize)
            _ = try parseEnode(enode)
        }

        func run() async throws {
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
    }
}
