// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLPxEvents

extension Discv5Error.Code {
    /// Whether the code is about a decrypted message (the header was fine).
    var isMessageCode: Bool {
        let codes: [Discv5Error.Code] = [.emptyMessage, .unknownMessageType, .invalidRLP, .requestIDTooLong, .invalidValue]
        return codes.contains(self)
    }
}

/// A discv5 header that unmasks keeps the format: version, flag, authdata size, message data, 1280 bytes.
public struct Discv5HeaderRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv5/header",
        statement: "a packet is at most 1280 bytes; its header has version 1, a known flag, and the authdata size of its flag",
        section: "discv5-wire.md Packet Encoding", severity: .breach)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv5Fault(let error) = event.kind, !error.code.isMessageCode else { return }
        findings.report(nil, "\(event.route): \(error.code): \(error.reason)")
    }
}

/// A decrypted discv5 message decodes.
public struct Discv5MessageRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv5/message", statement: "a decrypted message has a known type and the RLP layout of its type",
        section: "discv5-wire.md Protocol Messages", severity: .breach)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv5Fault(let error) = event.kind, error.code.isMessageCode else { return }
        findings.report(nil, "\(event.route): \(error.code): \(error.reason)")
    }
}

/// PONG, NODES and TALKRESP answer a request their receiver sent to their sender, by request ID.
public struct Discv5ResponseRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv5/response",
        statement: "PONG, NODES and TALKRESP carry the request ID of a PING, FINDNODE or TALKREQ their receiver sent to their sender",
        section: "discv5-wire.md Protocol Messages", severity: .breach)
    /// Request IDs sent, by direction, with the type of the request.
    private var requests = BoundedLog<(RequestID, UInt8)>()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv5(_, _, let message?, _) = event.kind else { return }
        switch message {
        case .ping, .findNode, .talkRequest:
            requests.append((message.requestID, message.type), for: event.forward)
        case .pong, .nodes, .talkResponse:
            // Each response's type is its request's plus one.
            guard !requests[event.backward].contains(where: { $0.0 == message.requestID && $0.1 + 1 == message.type }) else { return }
            findings.report(nil, "\(event.route): \(message.name) with request ID \(message.requestID) answers no request")
        }
    }
}

/// NODES responses to one request agree on their total, do not exceed it, and carry records that verify.
public struct Discv5NodesRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv5/nodes",
        statement: "the NODES responses to one request carry one total, at most that many messages, and records that verify",
        section: "discv5-wire.md NODES Response (0x04)", severity: .breach)
    /// Total and messages seen, by direction and request ID.
    private var responses: [String: (total: UInt8, count: Int)] = [:]

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv5(_, _, .nodes(let nodes)?, _) = event.kind else { return }
        let key = event.forward + "#" + nodes.requestID.description
        var seen = responses[key] ?? (total: nodes.total, count: 0)
        seen.count += 1
        if responses[key] != nil || responses.count < 65_536 { responses[key] = seen }
        if nodes.total != seen.total {
            findings.report(nil, "\(event.route): NODES total \(nodes.total), an earlier response to the same request said \(seen.total)")
        } else if seen.count > Int(nodes.total) {
            findings.report(nil, "\(event.route): NODES response \(seen.count) of a total of \(nodes.total)")
        }
        for (index, record) in nodes.records.enumerated() {
            do throws(DiscoveryError) {
                _ = try ENR(rlp: record, verifying: true)
            } catch {
                findings.report(nil, "\(event.route): NODES record \(index): \(error.code): \(error.reason)")
            }
        }
    }
}

/// Discovery datagrams the key log gives no way to read: messages unread, said once (not a fault of any node).
public struct Discv5KeysRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv5/keys",
        statement: "discv5 messages are read only when the key log names the session's nodes and keys (DISCV5_SESSION)",
        section: "discv5-wire.md; rlpx-tool key log", severity: .informational)
    private var unreadDatagrams = 0
    private var unreadMessages = 0

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .unread: unreadDatagrams += 1
        case .discv5(_, _, .none, false): unreadMessages += 1
        default: break
        }
    }

    public mutating func finish(at time: Double, _ findings: inout FindingSink) {
        if unreadDatagrams > 0 {
            findings.report(
                nil,
                "\(unreadDatagrams) UDP datagram\(unreadDatagrams == 1 ? "" : "s") neither discv4 nor unmasked by a node ID of the key log: not read")
        }
        if unreadMessages > 0 {
            findings.report(
                nil, "\(unreadMessages) discv5 packet\(unreadMessages == 1 ? "" : "s") between nodes no key-log line names: messages not read")
        }
    }
}
