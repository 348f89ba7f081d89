// SPDX-License-Identifier: Apache-2.0
import RLPxEvents

/// Feeds events to the selected rules, one set of rule values per open connection, and hands back what they find.
/// Rules that were not selected are never made, so they cost nothing.
public struct RuleEngine {
    public let rules: [any ConnectionRule.Type]
    public let configuration: RuleConfiguration
    private var open: [Int: [any ConnectionRule]] = [:]

    public init(rules: [any ConnectionRule.Type] = RuleRegistry.all, configuration: RuleConfiguration = RuleConfiguration()) {
        self.rules = rules
        self.configuration = configuration
    }

    /// Reads one event; returns the findings it caused. A connection's rules are made at its first event and
    /// dropped after ``ConnectionEvent/Kind/closed``.
    public mutating func consume(_ event: ConnectionEvent) -> [Finding] {
        var states = open.removeValue(forKey: event.connection) ?? rules.map { $0.init(configuration: configuration) }
        var findings: [Finding] = []
        for index in states.indices {
            var sink = FindingSink(descriptor: type(of: states[index]).descriptor, connection: event.connection, time: event.time)
            states[index].consume(event, &sink)
            findings += sink.found
        }
        if case .closed = event.kind { return findings }
        open[event.connection] = states
        return findings
    }

    /// Connections whose rules are still held.
    public var openConnections: Int { open.count }
}
