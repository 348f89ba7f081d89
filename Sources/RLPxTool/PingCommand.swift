// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import DevP2P
import RLP
import RLPxInspect
import RLPxPeer
import RLPxProtocols

extension RLPxTool {
    /// `rlpx-tool ping`: handshake, Hello, one Ping/Pong, disconnect.
    struct Ping: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dial a node, exchange Hellos, ping it once, and disconnect.",
            discussion: """
                Prints the remote Hello as soon as the Hellos are exchanged, then the Ping/Pong round trip, or the \
                Disconnect reason exactly as received (name and code). Without --cap it announces eth/68, eth/69 \
                and snap/1, so that a real node (go-ethereum speaks eth/69 and later) finds a shared protocol and \
                keeps the session long enough to answer the Ping. The whole exchange ends within --timeout. With \
                --format json it prints one object once the Pong is back: hello and roundTripMicroseconds.

                Exit status: 0 when the handshake, the Hellos and the Ping/Pong all worked; 1 when any of them \
                failed or timed out (the reason on stderr); 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port, or a node record enr:… with an IP address and TCP port") var enode: String
        @Option(name: .long, help: "Seconds for the whole exchange.") var timeout: Double = 10
        @OptionGroup var peer: PeerOptions
        @OptionGroup var output: OutputFormat

        /// What ping announces when no --cap is given.
        static let defaultCapabilities = ["eth/68", "eth/69", "snap/1"]

        func validate() throws {
            try validateSeconds(timeout, "--timeout")
            _ = try parseEnode(enode)
        }

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
                if !output.isJSON, let hello = (error as? PeerError)?.remoteHello { print(Self.text(hello)) }
                fail("\(error)")
            }
            let hello = connection.remoteHello
            if !output.isJSON { print(Self.text(hello)) }
            stage.value = "waiting for the Pong"
            let roundTrip: Duration
            do {
                roundTrip = try await connection.ping()
            } catch {
                let end = await connection.waitUntilClosed()
                fail("no Pong: \(end)")
            }
            if output.isJSON {
                print(JSONValue.object([("hello", Self.json(hello)), ("roundTripMicroseconds", .int(Int(roundTrip.inSeconds * 1e6)))]).rendered())
            } else {
                print("round trip  \(milliseconds(roundTrip))")
            }
            stage.value = "while disconnecting"
            await connection.disconnect(.requested)
        }

        static func text(_ hello: Hello?) -> String {
            guard let hello else { return "no Hello" }
            return """
                client      \(hello.clientID)
                p2p version \(hello.protocolVersion)
                caps        \(hello.capabilities.map(\.description).joined(separator: ", "))
                listen port \(hello.listenPort)
                node ID     \(Hex.encode(hello.nodeID))
                """
        }

        static func json(_ hello: Hello?) -> JSONValue {
            guard let hello else { return .null }
            return .object([
                ("client", .string(hello.clientID)), ("p2pVersion", .int(Int(clamping: hello.protocolVersion))),
                ("capabilities", .array(hello.capabilities.map { .string($0.description) })), ("listenPort", .int(Int(clamping: hello.listenPort))),
                ("nodeID", .string(Hex.encode(hello.nodeID))),
            ])
        }
    }
}
