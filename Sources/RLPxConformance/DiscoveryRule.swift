// SPDX-License-Identifier: Apache-2.0
import RLPxEvents

/// A rule over a capture's discovery traffic (discv4 and discv5 datagrams). Discovery has no connections, so one
/// instance reads every ``DiscoveryEvent`` of the capture in order and keeps its state by endpoint or node. It is
/// a ``ConnectionRule`` only to share the registry, `--run` and `--list`: the connection engine never makes it.
/// Its findings carry connection 0 and no side; their detail names the sender.
public protocol DiscoveryRule: ConnectionRule {
    /// Reads one datagram's event and reports what breaks the rule.
    mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink)
    /// The capture ended at `time`: reports what stays unanswered.
    mutating func finish(at time: Double, _ findings: inout FindingSink)
}

extension DiscoveryRule {
    public static var interests: EventInterests { [] }
    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {}
    public mutating func finish(at time: Double, _ findings: inout FindingSink) {}
}

/// Feeds a capture's discovery events to the selected discovery rules (one instance each) and hands back what they
/// find, at most ``RuleEngine/findingsPerConnection`` per rule before the rest are only counted.
public struct DiscoveryEngine {
    private var rules: [any DiscoveryRule]
    private var sink: FindingSink
    private var reported: [Int]
    private let descriptors: [RuleDescriptor]

    /// - Parameter rules: any rules; the discovery rules among them run.
    public init(rules: [any ConnectionRule.Type], configuration: RuleConfiguration = RuleConfiguration()) {
        let types = rules.compactMap { $0 as? any DiscoveryRule.Type }
        self.rules = types.map { $0.init(configuration: configuration) }
        descriptors = types.map { $0.descriptor }
        reported = Array(repeating: 0, count: types.count)
        sink = FindingSink(descriptors: descriptors, interests: Array(repeating: [], count: types.count), connection: 0, time: 0)
    }

    /// Whether any discovery rule was selected.
    public var isEmpty: Bool { rules.isEmpty }

    /// Reads one event; returns the findings it caused.
    public mutating func consume(_ event: DiscoveryEvent) -> [Finding] {
        sink.time = event.time
        return run { rule, sink in rule.consume(event, &sink) }
    }

    /// Ends the capture at `time`: what stays unanswered, and how many findings went unlisted.
    public mutating func finish(at time: Double) -> [Finding] {
        sink.time = time
        var findings = run { rule, sink in rule.finish(at: time, &sink) }
        for index in rules.indices where reported[index] > RuleEngine.findingsPerConnection {
            let more = reported[index] - RuleEngine.findingsPerConnection
            findings.append(
                Finding(
                    ruleID: descriptors[index].id, severity: .informational, connection: 0, side: nil, time: time,
                    detail: "\(more) more finding\(more == 1 ? "" : "s") of this rule not listed"))
        }
        return findings
    }

    private mutating func run(_ body: (inout any DiscoveryRule, inout FindingSink) -> Void) -> [Finding] {
        var findings: [Finding] = []
        for index in rules.indices {
            sink.rule = index
            sink.muted = reported[index] >= RuleEngine.findingsPerConnection
            body(&rules[index], &sink)
            reported[index] += sink.counted + sink.found.count
            sink.counted = 0
            findings += sink.found.prefix(max(0, RuleEngine.findingsPerConnection - (reported[index] - sink.found.count)))
            sink.found.removeAll(keepingCapacity: true)
        }
        return findings
    }
}
