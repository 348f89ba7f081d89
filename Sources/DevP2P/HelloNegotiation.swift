// SPDX-License-Identifier: Apache-2.0
import RLPxMultiplexing

/// What the two Hellos of a connection decide together: whether payloads after them are compressed, which
/// protocols both sides share, and where each one's codes sit. A live ``Session`` and a replayed capture both take
/// it from here, so they cannot disagree.
///
/// - Compression: both Hellos announce p2p version ``BaseProtocol/snappyVersion`` or more, and neither is over
///   ``BaseProtocol/maximumHelloSize`` (the receiver refuses such a Hello unread, so it never switches snappy on).
/// - Capabilities: matched as go-ethereum's `matchProtocols` does (``CapabilityMatcher``), with the code-space
///   lengths given. Shared protocols take codes in name order, so from the first shared capability whose length
///   is unknown on, nothing can be placed: that capability and the code it would start at are ``unplaced``.
///
/// Only the first Hello of each side counts: a repeated Hello decides nothing (go-ethereum ignores it).
public struct HelloNegotiation: Sendable, Hashable {
    /// Whether every payload after both Hellos is snappy-compressed.
    public let compression: Bool
    /// The shared protocols and their code ranges, in code order.
    public let matched: [MatchedProtocol]
    /// The first shared capability (in code order) whose code-space length is unknown, and the wire code its range
    /// would start at; nil when every shared capability was placed.
    public let unplaced: Unplaced?

    /// A shared capability of unknown length, and the wire code its range would start at.
    public struct Unplaced: Sendable, Hashable {
        public let capability: Capability
        public let from: UInt64
    }

    /// Negotiates from the Hello each side sent.
    /// - Parameters:
    ///   - local: one side's Hello and its payload size on the wire.
    ///   - remote: the other side's Hello and its payload size (the result is the same either way round).
    ///   - lengths: code-space lengths by capability (``lengths(_:)``); a capability without one cannot be placed.
    public init(local: (hello: Hello, size: Int), remote: (hello: Hello, size: Int), lengths: [Capability: UInt64]) {
        compression =
            local.hello.protocolVersion >= BaseProtocol.snappyVersion
            && remote.hello.protocolVersion >= BaseProtocol.snappyVersion
            && local.size <= BaseProtocol.maximumHelloSize && remote.size <= BaseProtocol.maximumHelloSize
        let localCaps = local.hello.capabilities
        let remoteCaps = remote.hello.capabilities
        let unknown = Self.firstSharedWithoutLength(localCaps, remoteCaps, lengths: lengths)
        let specs = localCaps.compactMap { cap -> ProtocolSpec? in
            guard unknown.map({ cap.name < $0.name }) ?? true, let length = lengths[cap] else { return nil }
            return ProtocolSpec(name: cap.name, version: cap.version, length: length)
        }
        matched = CapabilityMatcher.match(local: specs, remote: remoteCaps)
        let end = CapabilityMatcher.baseProtocolLength + matched.reduce(0) { $0 + $1.length }
        unplaced = unknown.map { Unplaced(capability: $0, from: end) }
    }

    /// The code space of ``matched``.
    public var space: MessageIDSpace { MessageIDSpace(matched) }

    /// Code-space lengths by capability; of two specs for one capability, the first wins.
    public static func lengths(_ protocols: [ProtocolSpec]) -> [Capability: UInt64] {
        Dictionary(protocols.map { ($0.capability, $0.length) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first capability both lists share, at the highest version both have, whose length is unknown (shared
    /// names visited in the order they take codes: by name).
    static func firstSharedWithoutLength(_ a: [Capability], _ b: [Capability], lengths: [Capability: UInt64]) -> Capability? {
        let names = Set(a.map(\.name)).intersection(b.map(\.name)).sorted()
        for name in names {
            let common = Set(a.filter { $0.name == name }.map(\.version)).intersection(b.filter { $0.name == name }.map(\.version))
            guard let version = common.max() else { continue }
            let capability = Capability(name: name, version: version)
            if lengths[capability] == nil { return capability }
        }
        return nil
    }
}
