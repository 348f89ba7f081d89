// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import Eth
import Snap
import Foundation
import RLP
import Logging
import RLPxCrypto
import RLPxMultiplexing
import RLPxInspect
import RLPxPeer

extension RLPxTool {
    /// `rlpx-tool ping`: handshake, Hello, one Ping/Pong, disconnect.
    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dial a node, exchange Hellos, ping it once, and disconnect.",
            discussion: """
                Prints the remote Hello as soon as the Hellos are exchanged, then the Ping/Pong round trip, or the \
                Disconnect reason exactly as received (name and code). Without --cap it announces eth/68, eth/69 \
                and snap/1, so that a real node (go-ethereum speaks eth/69 and later) finds a shared protocol and \
                keeps the session long enough to answer the Ping. The whole exchange ends within --timeout.

                Exit status: 0 when the handshake, the Hellos and the Ping/Pong all worked; 1 when any of them \
                failed or timed out (the reason on stderr); 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port") var enode: String
        @Option(name: .long, help: "Seconds for the whole exchange.") var timeout: Double = 10
        @OptionGroup var peer: PeerOptions

        /// What ping announces when no --cap is given.
        static let defaultCapabilities = ["eth/68", "eth/69", "snap/1"]

        func run() async throws {
            let url = try parseEnode(enode)
            var configuration = try peer.configuration(label: "rlpx.ping")
            if peer.cap.isEmpty {
                configuration.session.protocols = Self.defaultCapabilities.compactMap { KnownProtocols.spec($0) }
            }
            let stage = Stage("during the handshake and Hello exchange")
            let limit = timeout
            // The deadline holds whatever the network does: when it passes, the process ends with status 1.
            let timer = Task.detached {
                try await Task.sleep(for: .seconds(limit))
                fail("timed out after \(seconds(limit)) \(stage.value)")
            }
            defer { timer.cancel() }
            let connection: PeerConnection
            do {
                connection = try await RLPxNode.dial(url, configuration: configuration)
            } catch {
                // A Hello the session refused (no shared protocol, another identity) is still worth seeing.
                if let hello = (error as? PeerError)?.remoteHello { print(describe(hello)) }
                fail("\(error)")
            }
            print(describe(connection.remoteHello))
            stage.value = "waiting for the Pong"
            do {
                let roundTrip = try await connection.ping()
                print("round trip  \(milliseconds(roundTrip))")
            } catch {
                let end = await connection.waitUntilClosed()
                fail("no Pong: \(end)")
            }
            stage.value = "while disconnecting"
            await connection.disconnect(.requested)
        }
    }

    /// `rlpx-tool send`: throughput against an echoing peer.
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send messages to an echoing peer, check every echo byte for byte, and report the rate.",
            discussion: """
                On eth it sends valid eth, so a capture of it replays with every conformance rule: a Status (a node \
                at mainnet's genesis, at the matched version), then Transactions messages of about --size bytes, \
                each one signed legacy transaction. On any other protocol it sends raw RLP byte strings at code 0, \
                which are not that protocol's messages (for random payloads use a protocol of your own, e.g. --cap \
                test/1:8, on both sides). It says which on its first line, then how many messages were echoed, in \
                how long (seconds, three decimals), and the rate.

                Exit status: 0 when every echo came back the same; 1 when the exchange failed, an echo differed or \
                --timeout passed (the reason on stderr); 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port") var enode: String
        @Option(name: .long, help: "Messages to send.") var count: Int = 1000
        @Option(name: .long, help: "Payload size in bytes.") var size: Int = 1024
        @Option(name: .long, help: "Messages in flight before waiting for echoes.") var window: Int = 1024
        @Option(name: .long, help: "Seconds for the whole exchange (connecting, sending, every echo).") var timeout: Double = 60
        @OptionGroup var peer: PeerOptions

        /// The largest payload one message can carry: a frame's size field is 24 bits (16 MiB − 1), less the message
        /// code and the snappy framing a payload of random bytes may grow by.
        static let maximumSize = (1 << 24) - 1 - 1024

        func validate() throws {
            guard !peer.cap.isEmpty else { throw ValidationError("send needs --cap for the protocol to send on") }
            guard count > 0, window > 0, timeout > 0 else { throw ValidationError("--count, --window and --timeout must be positive") }
            guard (1...Self.maximumSize).contains(size) else {
                throw ValidationError("--size takes 1 to \(Self.maximumSize) bytes (an RLP item is at least one byte; a message at most 16 MiB)")
            }
        }

        func run() async throws {
            let url = try parseEnode(enode)
            let limit = timeout
            // The deadline holds whatever the peer does (a peer that never echoes included): status 1 when it passes.
            let timer = Task.detached {
                try await Task.sleep(for: .seconds(limit))
                fail("timed out after \(seconds(limit)) (is the peer echoing? serve needs --echo)")
            }
            defer { timer.cancel() }
            let configuration = try peer.configuration(label: "rlpx.send")
            let name = configuration.session.protocols[0].name
            let connection: PeerConnection
            do {
                connection = try await RLPxNode.dial(url, configuration: configuration)
            } catch {
                fail("\(error)")
            }
            guard let messages = connection.messages(for: name) else {
                await connection.disconnect(.uselessPeer)
                throw Failure("the peer does not run \(name)")
            }
            guard let matched = connection.matchedProtocols.first(where: { $0.name == name }) else {
                await connection.disconnect(.uselessPeer)
                throw Failure("the peer does not run \(name)")
            }
            var random = SystemRandom()
            let script = try SendScript.make(for: matched, size: size, using: &random)
            let payload = script.payload
            print("sending \(script.description)")
            if let opening = script.opening { try await connection.send(protocol: name, code: opening.code, payload: opening.payload) }
            let (total, sizeToReport, windowSize) = (count, payload.count, window)
            let clock = ContinuousClock()
            let start = clock.now
            // The receiver reports echoes in steps of an eighth of the window (one wake-up per step, not per
            // message); the sender never has more than `window` messages unanswered.
            let step = max(1, windowSize / 8)
            let (echoed, echoedSource) = AsyncStream<Int>.makeStream()
            let receiver = Task {
                defer { echoedSource.finish() }
                var received = 0
                var openingEchoed = script.opening == nil
                for await message in messages {
                    if !openingEchoed, let opening = script.opening {
                        guard message.code == opening.code, sameBytes(message.payload, opening.payload) else { throw Failure("the echo of the opening message differs from what was sent") }
                        openingEchoed = true
                        continue
                    }
                    guard sameBytes(message.payload, payload) else { throw Failure("echo \(received) differs from what was sent") }
                    received += 1
                    if received % step == 0 { echoedSource.yield(received) }
                    if received == total { break }
                }
                return received
            }
            var echoedIterator = echoed.makeAsyncIterator()
            var answered = 0
            sending: for index in 0..<total {
                while index - answered >= windowSize {
                    // The receiver stopped early (a wrong echo or the session ended): it reports why below.
                    guard let count = await echoedIterator.next() else { break sending }
                    answered = count
                }
                try await connection.send(protocol: name, code: script.code, payload: payload)
            }
            let received = try await receiver.value
            if let fault = peer.fault {
                try await injectFault(fault, on: connection)
                // An unanswered Ping is only a finding once the timeout has passed in the capture.
                try await Task.sleep(for: fault == "ping" ? .seconds(16) : .milliseconds(300))
                await connection.disconnect(.requested)
                print("sent \(received) echoed messages, then fault \(fault)")
                return
            }
            let elapsed = clock.now - start
            await connection.disconnect(.requested)
            guard received == total else { throw Failure("received \(received) of \(total) echoes") }
            let span = elapsed.inSeconds
            print("\(total) messages of \(sizeToReport) bytes echoed in \(seconds(span)): "
                + String(format: "%.0f messages/s, %.2f MB/s each way", Double(total) / span, Double(total * sizeToReport) / span / 1e6))
        }
    }
}

/// An RLP byte string of random bytes whose encoding is exactly `encodedSize` bytes (header included).
func rlpPayload(encodedSize size: Int, using random: inout some RandomNumberGenerator) -> [UInt8] {
    let header = size <= 56 ? 1 : size <= 257 ? 2 : size <= 65538 ? 3 : 4
    return RLPItem.bytes((0..<max(0, size - header)).map { _ in UInt8.random(in: 0...255, using: &random) }).rlpEncoded()
}

/// Breaks a rule on purpose, for recording conformance captures (the hidden `--fault` option). Faults on eth use
/// wire code 18 (eth Transactions after the 16 base codes, an empty list where a payload is read), so each capture
/// breaks its one rule and no eth rule.
func injectFault(_ fault: String, on connection: PeerConnection) async throws {
    switch fault {
    case "code-out-of-range": try await connection.sendUnchecked(wireCode: 200, payload: [0xc0])
    case "uncompressed": try await connection.sendUnchecked(wireCode: 18, payload: [0xc0], compressed: false)
    case "snappy-bomb": try await connection.sendUnchecked(wireCode: 18, payload: [0x80, 0x80, 0x80, 0x08, 0x00], compressed: false)
    case "after-disconnect": try await connection.sendUnchecked([(1, [0xc1, 0x80]), (18, [0xc0])])
    case "unknown-reason": try await connection.sendUnchecked(wireCode: 1, payload: [0xc1, 0x0c])
    case "non-canonical": try await connection.sendUnchecked(wireCode: 2, payload: [0x81, 0x05])
    case "bad-mac": try await connection.sendUnchecked(wireCode: 18, payload: [0xc0], corruptMAC: true)
    case "ping": try await connection.sendUnchecked(wireCode: 2, payload: [0xc0])
    default: throw ValidationError("unknown fault \(fault)")
    }
}

extension RLPxTool {
    /// `rlpx-tool load`: many concurrent sessions against one echoing listener.
    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open many concurrent sessions to an echoing peer; each sends messages and checks the echoes.",
            discussion: """
                Prints how many sessions completed and in how long (seconds, three decimals); why the others \
                failed goes to stderr, grouped by reason.

                Exit status: 0 when every session completed; 1 when any failed; 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port") var enode: String
        @Option(name: .long, help: "Concurrent sessions.") var sessions: Int = 500
        @Option(name: .long, help: "Messages per session.") var messages: Int = 20
        @Option(name: .long, help: "Payload size in bytes.") var size: Int = 1024
        @Option(name: .long, help: "Seconds to keep every session open after its messages; one the peer ends meanwhile does not count.") var hold: Double = 0
        @Option(name: .long, help: "Seconds each session may take to connect, complete its handshake and Hello (a burst waits for the peer's handshake slots).")
        var timeout: Double = 60
        @OptionGroup var peer: PeerOptions

        func run() async throws {
            let url = try parseEnode(enode)
            var base = try peer.configuration(label: "rlpx.load")
            guard timeout > 0 else { throw ValidationError("--timeout takes a positive number of seconds.") }
            base.session.handshakeTimeout = .milliseconds(Int64(timeout * 1000))
            base.session.helloTimeout = .milliseconds(Int64(timeout * 1000))
            guard let name = base.session.protocols.first?.name else { throw ValidationError("load needs --cap") }
            var random = SystemRandom()
            let payload = rlpPayload(encodedSize: size, using: &random)
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
            print("\(sessions - failures.count) of \(sessions) sessions completed (\(messages) echoed messages each) in \(seconds(elapsed))")
            // Why the others failed, most common first.
            let reasons = Dictionary(grouping: failures, by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }
            for (reason, count) in reasons {
                FileHandle.standardError.write(Data("\(count) session\(count == 1 ? "" : "s") failed: \(reason)\n".utf8))
            }
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}

/// Whether two byte arrays are equal, compared with `memcmp` (the echo check runs on every byte received).
private func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBytes { a in
        b.withUnsafeBytes { b in
            guard let left = a.baseAddress, let right = b.baseAddress else { return true }
            return memcmp(left, right, a.count) == 0
        }
    }
}
