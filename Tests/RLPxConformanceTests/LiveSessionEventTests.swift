// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxScenarioSupport
import Testing

/// The rules read a live session's events as they read a capture's (the events themselves: RLPxEventsTests).
@Suite struct LiveSessionEventTests {
    @Test func rulesReadALiveSession() throws {
        var engine = RuleEngine()
        let found = try liveSessionEvents().flatMap { engine.consume($0) }.filter { $0.severity == .breach }
        #expect(found.map { "\($0.ruleID) \($0.side?.rawValue ?? "-"): \($0.detail)" } == ["eth/status-first initiator: a second Status"])
        #expect(engine.openConnections == 0, "closed")
    }
}
