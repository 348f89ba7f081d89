// SPDX-License-Identifier: Apache-2.0
import DevP2P
import NIOConcurrencyHelpers
import NIOCore
import RLPxTestSupport
import Testing

@testable import RLPxPeer

/// A finished session leaves nothing behind: once the channel has closed and its users let go, the connection and
/// its channel handler are freed on both sides (a cycle among them once kept ≈ 11 KiB per session alive for good).
@Suite(.timeLimit(.minutes(1))) struct TeardownTests {
    /// Weak references to one side's connection and handler.
    final class Watched: Sendable {
        /// Only ever checked for nil, never dereferenced, so sharing it between threads is safe.
        private struct References: @unchecked Sendable {
            weak var connection: PeerConnection?
            weak var handler: RLPxChannelHandler?
        }
        private let references = NIOLockedValueBox(References())

        func watch(_ connection: PeerConnection) async throws {
            let references = self.references
            // The handler is bound to its event loop: take the weak reference there.
            try await connection.channel.eventLoop.submit {
                let handler = connection.handler.value
                references.withLockedValue {
                    $0.connection = connection
                    $0.handler = handler
                }
            }.get()
        }

        var freed: (connection: Bool, handler: Bool) {
            references.withLockedValue { ($0.connection == nil, $0.handler == nil) }
        }
    }

    @Test(arguments: [DisconnectReason.requested, .quitting])
    func endedSessionsAreFreedOnBothSides(reason: DisconnectReason) async throws {
        let accepted = Watched()
        let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: peerConfiguration()) { connection in
            try await accepted.watch(connection)
            try await echo(connection)
        }
        let dialled = Watched()
        do {
            let peer = try await RLPxNode.dial(listener.enodeURL, configuration: peerConfiguration())
            try await dialled.watch(peer)
            try await peer.send(protocol: "eth", code: 1, payload: [0xc0])
            var echoes = try #require(peer.messages(for: "eth")).makeAsyncIterator()
            #expect(await echoes.next()?.payload == [0xc0])
            if reason == .requested {
                await peer.disconnect(.requested)
            } else {
                await listener.close()
            }
            #expect(await peer.waitUntilClosed().disconnectReason == reason)
        }
        // NIO tears a pipeline down on its loop, after the close.
        // The listener's side ends when its handler task resumes, which a loaded CI machine can delay for seconds.
        _ = await eventually(within: .seconds(30)) { dialled.freed == (true, true) && accepted.freed == (true, true) }
        let dialledFreed = dialled.freed
        #expect(dialledFreed.connection, "the dialler's connection outlived its session")
        #expect(dialledFreed.handler, "the dialler's channel handler outlived its session")
        let acceptedFreed = accepted.freed
        #expect(acceptedFreed.connection, "the listener's connection outlived its session")
        #expect(acceptedFreed.handler, "the listener's channel handler outlived its session")
        await listener.close()
    }
}
