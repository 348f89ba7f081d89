// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import NIOConcurrencyHelpers
import RLP
import RLPxCrypto
import RLPxMultiplexing
import RLPxPeer
import RLPxTestSupport
import Testing

/// Interoperability with an independent implementation: trinity's p2p package (Tools/interop), over loopback.
/// Every scenario: two subprotocols, 1,000 echoed messages of mixed sizes up to 1 MiB, Ping/Pong, and a
/// Disconnect whose reason the other side reports.
@Suite(.serialized, .timeLimit(.minutes(3))) struct TrinityInteropTests {
    static let protocols = [ProtocolSpec(name: "eth", version: 68, length: 17), ProtocolSpec(name: "snap", version: 1, length: 8)]

    /// The trinity peer, started with `arguments`; its JSON lines are read as they come.
    final class TrinityPeer: @unchecked Sendable {
        let process = Process()
        private let output = Pipe()
        private var buffer = Data()

        init(_ arguments: [String]) throws {
            let python = Vectors.projectRoot.appendingPathComponent("Tools/interop/.venv/bin/python")
            guard FileManager.default.isExecutableFile(atPath: python.path) else {
                throw Vectors.MissingVectors(description: "trinity is not installed: run bash Tools/interop/setup.sh (Tools/install-deps.sh does)")
            }
            process.executableURL = python
            process.arguments = [Vectors.projectRoot.appendingPathComponent("Tools/interop/trinity_peer.py").path] + arguments
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// The next JSON event, or nil at the end of its output.
        func nextEvent() -> [String: Any]? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0a) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer.removeSubrange(buffer.startIndex...newline)
                    if let event = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { return event }
                    continue
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }

        /// Every remaining event, once the process has ended, waited for off the shared pool (trinity may run for
        /// minutes; a test holding a pool thread that long starves every other suite's awaits).
        func remainingEventsDetached() async throws -> [[String: Any]] {
            struct Events: @unchecked Sendable { let list: [[String: Any]] }
            return try await Tool.detached { Events(list: self.remainingEvents()) }.list
        }

        /// Every remaining event, once the process has ended.
        func remainingEvents() -> [[String: Any]] {
            var events: [[String: Any]] = []
            while let event = nextEvent() { events.append(event) }
            process.waitUntilExit()
            return events
        }
    }

    static func configuration() -> PeerConfiguration {
        var random = SystemRandom()
        var configuration = PeerConfiguration(
            session: SessionConfiguration(staticKey: .random(using: &random), protocols: protocols, clientID: "swift-interop"))
        configuration.tickInterval = .milliseconds(50)
        return configuration
    }

    @Test(arguments: [5, 4])
    func ourEIP8DialerToTrinityListener(trinityVersion: Int) async throws {
        // Trinity ends itself after --timeout seconds: 1,000 echoes (ten of a megabyte) took it 104 s in one CI run
        // with every suite at once, so it gets as long as the suite's three-minute limit allows.
        let trinity = try TrinityPeer(["listen", "--p2p-version", "\(trinityVersion)", "--timeout", "170"])
        let listening = try #require(trinity.nextEvent())
        let url = try EnodeURL(try #require(listening["enode"] as? String))
        let peer = try await RLPxNode.dial(url, configuration: Self.configuration())
        #expect(peer.remoteHello?.clientID == "trinity-interop")
        #expect(peer.matchedProtocols.map(\.name) == ["eth", "snap"])

        var random = SeededRandom(seed: 7)
        let sizes = [0, 1, 55, 56, 1000, 4096, 65536]
        var iterators = [
            "eth": try #require(peer.messages(for: "eth")).makeAsyncIterator(),
            "snap": try #require(peer.messages(for: "snap")).makeAsyncIterator(),
        ]
        for index in 0..<1000 {
            let name = index % 2 == 0 ? "eth" : "snap"
            let size = index % 100 == 99 ? 1 << 20 : sizes[index % sizes.count]
            let message = PeerMessage(code: UInt64(index % 8), payload: RLPItem.bytes(random.bytes(size)).rlpEncoded())
            try await peer.send(protocol: name, code: message.code, payload: message.payload)
            #expect(await iterators[name]?.next() == message, "message \(index) echoed byte for byte")
        }
        #expect(try await peer.ping() < .seconds(1))
        await peer.disconnect(.quitting)
        let events = try await trinity.remainingEventsDetached()
        let hello = try #require(events.first { $0["event"] as? String == "hello" })
        #expect(hello["snappy"] as? Bool == (trinityVersion >= 5))
        let end = try #require(events.first { $0["event"] as? String == "disconnect" })
        #expect(end["reason"] as? Int == Int(DisconnectReason.quitting.rawValue) && end["echoed"] as? Int == 1000)
    }

    @Test(arguments: [(5, false), (4, false), (5, true)])
    func trinityDialerToOurListener(trinityVersion: Int, eip8: Bool) async throws {
        let ended = NIOLockedValueBox<PeerError?>(nil)
        let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: Self.configuration()) { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for matched in connection.matchedProtocols {
                    guard let messages = connection.messages(for: matched.name) else { continue }
                    group.addTask {
                        for await message in messages {
                            try await connection.send(protocol: matched.name, code: message.code, payload: message.payload)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let end = await connection.waitUntilClosed()
            ended.withLockedValue { $0 = end }
        }
        let trinity = try TrinityPeer(
            [
                "dial", "--enode", listener.enodeURL.description, "--count", "500", "--disconnect", "4",
                "--p2p-version", "\(trinityVersion)",
            ] + (eip8 ? ["--eip8"] : []))
        let events = try await trinity.remainingEventsDetached()
        #expect(events.first { $0["event"] as? String == "handshake" }?["eip8"] as? Bool == eip8)
        #expect(events.first { $0["event"] as? String == "hello" }?["snappy"] as? Bool == (trinityVersion >= 5))
        #expect(events.first { $0["event"] as? String == "echoed" }?["messages"] as? Int == 1000, "\(events)")
        #expect(events.contains { $0["event"] as? String == "pong" })
        _ = await eventually(within: .seconds(2)) { ended.withLockedValue { $0 } != nil }
        let end = try #require(ended.withLockedValue { $0 })
        #expect(end.disconnectReason == .tooManyPeers && end.origin == .remote, "the reason trinity sent")
        await listener.close()
    }

    /// The probe's RLPx and p2p tests against trinity's listener: the handshake and frame tests run on trinity's own
    /// code and pass, except that trinity (like go-ethereum) waits for the body of a frame declared at 16 MiB − 1 (a
    /// SHOULD); the three Hello-content tests differ because the harness's base protocol (written in Tools/interop,
    /// not trinity's) does not check the peer's identity, capabilities or Hello size.
    @Test func probeAgainstTrinityListener() async throws {
        let trinity = try TrinityPeer(["listen", "--many", "--timeout", "60"])
        defer { trinity.process.stop() }
        let listening = try #require(trinity.nextEvent())
        let enode = try #require(listening["enode"] as? String)
        let run = try await Tool.runDetached(["probe", enode, "--run", "^(rlpx|p2p)/", "--format", "json", "--timeout", "3"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let tests = try #require(object["tests"] as? [[String: Any]])
        let differing = Set(tests.filter { $0["verdict"] as? String != "OK" }.compactMap { $0["id"] as? String })
        #expect(tests.count == 21)
        #expect(
            differing == ["p2p/hello/unexpected-identity", "p2p/hello/useless-peer", "p2p/hello/oversized", "rlpx/frame/declared-size-past-limit"],
            "\(run.stdout)")
        #expect(run.status == 1)
    }
}
