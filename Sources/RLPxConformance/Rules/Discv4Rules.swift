// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLP
import RLPxEvents

/// Who sent a datagram to whom, as findings name it.
extension DiscoveryEvent {
    var route: String { "\(source) → \(destination)" }
    /// The key of this direction, and of the other one.
    var forward: String { source + ">" + destination }
    var backward: String { destination + ">" + source }
}

/// Remembered values by key, at most `limit` keys and `perKey` values each: a flood cannot grow a rule's state.
struct BoundedLog<Value> {
    private(set) var values: [String: [Value]] = [:]
    let limit = 65_536
    let perKey = 64

    mutating func append(_ value: Value, for key: String) {
        guard values[key] != nil || values.count < limit else { return }
        values[key, default: []].append(value)
        if values[key, default: []].count > perKey { values[key, default: []].removeFirst() }
    }

    subscript(key: String) -> [Value] { values[key] ?? [] }
}

/// A discv4 packet's hash and signature are valid and its type and data decode.
public struct Discv4PacketRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/packet", statement: "the hash is the keccak-256 of the rest, the signature recovers a key, and type and data decode",
        section: "discv4.md Wire Protocol", severity: .breach)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4Fault(let error) = event.kind, error.code != .packetTooLarge else { return }
        findings.report(nil, "\(event.route): \(error.code): \(error.reason)")
    }
}

/// A discv4 packet fits one datagram, and a Neighbors packet holds what go-ethereum packs into one.
public struct Discv4SizeRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/size", statement: "a packet is at most 1280 bytes and a Neighbors packet holds at most 12 nodes",
        section: "discv4.md Wire Protocol; geth maxNeighbors", severity: .breach)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .discv4Fault(let error) where error.code == .packetTooLarge:
            findings.report(nil, "\(event.route): \(error.reason)")
        case .discv4(let packet):
            guard case .neighbors(let neighbors) = packet.message, neighbors.nodes.count > Discv4.Neighbors.maximumNodesPerPacket
            else { return }
            findings.report(nil, "\(event.route): Neighbors holds \(neighbors.nodes.count) nodes, over \(Discv4.Neighbors.maximumNodesPerPacket)")
        default: break
        }
    }
}

/// A discv4 packet's expiration lies in the future when it is sent (by the capture's clock).
public struct Discv4ExpirationRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/expiration", statement: "a packet's expiration is not before the time it is sent",
        section: "discv4.md Wire Protocol (expiration)", severity: .breach)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4(let packet) = event.kind, let expiration = packet.message.expiration else { return }
        let now = UInt64(max(0, event.time))
        guard packet.message.isExpired(now: now) else { return }
        findings.report(nil, "\(event.route): \(packet.message.name) expired at \(expiration), \(now - expiration) s before it was sent")
    }
}

/// A Pong echoes the hash of a Ping its receiver sent to its sender.
public struct Discv4PongRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/pong", statement: "a Pong's ping-hash is the hash of a Ping its receiver sent to its sender",
        section: "discv4.md Pong Packet (0x02)", severity: .breach)
    private var pings = BoundedLog<[UInt8]>()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4(let packet) = event.kind else { return }
        switch packet.message {
        case .ping: pings.append(packet.hash, for: event.forward)
        case .pong(let pong) where !pings[event.backward].contains(pong.pingHash):
            findings.report(nil, "\(event.route): Pong echoes \(Hex.encode(pong.pingHash.prefix(8)))…, no Ping its receiver sent")
        default: break
        }
    }
}

/// FindNode comes only from a node that proved its endpoint: it answered its receiver's Ping with a matching Pong
/// within go-ethereum's bond window (24 hours), from the same address. A proof the capture saw and that expired is a
/// breach; a FindNode with no proof in the capture is informational, since the proof may predate the capture.
public struct Discv4BondRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/findnode-bond",
        statement: "FindNode comes from a node that answered its receiver's Ping with a matching Pong, from the same address, within 24 hours",
        section: "discv4.md Endpoint Proof; geth bondExpiration", severity: .breach)
    /// go-ethereum's bondExpiration.
    static let bondWindow = 24.0 * 3600
    private var pings = BoundedLog<[UInt8]>()
    /// When each node (`id@address>receiver`) last proved its endpoint to a receiver.
    private var bonds: [String: Double] = [:]

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4(let packet) = event.kind else { return }
        let key = Hex.encode(packet.senderID.bytes) + "@" + String(event.sourceAddress) + ">" + event.destination
        switch packet.message {
        case .ping: pings.append(packet.hash, for: event.forward)
        case .pong(let pong) where pings[event.backward].contains(pong.pingHash):
            if bonds[key] != nil || bonds.count < 65_536 { bonds[key] = event.time }
        case .findNode:
            guard let bonded = bonds[key] else {
                findings.report(
                    nil, "\(event.route): FindNode with no endpoint proof in this capture (it may predate the capture)",
                    severity: .informational)
                return
            }
            if event.time - bonded >= Self.bondWindow {
                findings.report(nil, "\(event.route): FindNode \(Int(event.time - bonded)) s after the endpoint proof, past 24 h")
            }
        default: break
        }
    }
}

/// Neighbors answers a FindNode its receiver sent, with at most 16 nodes (a bucket) in all.
public struct Discv4NeighborsRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/neighbors", statement: "Neighbors answers a FindNode its receiver sent to its sender, with at most 16 nodes in all",
        section: "discv4.md Neighbors Packet (0x04); geth bucketSize", severity: .breach)
    /// Nodes received in answer to the last FindNode, by direction of that FindNode.
    private var pending: [String: Int] = [:]
    static let bucketSize = 16

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4(let packet) = event.kind else { return }
        switch packet.message {
        case .findNode:
            if pending[event.forward] != nil || pending.count < 65_536 { pending[event.forward] = 0 }
        case .neighbors(let neighbors):
            guard let received = pending[event.backward] else {
                findings.report(nil, "\(event.route): Neighbors answers no FindNode its receiver sent")
                return
            }
            let total = received + neighbors.nodes.count
            pending[event.backward] = total
            if total > Self.bucketSize, received <= Self.bucketSize {
                findings.report(nil, "\(event.route): \(total) nodes in answer to one FindNode, over \(Self.bucketSize)")
            }
        default: break
        }
    }
}

/// ENRResponse quotes an ENRRequest its receiver sent, and its record verifies and belongs to its sender.
public struct Discv4ENRResponseRule: DiscoveryRule {
    public static let descriptor = RuleDescriptor(
        id: "discv4/enr-response",
        statement: "ENRResponse's request-hash is the hash of an ENRRequest its receiver sent, and its record verifies and is the sender's",
        section: "EIP-868", severity: .breach)
    private var requests = BoundedLog<[UInt8]>()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: DiscoveryEvent, _ findings: inout FindingSink) {
        guard case .discv4(let packet) = event.kind else { return }
        switch packet.message {
        case .enrRequest: requests.append(packet.hash, for: event.forward)
        case .enrResponse(let response):
            if !requests[event.backward].contains(response.requestHash) {
                findings.report(
                    nil, "\(event.route): ENRResponse quotes \(Hex.encode(response.requestHash.prefix(8)))…, no ENRRequest its receiver sent")
            }
            do throws(DiscoveryError) {
                try response.record.verify()
                if try response.record.nodeID() != packet.senderID {
                    findings.report(nil, "\(event.route): ENRResponse carries another node's record")
                }
            } catch {
                findings.report(nil, "\(event.route): ENRResponse's record: \(error.code): \(error.reason)")
            }
        default: break
        }
    }
}
