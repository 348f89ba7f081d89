// SPDX-License-Identifier: Apache-2.0

/// The code space of one connection: base protocol codes below 16, each matched protocol's range after that.
public struct MessageIDSpace: Sendable, Hashable {
    /// The matched protocols, in code order.
    public let protocols: [MatchedProtocol]

    public init(_ protocols: [MatchedProtocol]) { self.protocols = protocols.sorted { $0.offset < $1.offset } }

    /// Where an inbound wire code goes.
    public enum Destination: Sendable, Hashable {
        /// A base protocol code (0 to 15).
        case base(UInt64)
        /// A matched protocol and the code it sees (wire code − offset).
        case subprotocol(MatchedProtocol, localCode: UInt64)
    }

    /// The destination of an inbound wire code.
    /// - Throws: ``MultiplexingError`` when no matched protocol's range holds it.
    public func inbound(_ wireCode: UInt64) throws(MultiplexingError) -> Destination {
        if wireCode < CapabilityMatcher.baseProtocolLength { return .base(wireCode) }
        // Several protocols of length 0 may share an offset; only a protocol with room for the code owns it.
        for matched in protocols where wireCode >= matched.offset && wireCode - matched.offset < matched.length {
            return .subprotocol(matched, localCode: wireCode - matched.offset)
        }
        throw .codeOutOfRange(wireCode, protocol: nil)
    }

    /// The wire code for `localCode` of the protocol named `name`, refused before anything is written when it
    /// is at or beyond the protocol's length.
    public func outbound(protocol name: String, localCode: UInt64) throws(MultiplexingError) -> UInt64 {
        guard let matched = protocols.first(where: { $0.name == name }), localCode < matched.length else {
            throw .codeOutOfRange(localCode, protocol: name)
        }
        return matched.offset + localCode
    }
}
