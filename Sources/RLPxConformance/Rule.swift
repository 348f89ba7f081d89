// SPDX-License-Identifier: Apache-2.0
import Eth
import RLPxEvents
import RLPxProtocols
import Snap

/// How much a finding weighs, after Autobahn's verdicts.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The specification is broken: the run fails.
    case breach
    /// Allowed, but not what the specification asks (legacy forms, lenient encodings).
    case nonStrict = "non-strict"
    /// Worth knowing; not a fault of either side (checks the capture cannot decide).
    case informational

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// What a rule is: its stable identifier, the statement it enforces, where that statement is written, and how much
/// a breach of it weighs.
public struct RuleDescriptor: Sendable, Hashable {
    /// Stable identifier (`family/name`, the probe's style and hive's), used by `--run` and in reports.
    public let id: String
    /// The rule in one line.
    public let statement: String
    /// The specification section it enforces (devp2p `rlpx.md`, `caps/eth.md`, `caps/snap.md`, an EIP).
    public let section: String
    public let severity: Severity

    public init(id: String, statement: String, section: String, severity: Severity) {
        self.id = id
        self.statement = statement
        self.section = section
        self.severity = severity
    }

    /// The family: the identifier up to its first slash (`base`, `frame`, `eth`, ...).
    public var family: String { String(id.prefix { $0 != "/" }) }

    /// The identifier as it was spelled before rule and probe identifiers took one style (`family.name`), still
    /// accepted by ``RuleRegistry/select(_:)`` and ``RuleRegistry/descriptor(_:)``.
    public var legacyID: String { family + "." + id.dropFirst(family.count + 1) }
}

/// What rules may need to know beyond the events.
public struct RuleConfiguration: Sendable {
    /// How long a Ping may wait for its Pong (go-ethereum's pingInterval, 15 s).
    public var pongTimeout: Double
    /// The chain the peers should be on: fork IDs and genesis hashes in Status are validated against it.
    public var chain: ChainConfig?

    public init(pongTimeout: Double = 15, chain: ChainConfig? = nil) {
        self.pongTimeout = pongTimeout
        self.chain = chain
    }
}

/// A rule: one statement of a specification, checked on one connection. The engine makes one instance per
/// connection and feeds it that connection's events in order; the instance keeps whatever state the statement
/// needs. A rule is plain Swift, usually a struct: the engine keeps each instance in a box of its own and calls it
/// in place (no copy of its state per event), and takes the run-time exclusivity check on that box once, so the
/// rule's own state needs no annotation.
public protocol ConnectionRule: SendableMetatype {
    static var descriptor: RuleDescriptor { get }
    /// The kinds of event the rule reads; the engine gives it no others (all of them unless the rule says).
    static var interests: EventInterests { get }
    /// Of messages, the ones the rule reads; the engine gives it no others (all of them unless the rule says).
    static var messages: MessageInterest { get }
    init(configuration: RuleConfiguration)
    /// Reads one event and reports what breaks the rule.
    mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink)
}

extension ConnectionRule {
    public static var interests: EventInterests { .all }
    public static var messages: MessageInterest { .all }
}

/// The messages a rule reads, by protocol name and code (the code inside its protocol; the wire code for `p2p` and
/// for codes no matched protocol holds, whose protocol name is `?`). The engine asks once per kind of message on a
/// connection, so a rule costs nothing on messages it does not read.
public struct MessageInterest: Sendable {
    private let accepts: @Sendable (_ protocolName: String, _ code: UInt64) -> Bool
    /// Whether the rule reads only messages whose payload decoded to their typed value (``decoded``).
    public private(set) var onlyDecoded = false

    public init(_ accepts: @escaping @Sendable (_ protocolName: String, _ code: UInt64) -> Bool) {
        self.accepts = accepts
    }

    /// The same messages, when their payload decoded to the protocol's typed value: a rule that checks typed
    /// values is not called for payloads that break their layout (another rule reports those).
    public var decoded: MessageInterest {
        var interest = self
        interest.onlyDecoded = true
        return interest
    }

    public func reads(protocolName: String, code: UInt64) -> Bool { accepts(protocolName, code) }

    public static let all = MessageInterest { _, _ in true }

    /// These codes of one protocol (`p2p` for the base protocol: Hello 0, Disconnect 1, Ping 2, Pong 3).
    public static func codes(_ protocolName: String, _ codes: Set<UInt64>) -> MessageInterest {
        MessageInterest { name, code in name == protocolName && codes.contains(code) }
    }

    /// These eth messages.
    public static func eth(_ kinds: EthMessage.Kind...) -> MessageInterest {
        codes("eth", Set(kinds.map(\.rawValue)))
    }

    /// These snap messages.
    public static func snap(_ kinds: SnapMessage.Kind...) -> MessageInterest {
        codes("snap", Set(kinds.map(\.rawValue)))
    }

    /// Every message of one protocol.
    public static func every(_ protocolName: String) -> MessageInterest {
        MessageInterest { name, _ in name == protocolName }
    }

    /// The requests and responses of eth and snap (every snap message is one), from their message tables.
    public static let exchanges = KnownProtocols.tables.map { codes($0.protocolName, $0.exchangeCodes) }.reduce(none, +)

    /// No message.
    public static let none = MessageInterest { _, _ in false }

    /// The messages either reads.
    public static func + (lhs: MessageInterest, rhs: MessageInterest) -> MessageInterest {
        var union = MessageInterest { name, code in lhs.accepts(name, code) || rhs.accepts(name, code) }
        union.onlyDecoded = lhs.onlyDecoded && rhs.onlyDecoded
        return union
    }
}

/// One breach of a rule (or a non-strict or informational observation), where and when it happened.
public struct Finding: Sendable, Hashable {
    public var ruleID: String
    public var severity: Severity
    /// The connection's number in the capture (from 1).
    public var connection: Int
    /// The side that broke the rule, when one did.
    public var side: Side?
    public var time: Double
    public var detail: String

    public init(ruleID: String, severity: Severity, connection: Int, side: Side?, time: Double, detail: String) {
        self.ruleID = ruleID
        self.severity = severity
        self.connection = connection
        self.side = side
        self.time = time
        self.detail = detail
    }
}

/// Where a rule reports while it reads an event: findings take the rule's identifier and severity and the event's
/// connection and time unless told otherwise. Once a rule has reported as many findings on a connection as the
/// engine lists, further ones are only counted: their detail is never built.
public struct FindingSink {
    /// Every selected rule's descriptor, shared by the engine; `rule` is the one reading now.
    let descriptors: [RuleDescriptor]
    var rule: Int
    var connection: Int
    var time: Double
    var found: [Finding] = []
    /// Whether the rule reading now has used up its listed findings on this connection.
    var muted = false
    /// Findings counted but not made while muted.
    var counted = 0
    /// The kinds of event the rule reading now reads on this connection.
    var interests = EventInterests.all

    /// Stops giving the rule reading now events of `kinds` on this connection, until it reads them again
    /// (``read(_:)``, from an event of a kind it still reads): a rule that has seen what it needs costs nothing.
    public mutating func ignore(_ kinds: EventInterests) {
        interests.subtract(kinds)
    }

    /// Gives the rule reading now events of `kinds` again on this connection (within its declared interests).
    public mutating func read(_ kinds: EventInterests) {
        interests.formUnion(kinds.intersection(declaredInterests[rule]))
    }

    /// Every selected rule's declared interests.
    let declaredInterests: [EventInterests]

    init(descriptors: [RuleDescriptor], interests: [EventInterests], rule: Int = 0, connection: Int, time: Double) {
        self.descriptors = descriptors
        declaredInterests = interests
        self.rule = rule
        self.connection = connection
        self.time = time
    }

    public mutating func report(_ side: Side?, _ detail: @autoclosure () -> String, severity: Severity? = nil, at time: Double? = nil) {
        guard !muted else {
            counted += 1
            return
        }
        let descriptor = descriptors[rule]
        found.append(
            Finding(
                ruleID: descriptor.id, severity: severity ?? descriptor.severity, connection: connection, side: side,
                time: time ?? self.time, detail: detail()))
    }
}
