// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxPeer

/// What a listener does with each session's subprotocol messages.
public enum SessionService: Sendable {
    /// Reads and drops them.
    case drop
    /// Sends every message back on its protocol with its code.
    case echo
    /// Answers eth and snap from a chain as go-ethereum does; other protocols' messages are dropped.
    case chain(ServedChain)

    /// A session's start and end, as ``serve(_:limit:report:)`` reports them.
    public enum Event: Sendable {
        /// The remote Hello's client ID, the protocols matched (`eth/68`) and the remote address.
        case started(client: String, protocols: [String], remote: String)
        case ended(PeerError)
    }

    /// Serves `connection` until it ends, reporting its start and end; with a `limit`, ends it after that long.
    public func serve(_ connection: PeerConnection, limit: Duration? = nil, report: @Sendable (Event) -> Void) async {
        report(
            .started(
                client: connection.remoteHello?.clientID ?? "", protocols: connection.matchedProtocols.map { "\($0.name)/\($0.version)" },
                remote: connection.remoteAddress.map { "\($0)" } ?? ""))
        let limiter = limit.map { limit in
            Task {
                try await Task.sleep(for: limit)
                await connection.disconnect(.requested)
            }
        }
        defer { limiter?.cancel() }
        // A send that fails means the session ended; its end is logged below.
        try? await withThrowingTaskGroup(of: Void.self) { group in
            for matched in connection.matchedProtocols {
                guard let messages = connection.messages(for: matched.name) else { continue }
                switch self {
                case .chain(let chain) where matched.name == "eth":
                    group.addTask { try await chain.serveEth(connection, messages, version: matched.version) }
                case .chain(let chain) where matched.name == "snap":
                    group.addTask { try await chain.serveSnap(connection, messages, version: matched.version) }
                case .echo:
                    group.addTask {
                        for await message in messages {
                            try await connection.send(protocol: matched.name, code: message.code, payload: message.payload)
                        }
                    }
                case .drop, .chain:
                    group.addTask { for await _ in messages {} }
                }
            }
            try await group.waitForAll()
        }
        report(.ended(await connection.waitUntilClosed()))
    }
}
