// SPDX-License-Identifier: Apache-2.0
import RLPxEvents

/// Feeds events to the selected rules, one set of rule values per open connection, and hands back what they find.
/// Rules that were not selected are never made, so they cost nothing; a rule only sees the kinds of event it
/// declares in ``ConnectionRule/interests``.
///
/// A rule reports at most ``findingsPerConnection`` findings on one connection: a flood of the same breach is
/// summed up by one informational finding when the connection closes, so output and memory stay bounded.
public struct RuleEngine {
    public let rules: [any ConnectionRule.Type]
    public let configuration: RuleConfiguration
    /// The most findings one rule reports on one connection before the rest are only counted.
    public static let findingsPerConnection = 100
    /// Rule indices by event kind (the order of ``ConnectionEvent/Kind`` tags).
    private let byKind: [[Int]]
    private let descriptors: [RuleDescriptor]
    private var open: [Int: Connection] = [:]

    /// One connection's rules and finding counts.
    private final class Connection {
        let rules: [any ConnectionRule]
        var reported: [Int]

        init(_ rules: [any ConnectionRule]) {
            self.rules = rules
            reported = Array(repeating: 0, count: rules.count)
        }
    }

    public init(rules: [any ConnectionRule.Type] = RuleRegistry.all, configuration: RuleConfiguration = RuleConfiguration()) {
        self.rules = rules
        self.configuration = configuration
        descriptors = rules.map { $0.descriptor }
        byKind = EventInterests.tags.map { tag in rules.indices.filter { rules[$0].interests.contains(tag) } }
    }

    /// Reads one event; returns the findings it caused. A connection's rules are made at its first event and
    /// dropped after ``ConnectionEvent/Kind/closed``.
    public mutating func consume(_ event: ConnectionEvent) -> [Finding] {
        let connection: Connection
        if let known = open[event.connection] {
            connection = known
        } else {
            connection = Connection(rules.map { $0.init(configuration: configuration) })
            open[event.connection] = connection
        }
        let interested = byKind[EventInterests.tag(of: event.kind)]
        var sink = FindingSink(descriptors: descriptors, connection: event.connection, time: event.time)
        var findings: [Finding] = []
        for index in interested {
            sink.rule = index
            connection.rules[index].consume(event, &sink)
            guard !sink.found.isEmpty else { continue }
            for finding in sink.found {
                connection.reported[index] += 1
                if connection.reported[index] <= Self.findingsPerConnection { findings.append(finding) }
            }
            sink.found.removeAll(keepingCapacity: true)
        }
        if case .closed = event.kind {
            for index in rules.indices where connection.reported[index] > Self.findingsPerConnection {
                let more = connection.reported[index] - Self.findingsPerConnection
                findings.append(Finding(
                    ruleID: descriptors[index].id, severity: .informational, connection: event.connection, side: nil,
                    time: event.time, detail: "\(more) more finding\(more == 1 ? "" : "s") of this rule on this connection not listed"))
            }
            open[event.connection] = nil
        }
        return findings
    }

    /// Connections whose rules are still held.
    public var openConnections: Int { open.count }
}

/// The kinds of event a rule reads.
public struct EventInterests: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let opened = EventInterests(rawValue: 1 << 0)
    public static let handshake = EventInterests(rawValue: 1 << 1)
    public static let identities = EventInterests(rawValue: 1 << 2)
    public static let frame = EventInterests(rawValue: 1 << 3)
    public static let message = EventInterests(rawValue: 1 << 4)
    public static let fault = EventInterests(rawValue: 1 << 5)
    public static let closed = EventInterests(rawValue: 1 << 6)
    public static let all = EventInterests(rawValue: 0x7f)

    /// One tag per kind, in ``tag(of:)`` order.
    static let tags: [EventInterests] = [.opened, .handshake, .identities, .frame, .message, .fault, .closed]

    static func tag(of kind: ConnectionEvent.Kind) -> Int {
        switch kind {
        case .opened: 0
        case .handshake: 1
        case .identities: 2
        case .frame: 3
        case .message: 4
        case .fault: 5
        case .closed: 6
        }
    }
}
