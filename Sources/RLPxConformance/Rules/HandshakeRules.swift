// SPDX-License-Identifier: Apache-2.0
import RLPxEvents
import RLPxHandshake

/// An auth or ack has the size its form allows.
public final class HandshakeSizeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "handshake/size",
        statement: "auth is 307 bytes and ack 210 (legacy), or an EIP-8 packet whose size prefix is at most 2048 and covers the ECIES overhead",
        section: "rlpx.md Initial Handshake; EIP-8; geth #30029", severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .fault(let side, .handshakeSize(let prefix)) = event.kind else { return }
        findings.report(side, "EIP-8 size prefix \(prefix) is outside 113…\(Handshake.maximumPacketSize)")
    }
}
