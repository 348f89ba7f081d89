// SPDX-License-Identifier: Apache-2.0

/// Which protocols two nodes share and where their codes go (go-ethereum `matchProtocols`).
public enum CapabilityMatcher {
    /// Codes 0 to 15 belong to the base protocol; subprotocols start here.
    public static let baseProtocolLength: UInt64 = 16

    /// Keeps the names both sides have at a version both support, the highest such version for each name, sorted
    /// by name, each given a contiguous range of codes from 16.
    ///
    /// Remote capabilities are visited in sorted order; a higher shared version of a name replaces the lower one
    /// and takes back its range, exactly as go-ethereum does.
    public static func match(local: [ProtocolSpec], remote: [Capability]) -> [MatchedProtocol] {
        var offset = baseProtocolLength
        var matched: [String: MatchedProtocol] = [:]
        for capability in remote.sorted() {
            guard let spec = local.first(where: { $0.name == capability.name && $0.version == capability.version }) else {
                continue
            }
            if let previous = matched[spec.name] { offset -= previous.length }
            matched[spec.name] = MatchedProtocol(name: spec.name, version: spec.version, length: spec.length, offset: offset)
            offset += spec.length
        }
        // Code order; protocols of length 0 share an offset, and then the name decides.
        return matched.values.sorted { lhs, rhs in
            lhs.offset != rhs.offset
                ? lhs.offset < rhs.offset : Array(lhs.name.utf8).lexicographicallyPrecedes(Array(rhs.name.utf8))
        }
    }
}
