// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5

/// What a capture replay read from one UDP datagram of discovery traffic (discv4 or discv5). Discovery has no
/// connections: each event names its two endpoints (`address:port`, as ``ConnectionEvent`` prints them).
public struct DiscoveryEvent: Sendable {
    /// Seconds, on the capture's clock.
    public var time: Double
    /// The sender, `address:port`.
    public var source: String
    /// The receiver, `address:port`.
    public var destination: String
    /// The datagram's size in bytes.
    public var size: Int
    public var kind: Kind

    public init(time: Double, source: String, destination: String, size: Int, kind: Kind) {
        self.time = time
        self.source = source
        self.destination = destination
        self.size = size
        self.kind = kind
    }

    public enum Kind: Sendable {
        /// A discv4 packet whose hash, signature and message decoded.
        case discv4(Discv4Packet)
        /// A datagram read as discv4 (its hash matches, or its signature and message decode) that breaks the
        /// packet format; the error's code says how (``DiscoveryError/Code/hashMismatch``, ``DiscoveryError/Code/packetTooLarge``...).
        case discv4Fault(DiscoveryError)
        /// A discv5 packet whose header unmasked for `destinationID`; `message` is its decrypted message when the
        /// key log held the session's keys (nil for a WHOAREYOU and for packets no key opened: the random packet
        /// that starts a handshake, one of an earlier session); `keyed` says whether the key log has a line for its
        /// two nodes.
        case discv5(Packet, destinationID: [UInt8], message: Message?, keyed: Bool)
        /// A discv5 packet whose header unmasked but which breaks the format or whose message does not decode.
        case discv5Fault(Discv5Error)
        /// A datagram large enough for discv5 that is not discv4 and that no known node ID unmasks: without the
        /// key log line of its nodes, nothing in it can be read.
        case unread
    }

    /// The sender's address without its port (what go-ethereum keys endpoint proofs by).
    public var sourceAddress: Substring { Self.address(source) }
    /// The receiver's address without its port.
    public var destinationAddress: Substring { Self.address(destination) }

    static func address(_ endpoint: String) -> Substring {
        guard let colon = endpoint.lastIndex(of: ":") else { return Substring(endpoint) }
        return endpoint[..<colon]
    }
}
