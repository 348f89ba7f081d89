// SPDX-License-Identifier: Apache-2.0

/// A TCP connection's two endpoints in ascending order: one key for the segments of both directions, hashed and
/// compared without an allocation.
public struct ConnectionKey: Hashable, Sendable {
    public let low: Endpoint
    public let high: Endpoint

    public init(_ a: Endpoint, _ b: Endpoint) {
        (low, high) = b < a ? (b, a) : (a, b)
    }

    /// The connection `segment` belongs to.
    public init(_ segment: TCPSegment) {
        self.init(segment.source, segment.destination)
    }

    /// Both endpoints, in ascending order.
    public var endpoints: [Endpoint] { [low, high] }
}
