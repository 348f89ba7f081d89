// SPDX-License-Identifier: Apache-2.0
import DevP2P

/// A rule broken on purpose, for recording conformance captures: each case names the finding it provokes.
public enum PeerFault: String, CaseIterable, Sendable {
    /// A message code beyond every matched protocol (wire code 200).
    case codeOutOfRange = "code-out-of-range"
    /// An eth message sent without snappy on a p2p version 5 session.
    case uncompressed
    /// A snappy block that claims a decompressed size far beyond the limit.
    case snappyBomb = "snappy-bomb"
    /// A subprotocol message right after our Disconnect, in the same write.
    case afterDisconnect = "after-disconnect"
    /// A Disconnect with reason 0x0c, which no version defines.
    case unknownReason = "unknown-reason"
    /// A Ping whose payload is a byte string, not the empty list (`0x81 0x05`: a non-canonical single byte).
    case nonCanonical = "non-canonical"
    /// A frame whose MAC is corrupted.
    case badMAC = "bad-mac"
    /// A Ping, then a wait for its Pong: against a peer that does not answer, an unanswered Ping once the wait ends.
    case ping
    /// No Pong for any Ping (the session's own setting; nothing is sent).
    case noPong = "no-pong"

    /// How long ``ping`` waits for a Pong: past the 15 s within which a Ping must be answered (go-ethereum's
    /// pingInterval, the conformance rule base/ping-pong), so a capture shows the Ping unanswered.
    public static let pongWait: Duration = .seconds(16)

    /// The wire messages the fault sends (wire code, payload), with its framing. Faults on eth use wire code 18 (eth
    /// Transactions after the 16 base codes, an empty list where a payload is read), so each breaks no eth rule.
    public var messages: (messages: [(wireCode: UInt64, payload: [UInt8])], compressed: Bool?, corruptMAC: Bool) {
        switch self {
        case .codeOutOfRange: ([(200, [0xc0])], nil, false)
        case .uncompressed: ([(18, [0xc0])], false, false)
        case .snappyBomb: ([(18, [0x80, 0x80, 0x80, 0x08, 0x00])], false, false)
        case .afterDisconnect: ([(BaseProtocol.disconnectCode, [0xc1, 0x80]), (18, [0xc0])], nil, false)
        case .unknownReason: ([(BaseProtocol.disconnectCode, [0xc1, 0x0c])], nil, false)
        case .nonCanonical: ([(BaseProtocol.pingCode, [0x81, 0x05])], nil, false)
        case .badMAC: ([(18, [0xc0])], nil, true)
        case .ping, .noPong: ([], nil, false)
        }
    }

    /// Applies the fault to a session's settings (``noPong``); the others change nothing there.
    public func configure(_ session: inout SessionConfiguration) {
        if self == .noPong { session.answersPings = false }
    }

    /// How long the other faults wait for the peer to react (a Disconnect) before ``inject(on:)`` returns.
    public static let reactionWait: Duration = .milliseconds(300)

    /// Breaks the rule on `connection`, then waits for what should follow: for ``ping`` a Pong, the session's end
    /// or `pongWait`; for the others the session's end or `reactionWait`, whichever comes first.
    public func inject(on connection: PeerConnection, pongWait: Duration = Self.pongWait, reactionWait: Duration = Self.reactionWait) async throws {
        let (messages, compressed, corruptMAC) = self.messages
        if !messages.isEmpty { try await connection.sendUnchecked(messages, compressed: compressed, corruptMAC: corruptMAC) }
        let wait = self == .ping ? pongWait : reactionWait
        // Neither a Pong nor the session's end can be cancelled: the first of them or the deadline ends the wait,
        // the others finish when the session does.
        let (first, done) = AsyncStream<Void>.makeStream()
        if self == .ping {
            Task {
                _ = try? await connection.ping()
                done.yield()
            }
        }
        Task {
            _ = await connection.waitUntilClosed()
            done.yield()
        }
        let deadline = Task {
            try? await Task.sleep(for: wait)
            done.yield()
        }
        for await _ in first { break }
        deadline.cancel()
        done.finish()
    }
}
