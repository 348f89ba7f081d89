// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxConformance
import RLPxTestSupport
import Testing

/// A live session's events (what the recipient's sans-I/O session reports, and what it sends) become the same
/// event stream a capture gives, and the same rules find the same breaches in it.
@Suite struct LiveSessionEventTests {
    @Test func rulesReadALiveSession() throws {
        var scenario = CaptureScenario()
        let genesis = ChainConfig.mainnet.genesisHash
        let status = EthMessage.status(
            Status(
                version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
                head: .totalDifficulty(UInt256(1), bestHash: genesis)))
        var live = LiveSessionEvents(connection: 1, local: .recipient, localHello: scenario.recipient.configuration.hello)
        var events = [live.opened(initiator: "a", recipient: "b", time: 0)]
        func drain(_ scenario: inout CaptureScenario) {
            for event in scenario.recipientEvents { events += live.received(event, time: 1) }
            scenario.recipientEvents = []
        }
        drain(&scenario)
        // The recipient answers Status once (what it sends is known to the caller, not reported by the session).
        scenario.take(try scenario.recipient.send(protocol: "eth", code: 0, payload: status.encoded(version: 68)), from: .recipient)
        events += [try #require(live.sent(protocol: "eth", code: 0, payload: status.encoded(version: 68), time: 1))]
        for _ in 0..<2 { try scenario.send("eth", code: 0, payload: status.encoded(version: 68), from: .initiator) }
        scenario.take(scenario.initiator.ping(now: scenario.now), from: .initiator)
        scenario.pump()
        scenario.take(scenario.initiator.disconnect(.requested), from: .initiator)
        scenario.pump()
        drain(&scenario)

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
        var engine = RuleEngine()
        let found = events.flatMap { engine.consume($0) }.filter { $0.severity == .breach }
        #expect(found.map { "\($0.ruleID) \($0.side?.rawValue ?? "-"): \($0.detail)" } == ["eth/status-first initiator: a second Status"])
        #expect(engine.openConnections == 0, "closed")
    }
}
