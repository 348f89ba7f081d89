// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLP
import RLPxCrypto
import RLPxInspect
import RLPxPeer

extension RLPxTool {
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
                how long (seconds, three decimals), and the rate; with --format json one object: messages, bytes \
                (each message's), microseconds, messagesPerSecond, sent (what the messages are).

                Exit status: 0 when every echo came back the same; 1 when the exchange failed, an echo differed or \
                --timeout passed (the reason on stderr); 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port, or a node record enr:… with an IP address and TCP port") var enode: String
        @Option(name: .long, help: "Messages to send.") var count: Int = 1000
        @Option(name: .long, help: "Each message's size in bytes: one RLP item, header included.") var size: Int = 1024
        @Option(name: .long, help: "Messages in flight before waiting for echoes.") var window: Int = 1024
        @Option(name: .long, help: "Seconds for the whole exchange (connecting, sending, every echo).") var timeout: Double = 60
        @OptionGroup var peer: PeerOptions
        @OptionGroup var output: OutputFormat

        /// The largest payload one message can carry: a frame's size field is 24 bits (16 MiB − 1), less the message
        /// code and the snappy framing a payload of random bytes may grow by.
        static let maximumSize = (1 << 24) - 1 - 1024

        func validate() throws {
            guard !peer.cap.isEmpty else { throw ValidationError("send needs --cap for the protocol to send on") }
            guard count > 0, window > 0 else { throw ValidationError("--count and --window must be positive") }
            try validateSeconds(timeout, "--timeout")
            try validatePayloadSize(size, maximum: Self.maximumSize)
            _ = try parseEnode(enode)
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
                throw ToolError(.peerFailed, "the peer does not run \(name)")
            }
            guard let matched = connection.matchedProtocols.first(where: { $0.name == name }) else {
                await connection.disconnect(.uselessPeer)
                throw ToolError(.peerFailed, "the peer does not run \(name)")
            }
            var random = SystemRandom()
            let script = try SendScript.make(for: matched, size: size, using: &random)
            let payload = script.payload
            if !output.isJSON { print("sending \(script.description)") }
            if let opening = script.opening { try await connection.send(protocol: name, code: opening.code, payload: opening.payload) }
            let (total, windowSize) = (count, window)
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
                        guard message.code == opening.code, sameBytes(message.payload, opening.payload) else {
                            throw ToolError(.peerFailed, "the echo of the opening message differs from what was sent")
                        }
                        openingEchoed = true
                        continue
                    }
                    guard sameBytes(message.payload, payload) else { throw ToolError(.peerFailed, "echo \(received) differs from what was sent") }
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
                try await fault.inject(on: connection)
                await connection.disconnect(.requested)
                print("sent \(received) echoed messages, then fault \(fault.rawValue)")
                return
            }
            let elapsed = clock.now - start
            await connection.disconnect(.requested)
            guard received == total else { throw ToolError(.peerFailed, "received \(received) of \(total) echoes") }
            let span = elapsed.inSeconds
            if output.isJSON {
                print(
                    JSONValue.object([
                        ("messages", .int(total)), ("bytes", .int(payload.count)), ("microseconds", .int(Int(span * 1e6))),
                        ("messagesPerSecond", .int(Int(Double(total) / span))), ("sent", .string(script.description)),
                    ]).rendered())
            } else {
                print(
                    "\(total) messages of \(payload.count) bytes echoed in \(seconds(span)): "
                        + String(format: "%.0f messages/s, %.2f MB/s each way", Double(total) / span, Double(total * payload.count) / span / 1e6))
            }
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
