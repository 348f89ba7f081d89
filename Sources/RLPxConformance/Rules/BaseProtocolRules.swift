// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCapture
import RLPxEvents

/// Each side's first message is Hello (or a Disconnect refusing the connection).
public final class HelloFirstRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/hello-first", statement: "the first message in each direction is Hello (or Disconnect)",
        section: "rlpx.md Hello", severity: .breach)
    public static let interests: EventInterests = .message
    @exclusivity(unchecked) private var spoken = BothSides(repeating: false)

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, !spoken[side] else { return }
        spoken[side] = true
        if spoken[side.other] { findings.ignore(.message) }  // both first messages seen: nothing more to read
        if !message.isBase(BaseProtocol.helloCode) && !message.isBase(BaseProtocol.disconnectCode) {
            findings.report(side, "the first message is code \(message.wireCode), not Hello")
        }
    }
}

/// A Hello fits go-ethereum's limit for base-protocol messages.
public final class HelloSizeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/hello-size", statement: "a Hello payload is at most 2048 bytes",
        section: "geth p2p/peer.go baseProtocolMaxMsgSize", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .codes("p2p", [0])

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, message.isBase(BaseProtocol.helloCode),
            message.payload.count > BaseProtocol.maximumHelloSize
        else { return }
        findings.report(side, "Hello of \(message.payload.count) bytes")
    }
}

/// The node ID a Hello announces is the key that side proved in the handshake.
public final class HelloIdentityRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/hello-identity", statement: "the node ID in Hello is the public key of the handshake",
        section: "rlpx.md Hello; geth DiscUnexpectedIdentity", severity: .breach)
    public static let interests: EventInterests = [.identities, .message]
    public static let messages: MessageInterest = .codes("p2p", [0])
    @exclusivity(unchecked) private var identities: [Side: [UInt8]] = [:]

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .identities(let initiator, let recipient):
            identities[.initiator] = initiator
            identities[.recipient] = recipient
        case .message(let side, let message):
            guard case .hello(let hello) = message.value, let expected = identities[side], hello.nodeID != expected else { return }
            findings.report(side, "Hello node ID differs from the \(side.rawValue)'s handshake key")
        default: break
        }
    }
}

/// Once both Hellos announce version 5, payloads are compressed.
public final class SnappyRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/snappy",
        statement: "after both Hellos announce p2p version 5 or more, every payload is snappy-compressed (Hello never is)",
        section: "rlpx.md Message Compression", severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .fault(let side, .uncompressed(let code)) = event.kind else { return }
        findings.report(side, "message \(code) is not compressed although both sides announced version 5")
    }
}

/// Base-protocol payloads (and the message code itself) are canonical RLP.
public final class CanonicalRLPRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "rlp/canonical", statement: "base protocol payloads are canonical RLP", section: "Yellow Paper Appendix B; geth rlp",
        severity: .breach)
    public static let interests: EventInterests = [.fault, .message]
    public static let messages: MessageInterest = .every("p2p")

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .fault(let side, .messageCode):
            findings.report(side, "frame data does not start with a canonical message code")
        case .message(let side, let message) where message.protocolName == "p2p":
            switch message.value {
            case .malformed(let error) where message.isBase(BaseProtocol.helloCode):
                findings.report(side, "Hello: \(error)")
            case .disconnect, .ping, .pong:
                if (try? RLP.validate(message.payload)) == nil {
                    findings.report(side, "\(message.name) payload is not canonical RLP")
                }
            default: break
            }
        default: break
        }
    }
}

/// A Disconnect gives a defined reason, in a list.
public final class DisconnectReasonRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/disconnect-reason", statement: "Disconnect carries [reason] with a reason the spec defines",
        section: "rlpx.md Disconnect", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .codes("p2p", [1])

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, case .disconnect(let reason) = message.value else { return }
        if !reason.isKnown { findings.report(side, "reason \(reason.rawValue) is not defined") }
        if (try? RLPReader(message.payload).peekKind()) == .bytes {
            findings.report(side, "legacy form: the reason is not in a list")
        }
    }
}

/// Nothing follows a Disconnect from the side that sent it.
public final class AfterDisconnectRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/after-disconnect", statement: "nothing follows a Disconnect in the same direction",
        section: "rlpx.md Disconnect", severity: .breach)
    public static let interests: EventInterests = [.frame, .message]
    public static let messages: MessageInterest = .codes("p2p", [1])
    @exclusivity(unchecked) private var disconnected: Set<Side> = []

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .frame(let side, let size, _, _) where disconnected.contains(side):
            findings.report(side, "a frame of \(size) bytes after Disconnect")
        case .frame:
            // Frames matter only after a Disconnect: until one comes, they need not be read.
            if disconnected.isEmpty { findings.ignore(.frame) }
        case .message(let side, let message) where message.isBase(BaseProtocol.disconnectCode):
            disconnected.insert(side)
            findings.read(.frame)
        default: break
        }
    }
}

/// A Ping is answered by a Pong in time.
public final class PingPongRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "base/ping-pong", statement: "a Ping is answered by a Pong within 15 s", section: "rlpx.md Ping; geth pingInterval",
        severity: .breach)
    public static let interests: EventInterests = [.message, .closed]
    private let timeout: Double
    /// The oldest unanswered Ping from each side.
    @exclusivity(unchecked) private var pending = BothSides<Double?>(repeating: nil)
    /// Whether each side has sent its Hello: a Ping before it is a message the other side may refuse, owed no Pong.
    @exclusivity(unchecked) private var helloSent = BothSides<Bool>(repeating: false)

    public init(configuration: RuleConfiguration) {
        timeout = configuration.pongTimeout
    }

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        let time = event.time
        switch event.kind {
        case .message(let side, let message):
            if message.isBase(BaseProtocol.helloCode) { helloSent[side] = true }
            if message.isBase(BaseProtocol.pingCode), pending[side] == nil, helloSent[side] { pending[side] = time }
            if message.isBase(BaseProtocol.pongCode) {
                let sent = pending[side.other]
                pending[side.other] = nil
                if let sent, time - sent > timeout {
                    findings.report(side, "Pong came \(decimal(time - sent, 1)) s after the Ping")
                }
            } else if !message.isBase(BaseProtocol.helloCode), let sent = pending[side.other], time - sent > timeout {
                // The side kept talking but never answered.
                findings.report(side, "Ping unanswered for more than \(Int(timeout)) s", at: sent)
                pending[side.other] = nil
            }
        case .closed:
            let unanswered = Side.allCases.compactMap { side in pending[side].map { (side, $0) } }
            for (side, sent) in unanswered.sorted(by: { $0.1 < $1.1 }) {
                if time - sent >= timeout {
                    findings.report(side.other, "Ping from the \(side.rawValue) was never answered", at: sent)
                } else {
                    findings.report(
                        side.other, "Ping from the \(side.rawValue) unanswered when the capture ended, within the timeout",
                        severity: .informational, at: sent)
                }
            }
        default: break
        }
    }
}
