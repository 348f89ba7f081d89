import RLPxConformance
// SPDX-License-Identifier: Apache-2.0
import Synchronization
import Testing

/// Counts, across the rule instances the engine makes, what the test rules below saw and built.
final class RuleProbe: Sendable {
    let seen = Mutex<[String]>([])
    let detailsBuilt = Atomic<Int>(0)
}

let floodProbe = RuleProbe()
let ethStatusProbe = RuleProbe()
let allMessagesProbe = RuleProbe()
let wakeProbe = RuleProbe()
let decodedProbe = RuleProbe()

/// Reads eth's Status only when it decoded.
final class DecodedStatusRule: ConnectionRule {
    static let descriptor = RuleDescriptor(id: "test.decoded-status", statement: "-", section: "none", severity: .breach)
    static let interests: EventInterests = .message
    static let messages: MessageInterest = .codes("eth", [0]).decoded
    init(configuration: RuleConfiguration) {}

    func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(_, let message) = event.kind else { return }
        decodedProbe.seen.withLock { $0.append(message.isDecoded ? "decoded" : "malformed") }
    }
}

/// Ignores frames until a message asks for them again.
final class WakeRule: ConnectionRule {
    static let descriptor = RuleDescriptor(id: "test.wake", statement: "-", section: "none", severity: .breach)
    static let interests: EventInterests = [.frame, .message]
    private var awake = false
    init(configuration: RuleConfiguration) {}

    func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .frame(_, let size, _, _):
            wakeProbe.seen.withLock { $0.append("#\(event.connection) frame \(size)") }
            if !awake { findings.ignore(.frame) }
        case .message:
            wakeProbe.seen.withLock { $0.append("#\(event.connection) message") }
            awake = true
            findings.read([.frame, .closed])  // only what it declared comes back
        default:
            wakeProbe.seen.withLock { $0.append("#\(event.connection) other") }
        }
    }
}

/// Reports two findings for every message it reads.
final class FloodRule: ConnectionRule {
    static let descriptor = RuleDescriptor(id: "test.flood", statement: "never send", section: "none", severity: .breach)
    static let interests: EventInterests = .message
    init(configuration: RuleConfiguration) {}

    func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        for _ in 0..<2 {
            findings.report(
                .initiator,
                {
                    floodProbe.detailsBuilt.add(1, ordering: .relaxed)
                    return "a message"
                }())
        }
    }
}

/// Reads eth's Status only.
final class EthStatusRule: ConnectionRule {
    static let descriptor = RuleDescriptor(id: "test.eth-status", statement: "-", section: "none", severity: .breach)
    static let interests: EventInterests = .message
    static let messages: MessageInterest = .codes("eth", [0])
    init(configuration: RuleConfiguration) {}

    func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(_, let message) = event.kind else { return }
        ethStatusProbe.seen.withLock { $0.append("\(message.protocolName) \(message.code)") }
    }
}

/// Reads every message.
final class AllMessagesRule: ConnectionRule {
    static let descriptor = RuleDescriptor(id: "test.all", statement: "-", section: "none", severity: .breach)
    static let interests: EventInterests = .message
    init(configuration: RuleConfiguration) {}

    func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(_, let message) = event.kind else { return }
        allMessagesProbe.seen.withLock { $0.append("\(message.protocolName) \(message.code)") }
    }
}

@Suite struct RuleEngineTests {
    static func message(_ protocolName: String, code: UInt64, wireCode: UInt64, connection: Int = 1) -> ConnectionEvent {
        ConnectionEvent(
            connection: connection, time: 1,
            kind: .message(
                .initiator,
                DecodedMessage(
                    protocolName: protocolName, version: protocolName == "eth" ? 68 : nil, code: code, wireCode: wireCode,
                    name: "m", payload: [0xc0], value: .undecoded)))
    }

    /// A rule that floods a connection lists the engine's cap, then only counts: the rest of its findings are
    /// never built, and one informational finding at the close says how many were left out.
    @Test func aFloodIsCountedNotBuilt() {
        var engine = RuleEngine(rules: [FloodRule.self])
        var findings: [Finding] = []
        for _ in 0..<1000 { findings += engine.consume(Self.message("eth", code: 0, wireCode: 16)) }
        findings += engine.consume(ConnectionEvent(connection: 1, time: 2, kind: .closed))
        let listed = findings.filter { $0.severity == .breach }
        #expect(listed.count == RuleEngine.findingsPerConnection)
        #expect(findings.last?.detail == "\(2000 - RuleEngine.findingsPerConnection) more findings of this rule on this connection not listed")
        #expect(floodProbe.detailsBuilt.load(ordering: .relaxed) <= RuleEngine.findingsPerConnection + 1)
        #expect(engine.openConnections == 0)
    }

    /// A rule reads only the messages it names; a wire code that changes protocol once the Hellos are matched
    /// (an unplaced code, then eth's Status) reaches it only as the message it reads.
    @Test func rulesReadOnlyTheMessagesTheyName() {
        var engine = RuleEngine(rules: [EthStatusRule.self, AllMessagesRule.self])
        let script = [
            Self.message("p2p", code: 0, wireCode: 0), Self.message("?", code: 16, wireCode: 16),
            Self.message("eth", code: 0, wireCode: 16), Self.message("eth", code: 3, wireCode: 19),
            Self.message("snap", code: 0, wireCode: 33), Self.message("eth", code: 0, wireCode: 16),
            Self.message("eth", code: 0, wireCode: 16, connection: 2),
        ]
        for event in script { _ = engine.consume(event) }
        #expect(ethStatusProbe.seen.withLock { $0 } == ["eth 0", "eth 0", "eth 0"])
        #expect(allMessagesProbe.seen.withLock { $0 } == ["p2p 0", "? 16", "eth 0", "eth 3", "snap 0", "eth 0", "eth 0"])
    }

    /// A rule that ignores a kind of event on one connection is not called with it there until it reads it
    /// again; other connections are not affected.
    @Test func aRuleCanIgnoreAndReadAgain() {
        var engine = RuleEngine(rules: [WakeRule.self])
        func frame(_ size: Int, connection: Int = 1) -> ConnectionEvent {
            ConnectionEvent(connection: connection, time: 1, kind: .frame(.initiator, size: size, headerData: [0xc0], offset: 0))
        }
        for event in [
            frame(1), frame(2), frame(3, connection: 2), Self.message("eth", code: 0, wireCode: 16), frame(4),
            ConnectionEvent(connection: 1, time: 2, kind: .closed),
        ] {
            _ = engine.consume(event)
        }
        #expect(wakeProbe.seen.withLock { $0 } == ["#1 frame 1", "#2 frame 3", "#1 message", "#1 frame 4"])
    }

    /// A rule that reads only decoded messages is not called for a payload that breaks its layout.
    @Test func decodedOnlyRulesSkipMalformedPayloads() throws {
        var engine = RuleEngine(rules: [DecodedStatusRule.self])
        var script = EventScript(version: 69)
        script.eth(.initiator, EthFixtures.status())
        script.raw(.recipient, "eth", version: 69, code: 0, payload: [0x80])
        for event in script.events { _ = engine.consume(event) }
        #expect(decodedProbe.seen.withLock { $0 } == ["decoded"])
    }

    @Test func exchangesAreEthAndSnapRequestsAndResponses() {
        let eth: [UInt64] = (0..<0x16).filter { MessageInterest.exchanges.reads(protocolName: "eth", code: $0) }
        #expect(eth == [0x03, 0x04, 0x05, 0x06, 0x09, 0x0a, 0x0f, 0x10, 0x12, 0x13, 0x14, 0x15])
        #expect((0..<10).allSatisfy { MessageInterest.exchanges.reads(protocolName: "snap", code: $0) })
        #expect(!MessageInterest.exchanges.reads(protocolName: "p2p", code: 3))
    }

    @Test func blockAnnouncementRuleReadsTheCodesEth69Removed() {
        let eth: [UInt64] = (0..<0x16).filter { NoBlockAnnouncementsRule.messages.reads(protocolName: "eth", code: $0) }
        #expect(eth == [0x01, 0x07])
    }
}
