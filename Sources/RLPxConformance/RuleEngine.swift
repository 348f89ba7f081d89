// SPDX-License-Identifier: Apache-2.0
import RLPxEvents

/// Feeds events to the selected rules, one set of rule values per open connection, and hands back what they find.
/// Rules that were not selected are never made, so they cost nothing; a rule only sees the kinds of event it
/// declares in ``ConnectionRule/interests`` and, of messages, those its ``ConnectionRule/messages`` accepts; on one
/// connection it can narrow that further while it runs (``FindingSink/ignore(_:)``), so a rule that has seen
/// what it needs costs nothing after.
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
    private let messageInterests: [MessageInterest]
    private let declaredInterests: [EventInterests]
    /// Which rules read only messages that decoded to their typed value.
    private let onlyDecoded: [Bool]
    /// Connections other than the current one.
    private var open: [Int: Connection] = [:]
    /// The connection of the last event (nil after it closed), and its rules and tables, held in the engine itself
    /// (events come in runs of one connection): they are then read without retaining them per event.
    private var currentID: Int?
    private var current = Connection([], interests: [], byKind: [])
    /// Where the rules report, reused from event to event.
    private var sink: FindingSink

    /// One connection's rules and finding counts. The rules' state lives here, in the engine's own storage, and
    /// is changed in place: their accesses are proven exclusive when the engine is compiled (where the engine
    /// itself sits in a class, its holder takes one unchecked access for all of them), so a rule is plain Swift.
    private struct Connection {
        var rules: [any ConnectionRule]
        var reported: [Int]
        /// The kinds each rule reads now on this connection (its declared interests, narrowed as it asks).
        var interests: [EventInterests]
        /// Rule indices by event kind, from `interests`.
        var byKind: [[Int]]
        /// The rules that read a message, by wire code (the mapping of codes to protocols is fixed once both
        /// Hellos are read; each entry keeps the protocol and code it was made for).
        var readers: [UInt64: (protocolName: String, code: UInt64, rules: [Int])] = [:]

        init(_ rules: [any ConnectionRule], interests: [EventInterests], byKind: [[Int]]) {
            self.rules = rules
            self.interests = interests
            self.byKind = byKind
            reported = Array(repeating: 0, count: rules.count)
        }

        /// Rule `index` reads `kinds` from now on.
        mutating func setInterests(_ kinds: EventInterests, of index: Int) {
            interests[index] = kinds
            byKind = RuleEngine.byKind(interests)
            readers = [:]
        }

        /// The rules that read `message`, of those reading messages; `accepts` says whether a rule reads it.
        mutating func readers(of message: DecodedMessage, accepts: (Int) -> Bool) -> [Int] {
            if let known = readers[message.wireCode], known.code == message.code, known.protocolName == message.protocolName {
                return known.rules
            }
            let rules = byKind[EventInterests.messageTag].filter(accepts)
            // Bounded: a peer sending every code cannot grow it past the code space it can place.
            if readers.count < 4096 { readers[message.wireCode] = (message.protocolName, message.code, rules) }
            return rules
        }
    }

    /// - Parameter rules: the rules to run; discovery rules among them are left to ``DiscoveryEngine``.
    public init(rules: [any ConnectionRule.Type] = RuleRegistry.all, configuration: RuleConfiguration = RuleConfiguration()) {
        let rules = rules.filter { !($0 is any DiscoveryRule.Type) }
        self.rules = rules
        self.configuration = configuration
        descriptors = rules.map { $0.descriptor }
        messageInterests = rules.map { $0.messages }
        declaredInterests = rules.map { $0.interests }
        onlyDecoded = messageInterests.map(\.onlyDecoded)
        sink = FindingSink(descriptors: descriptors, interests: declaredInterests, connection: 0, time: 0)
        byKind = Self.byKind(declaredInterests)
    }

    /// Rule indices by event kind (the order of ``EventInterests/tags``), for rules reading `interests`.
    private static func byKind(_ interests: [EventInterests]) -> [[Int]] {
        EventInterests.tags.map { tag in interests.indices.filter { interests[$0].contains(tag) } }
    }

    /// Reads one event; returns the findings it caused. A connection's rules are made at its first event and
    /// dropped after ``ConnectionEvent/Kind/closed``.
    public mutating func consume(_ event: ConnectionEvent) -> [Finding] {
        if currentID != event.connection {
            let next =
                open.removeValue(forKey: event.connection)
                ?? Connection(rules.map { $0.init(configuration: configuration) }, interests: declaredInterests, byKind: byKind)
            if let currentID { open[currentID] = current }
            current = next
            currentID = event.connection
        }
        let interested: [Int]
        var undecoded = false
        if case .message(_, let message) = event.kind {
            let messageInterests = messageInterests
            interested = current.readers(of: message) {
                messageInterests[$0].reads(protocolName: message.protocolName, code: message.code)
            }
            undecoded = !message.isDecoded
        } else {
            interested = current.byKind[EventInterests.tag(of: event.kind)]
        }
        let closes: Bool
        if case .closed = event.kind { closes = true } else { closes = false }
        if interested.isEmpty && !closes { return [] }
        sink.connection = event.connection
        sink.time = event.time
        var findings: [Finding] = []
        for index in interested {
            if undecoded && onlyDecoded[index] { continue }
            sink.rule = index
            sink.muted = current.reported[index] >= Self.findingsPerConnection
            sink.interests = current.interests[index]
            current.rules[index].consume(event, &sink)
            if sink.interests != current.interests[index] { current.setInterests(sink.interests, of: index) }
            if sink.counted > 0 {
                current.reported[index] += sink.counted
                sink.counted = 0
            }
            guard !sink.found.isEmpty else { continue }
            for finding in sink.found {
                current.reported[index] += 1
                if current.reported[index] <= Self.findingsPerConnection { findings.append(finding) }
            }
            sink.found.removeAll(keepingCapacity: true)
        }
        if closes {
            let reported = current.reported
            for index in rules.indices where reported[index] > Self.findingsPerConnection {
                let more = reported[index] - Self.findingsPerConnection
                findings.append(
                    Finding(
                        ruleID: descriptors[index].id, severity: .informational, connection: event.connection, side: nil,
                        time: event.time, detail: "\(more) more finding\(more == 1 ? "" : "s") of this rule on this connection not listed"))
            }
            currentID = nil
            current = Connection([], interests: [], byKind: [])
        }
        return findings
    }

    /// Connections whose rules are still held.
    public var openConnections: Int { open.count + (currentID == nil ? 0 : 1) }
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

    /// The tag of ``ConnectionEvent/Kind/message(_:_:)``.
    static let messageTag = 4

    static func tag(of kind: ConnectionEvent.Kind) -> Int {
        switch kind {
        case .opened: 0
        case .handshake: 1
        case .identities: 2
        case .frame: 3
        case .message: messageTag
        case .fault: 5
        case .closed: 6
        }
    }
}
