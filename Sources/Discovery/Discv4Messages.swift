// SPDX-License-Identifier: Apache-2.0
import RLP

/// The discv4 messages (devp2p discv4.md, EIP-868 for the ENR pair). Each keeps the list elements it does not know
/// (EIP-8) as raw encodings in `rest`, so a decoded message re-encodes to its bytes.
public enum Discv4 {
    /// The protocol version a ping carries.
    public static let version: UInt64 = 4
    /// The largest packet the protocol allows.
    public static let maximumPacketSize = 1280

    /// An address and the two ports: `[ip, udp-port, tcp-port]`. The IP is 4 or 16 bytes, or empty when unknown.
    public struct Endpoint: Hashable, Sendable {
        public var ip: [UInt8]
        public var udp: UInt16
        public var tcp: UInt16
        public init(ip: [UInt8], udp: UInt16, tcp: UInt16) {
            self.ip = ip
            self.udp = udp
            self.tcp = tcp
        }
        public init(address: IPAddress, udp: UInt16, tcp: UInt16) { self.init(ip: address.bytes, udp: udp, tcp: tcp) }
        /// The IP as an address, nil unless 4 or 16 bytes.
        public var address: IPAddress? { IPAddress(bytes: ip) }
    }

    /// A node in a Neighbors packet: `[ip, udp-port, tcp-port, node-id]` with the 64-byte public key as the ID.
    public struct Node: Hashable, Sendable {
        public var endpoint: Endpoint
        /// The 64-byte public key X ‖ Y.
        public var key: [UInt8]
        public init(endpoint: Endpoint, key: [UInt8]) {
            self.endpoint = endpoint
            self.key = key
        }
    }

    /// 0x01: `[version, from, to, expiration, enr-seq?, …]`.
    public struct Ping: Hashable, Sendable {
        public var version: UInt64
        public var from: Endpoint
        public var to: Endpoint
        public var expiration: UInt64
        /// The sender's record sequence number (EIP-868); nil when absent.
        public var enrSeq: UInt64?
        public var rest: [[UInt8]]
        public init(version: UInt64 = Discv4.version, from: Endpoint, to: Endpoint, expiration: UInt64, enrSeq: UInt64? = nil, rest: [[UInt8]] = []) {
            self.version = version
            self.from = from
            self.to = to
            self.expiration = expiration
            self.enrSeq = enrSeq
            self.rest = rest
        }
    }

    /// 0x02: `[to, ping-hash, expiration, enr-seq?, …]`.
    public struct Pong: Hashable, Sendable {
        public var to: Endpoint
        /// The hash of the ping this answers.
        public var pingHash: [UInt8]
        public var expiration: UInt64
        public var enrSeq: UInt64?
        public var rest: [[UInt8]]
        public init(to: Endpoint, pingHash: [UInt8], expiration: UInt64, enrSeq: UInt64? = nil, rest: [[UInt8]] = []) {
            self.to = to
            self.pingHash = pingHash
            self.expiration = expiration
            self.enrSeq = enrSeq
            self.rest = rest
        }
    }

    /// 0x03: `[target, expiration, …]`, the target a 64-byte public key.
    public struct FindNode: Hashable, Sendable {
        public var target: [UInt8]
        public var expiration: UInt64
        public var rest: [[UInt8]]
        public init(target: [UInt8], expiration: UInt64, rest: [[UInt8]] = []) {
            self.target = target
            self.expiration = expiration
            self.rest = rest
        }
    }

    /// 0x04: `[nodes, expiration, …]`.
    public struct Neighbors: Hashable, Sendable {
        public var nodes: [Node]
        public var expiration: UInt64
        public var rest: [[UInt8]]
        public init(nodes: [Node], expiration: UInt64, rest: [[UInt8]] = []) {
            self.nodes = nodes
            self.expiration = expiration
            self.rest = rest
        }
    }

    /// 0x05: `[expiration, …]` (EIP-868).
    public struct ENRRequest: Hashable, Sendable {
        public var expiration: UInt64
        public var rest: [[UInt8]]
        public init(expiration: UInt64, rest: [[UInt8]] = []) {
            self.expiration = expiration
            self.rest = rest
        }
    }

    /// 0x06: `[request-hash, record, …]` (EIP-868). The record is decoded but not verified here.
    public struct ENRResponse: Hashable, Sendable {
        public var requestHash: [UInt8]
        public var record: ENR
        public var rest: [[UInt8]]
        public init(requestHash: [UInt8], record: ENR, rest: [[UInt8]] = []) {
            self.requestHash = requestHash
            self.record = record
            self.rest = rest
        }
    }

    /// One message of any type.
    public enum Message: Hashable, Sendable {
        case ping(Ping)
        case pong(Pong)
        case findNode(FindNode)
        case neighbors(Neighbors)
        case enrRequest(ENRRequest)
        case enrResponse(ENRResponse)

        /// The packet-type byte.
        public var type: UInt8 {
            switch self {
            case .ping: 1
            case .pong: 2
            case .findNode: 3
            case .neighbors: 4
            case .enrRequest: 5
            case .enrResponse: 6
            }
        }

        /// The type's name as go-ethereum prints it.
        public var name: String {
            switch self {
            case .ping: "PING/v4"
            case .pong: "PONG/v4"
            case .findNode: "FINDNODE/v4"
            case .neighbors: "NEIGHBORS/v4"
            case .enrRequest: "ENRREQUEST/v4"
            case .enrResponse: "ENRRESPONSE/v4"
            }
        }

        /// The absolute UNIX time after which the message is stale; nil for ENRResponse, which has none.
        public var expiration: UInt64? {
            switch self {
            case .ping(let message): message.expiration
            case .pong(let message): message.expiration
            case .findNode(let message): message.expiration
            case .neighbors(let message): message.expiration
            case .enrRequest(let message): message.expiration
            case .enrResponse: nil
            }
        }

        /// Whether the expiration lies before `now` (UNIX seconds), as go-ethereum judges it.
        public func isExpired(now: UInt64) -> Bool {
            guard let expiration else { return false }
            return expiration < now
        }
    }
}
