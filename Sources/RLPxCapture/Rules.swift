// SPDX-License-Identifier: Apache-2.0

/// A rule a peer must follow, as the conformance report names it.
public struct Rule: Sendable, Hashable {
    public enum Severity: String, Sendable {
        /// A breach of the protocol.
        case error
        /// Allowed, but worth knowing (legacy forms, undecidable checks).
        case warning
    }

    /// Stable identifier, used by `--run` and in reports.
    public let id: String
    /// The rule in one line.
    public let statement: String
    /// Where it is written.
    public let reference: String
    public let severity: Severity

    /// Every rule the replay checks.
    public static let all: [Rule] = [
        Rule(id: "handshake.size", statement: "auth is 307 bytes and ack 210 (legacy), or an EIP-8 packet whose size prefix is at most 2048 and covers the ECIES overhead", reference: "rlpx.md Initial Handshake; EIP-8; geth #30029", severity: .error),
        Rule(id: "base.hello-first", statement: "the first message in each direction is Hello (or Disconnect)", reference: "rlpx.md Hello", severity: .error),
        Rule(id: "base.hello-size", statement: "a Hello payload is at most 2048 bytes", reference: "geth p2p/peer.go baseProtocolMaxMsgSize", severity: .error),
        Rule(id: "base.hello-identity", statement: "the node ID in Hello is the public key of the handshake", reference: "rlpx.md Hello; geth DiscUnexpectedIdentity", severity: .error),
        Rule(id: "base.snappy", statement: "after both Hellos announce p2p version 5 or more, every payload is snappy-compressed (Hello never is)", reference: "rlpx.md Message Compression", severity: .error),
        Rule(id: "frame.mac", statement: "every header MAC and frame MAC is valid", reference: "rlpx.md Framing, MAC", severity: .error),
        Rule(id: "frame.size", statement: "a frame carries at least a message code and at most 16 MiB − 1 bytes", reference: "rlpx.md Framing", severity: .error),
        Rule(id: "frame.header-data", statement: "header-data is an RLP list of at most three integers followed by zero padding", reference: "rlpx.md Framing", severity: .warning),
        Rule(id: "snappy.length", statement: "a compressed payload declares at most 16 MiB − 1 bytes and decodes to exactly that length", reference: "rlpx.md Message Compression; geth maxUint24", severity: .error),
        Rule(id: "rlp.canonical", statement: "base protocol payloads are canonical RLP", reference: "Yellow Paper Appendix B; geth rlp", severity: .error),
        Rule(id: "mux.code-range", statement: "every message code is a base protocol code or inside the range of a matched protocol", reference: "rlpx.md Capability Messaging; geth matchProtocols", severity: .error),
        Rule(id: "base.ping-pong", statement: "a Ping is answered by a Pong within 15 s", reference: "rlpx.md Ping; geth pingInterval", severity: .error),
        Rule(id: "base.disconnect-reason", statement: "Disconnect carries [reason] with a reason the spec defines", reference: "rlpx.md Disconnect", severity: .error),
        Rule(id: "base.after-disconnect", statement: "nothing follows a Disconnect in the same direction", reference: "rlpx.md Disconnect", severity: .error),
    ]

    public static func named(_ id: String) -> Rule? { all.first { $0.id == id } }
}

/// One breach of a rule, where and when it happened.
public struct Finding: Sendable, Hashable {
    public var ruleID: String
    /// The connection's number in the capture (from 1).
    public var connection: Int
    /// "initiator" or "recipient": the side that broke the rule.
    public var side: String?
    public var time: Double
    public var detail: String

    public var severity: Rule.Severity { Rule.named(ruleID)?.severity ?? .error }
}

/// One decoded message of the transcript.
public struct TranscriptEntry: Sendable, Hashable {
    public var time: Double
    public var connection: Int
    /// "initiator→recipient" or "recipient→initiator".
    public var direction: String
    /// "p2p", a matched protocol as name/version, or "?" when no range holds the code.
    public var protocolName: String
    /// Base protocol messages by name, others as their local code.
    public var message: String
    /// Payload bytes (after decompression).
    public var size: Int
    public var summary: String
}

/// What the capture showed about one TCP connection.
public struct ConnectionSummary: Sendable, Hashable {
    public var id: Int
    public var initiator: Endpoint
    public var recipient: Endpoint
    /// "decrypted", "encrypted, no key", "not RLPx", "started before the capture".
    public var status: String
    public var authFormat: String?
    public var authSize: Int?
    public var ackSize: Int?
    public var bytesFromInitiator: Int = 0
    public var bytesFromRecipient: Int = 0
    public var notes: [String] = []
}
