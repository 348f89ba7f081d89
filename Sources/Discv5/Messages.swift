// SPDX-License-Identifier: Apache-2.0

/// PING: asks whether a node is alive and tells it our record's sequence number.
public struct Ping: Hashable, Sendable {
    public var requestID: RequestID
    /// The sender's ENR sequence number.
    public var enrSeq: UInt64

    public init(requestID: RequestID, enrSeq: UInt64) {
        self.requestID = requestID
        self.enrSeq = enrSeq
    }
}

/// PONG: the answer to PING, with the address the PING came from as the answering node saw it.
public struct Pong: Hashable, Sendable {
    public var requestID: RequestID
    /// The answering node's ENR sequence number.
    public var enrSeq: UInt64
    /// The PING's source IP: 4 bytes (IPv4) or 16 (IPv6).
    public var recipientIP: [UInt8]
    /// The PING's source UDP port.
    public var recipientPort: UInt16

    public init(requestID: RequestID, enrSeq: UInt64, recipientIP: [UInt8], recipientPort: UInt16) {
        self.requestID = requestID
        self.enrSeq = enrSeq
        self.recipientIP = recipientIP
        self.recipientPort = recipientPort
    }
}

/// FINDNODE: asks for the records of nodes at the given log2 distances (0 is the node itself, up to 256).
public struct FindNode: Hashable, Sendable {
    public var requestID: RequestID
    public var distances: [UInt16]

    public init(requestID: RequestID, distances: [UInt16]) {
        self.requestID = requestID
        self.distances = distances
    }
}

/// NODES: one of `total` answers to a FINDNODE, with node records.
public struct Nodes: Hashable, Sendable {
    public var requestID: RequestID
    /// How many NODES messages answer the request.
    public var total: UInt8
    /// Node records, each as its RLP (a list), kept verbatim.
    public var records: [[UInt8]]

    public init(requestID: RequestID, total: UInt8, records: [[UInt8]]) {
        self.requestID = requestID
        self.total = total
        self.records = records
    }
}

/// TALKREQ: an application request for the protocol named `protocolName`.
public struct TalkRequest: Hashable, Sendable {
    public var requestID: RequestID
    public var protocolName: [UInt8]
    public var request: [UInt8]

    public init(requestID: RequestID, protocolName: [UInt8], request: [UInt8]) {
        self.requestID = requestID
        self.protocolName = protocolName
        self.request = request
    }
}

/// TALKRESP: the answer to a TALKREQ (empty when the protocol is unknown).
public struct TalkResponse: Hashable, Sendable {
    public var requestID: RequestID
    public var response: [UInt8]

    public init(requestID: RequestID, response: [UInt8]) {
        self.requestID = requestID
        self.response = response
    }
}
