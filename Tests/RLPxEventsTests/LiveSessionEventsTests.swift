// SPDX-License-Identifier: Apache-2.0
import RLPxEvents
import RLPxScenarioSupport
import Testing

/// A live session's events (what the recipient's sans-I/O session reports, and what it sends) are the event stream
/// a capture gives: opened, the handshake, both identities, each message by protocol and name, closed.
@Suite struct LiveSessionEventsTests {
    @Test func aLiveSessionReadsLikeACapture() throws {
        let events = try liveSessionEvents()
        let kinds = events.map { event -> String in
            guard case .message(let side, let message) = event.kind else { return "\(event.kind)".prefix { $0 != "(" }.description }
            return "\(side.rawValue) \(message.protocolLabel) \(message.name)"
        }
        #expect(
            kinds == [
                "opened", "handshake", "identities", "recipient p2p Hello", "initiator p2p Hello", "recipient eth/68 Status",
                "initiator eth/68 Status",
                "initiator eth/68 Status", "initiator p2p Ping", "recipient p2p Pong", "initiator p2p Disconnect", "closed",
            ], "\(kinds)")
        #expect(events.allSatisfy { $0.connection == 1 })
    }
}
