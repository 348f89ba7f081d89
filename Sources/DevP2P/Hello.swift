// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxMultiplexing

/// The base protocol's first message each way: `[protocolVersion, clientId, [[cap, version], ...], listenPort,
/// nodeId, ...]`. Extra elements are kept in ``extra`` and otherwise ignored (forward compatibility).
public struct Hello: Sendable, Hashable {
    /// The p2p version; 5 turns on snappy when both sides announce it.
    public var protocolVersion: UInt64
    /// A free-form client name.
    public var clientID: String
    public var capabilities: [Capability]
    /// The TCP port the node listens on (0 when it does not say).
    public var listenPort: UInt64
    /// The node's 64-byte public key: must match the key of the handshake.
    public var nodeID: [UInt8]
    public var extra: [RLPItem]

    public init(
        protocolVersion: UInt64 = BaseProtocol.version, clientID: String, capabilities: [Capability],
        listenPort: UInt64 = 0, nodeID: [UInt8], extra: [RLPItem] = []
    ) {
        self.protocolVersion = protocolVersion
        self.clientID = clientID
        self.capabilities = capabilities
        self.listenPort = listenPort
        self.nodeID = nodeID
        self.extra = extra
    }
}

extension Hello: CustomStringConvertible {
    /// One line: client, p2p version, capabilities, listen port and node ID.
    public var description: String {
        let id = Hex.encode(nodeID)
        let caps = capabilities.map(\.description).joined(separator: ",")
        return "Hello \"\(clientID)\" p2p/\(protocolVersion) caps \(caps.isEmpty ? "none" : caps) port \(listenPort) id \(id)"
    }
}

extension Hello: RLPCodable {
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(protocolVersion)
            list.write(clientID)
            list.write(capabilities)
            list.write(listenPort)
            list.write(nodeID)
            for item in extra { list.write(item) }
        }
    }

    /// Reads a Hello; the client ID is kept as text (bytes that are not UTF-8 are replaced).
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        var list = try reader.listReader()
        protocolVersion = try list.read(UInt64.self, field: "protocolVersion")
        clientID = String(decoding: try list.read([UInt8].self, field: "clientId"), as: UTF8.self)
        capabilities = try list.read([Capability].self, field: "capabilities")
        listenPort = try list.read(UInt64.self, field: "listenPort")
        nodeID = try list.read([UInt8].self, field: "nodeId")
        extra = try list.readAll(RLPItem.self)
    }
}

/// Codes, limits and timings of the base protocol (go-ethereum `p2p/peer.go`, `transport.go`, `server.go`).
public enum BaseProtocol {
    /// The p2p version we announce.
    public static let version: UInt64 = 5
    /// Both sides at this version or above compress payloads with snappy.
    public static let snappyVersion: UInt64 = 5
    public static let helloCode: UInt64 = 0x00
    public static let disconnectCode: UInt64 = 0x01
    public static let pingCode: UInt64 = 0x02
    public static let pongCode: UInt64 = 0x03
    /// The largest Hello payload accepted.
    public static let maximumHelloSize = 2048
    /// The payload of Ping and Pong: an empty list.
    public static let emptyListPayload: [UInt8] = [0xc0]
}
