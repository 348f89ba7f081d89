// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxEvents

/// Every frame authenticates.
public final class FrameMACRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "frame/mac", statement: "every header MAC and frame MAC is valid", section: "rlpx.md Framing, MAC",
        severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .fault(let side, .frame(let reason, let offset)) = event.kind else { return }
        findings.report(side, "frame at stream offset \(offset): \(reason)")
    }
}

/// A frame holds a message code and stays under the size limit.
public final class FrameSizeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "frame/size", statement: "a frame carries at least a message code and at most 16 MiB − 1 bytes",
        section: "rlpx.md Framing", severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .fault(let side, .emptyFrame) = event.kind else { return }
        findings.report(side, "a frame of size 0 carries no message code")
    }
}

/// header-data is what the specification writes (go-ethereum ignores it, so this is non-strict).
public final class FrameHeaderDataRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "frame/header-data", statement: "header-data is an RLP list of at most three integers followed by zero padding",
        section: "rlpx.md Framing", severity: .nonStrict)
    public static let interests: EventInterests = .frame
    /// The last header data found valid: nearly every frame repeats it.
    @exclusivity(unchecked) private var lastValid: [UInt8] = []

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .frame(let side, _, let headerData, let offset) = event.kind, headerData != lastValid else { return }
        guard Self.isValid(headerData) else {
            findings.report(side, "header-data \(Hex.encode(headerData)) at stream offset \(offset)")
            return
        }
        lastValid = headerData
    }

    static func isValid(_ headerData: [UInt8]) -> Bool {
        var reader = RLPReader(headerData)
        do throws(RLPError) {
            var list = try reader.listReader()
            var count = 0
            while !list.isAtEnd {
                _ = try list.readInteger(UInt64.self)
                count += 1
            }
            return count <= 3 && reader.remainingBytes.allSatisfy { $0 == 0 }
        } catch {
            return false
        }
    }
}

/// A compressed payload declares a length in range and decodes to it.
public final class SnappyLengthRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "snappy/length",
        statement: "a compressed payload declares at most 16 MiB − 1 bytes and decodes to exactly that length",
        section: "rlpx.md Message Compression; geth maxUint24", severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .fault(let side, .snappyTooLarge(let code, let declared)):
            findings.report(side, "message \(code) declares \(declared) bytes, above 16 MiB − 1")
        case .fault(let side, .snappy(let code, let reason)):
            findings.report(side, "message \(code): \(reason)")
        default: break
        }
    }
}

/// Every code belongs to the base protocol or a matched protocol.
public final class CodeRangeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "mux/code-range",
        statement: "every message code is a base protocol code or inside the range of a matched protocol",
        section: "rlpx.md Capability Messaging; geth matchProtocols", severity: .breach)
    public static let interests: EventInterests = .fault

    public init(configuration: RuleConfiguration) {}

    public func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .fault(let side, .codeOutOfRange(let code)) = event.kind else { return }
        findings.report(side, "message code \(code) is outside every matched protocol's range")
    }
}
