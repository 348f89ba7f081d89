// SPDX-License-Identifier: Apache-2.0
import RLP

/// A discv5 message: a type byte followed by the RLP list of its fields (the plaintext a packet encrypts).
public enum Message: Hashable, Sendable {
    case ping(Ping)
    case pong(Pong)
    case findNode(FindNode)
    case nodes(Nodes)
    case talkRequest(TalkRequest)
    case talkResponse(TalkResponse)

    /// The message type byte.
    public var type: UInt8 {
        switch self {
        case .ping: 0x01
        case .pong: 0x02
        case .findNode: 0x03
        case .nodes: 0x04
        case .talkRequest: 0x05
        case .talkResponse: 0x06
        }
    }

    /// The message's name as the specification writes it.
    public var name: String {
        switch self {
        case .ping: "PING"
        case .pong: "PONG"
        case .findNode: "FINDNODE"
        case .nodes: "NODES"
        case .talkRequest: "TALKREQ"
        case .talkResponse: "TALKRESP"
        }
    }

    /// The request ID every message carries.
    public var requestID: RequestID {
        switch self {
        case .ping(let message): message.requestID
        case .pong(let message): message.requestID
        case .findNode(let message): message.requestID
        case .nodes(let message): message.requestID
        case .talkRequest(let message): message.requestID
        case .talkResponse(let message): message.requestID
        }
    }

    /// type ‖ RLP(fields).
    public func encoded() -> [UInt8] {
        let body = RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(bytes: requestID.bytes)
                switch self {
                case .ping(let ping):
                    list.write(integer: ping.enrSeq)
                case .pong(let pong):
                    list.write(integer: pong.enrSeq)
                    list.write(bytes: pong.recipientIP)
                    list.write(integer: pong.recipientPort)
                case .findNode(let findNode):
                    list.writeList { distances in
                        for distance in findNode.distances { distances.write(integer: distance) }
                    }
                case .nodes(let nodes):
                    list.write(integer: nodes.total)
                    list.writeList { records in
                        for record in nodes.records { records.write(encoded: record) }
                    }
                case .talkRequest(let talk):
                    list.write(bytes: talk.protocolName)
                    list.write(bytes: talk.request)
                case .talkResponse(let talk):
                    list.write(bytes: talk.response)
                }
            }
        }
        return [type] + body
    }

    /// Decodes a message plaintext. Only canonical RLP with exactly the type's fields is accepted, so a decoded
    /// message encodes back to its input.
    /// - Throws: ``Discv5Error/Code/emptyMessage``, ``Discv5Error/Code/unknownMessageType``,
    ///   ``Discv5Error/Code/requestIDTooLong``, ``Discv5Error/Code/invalidValue`` or
    ///   ``Discv5Error/Code/invalidRLP`` (offsets count from the type byte).
    public init(decoding plaintext: some Collection<UInt8>) throws(Discv5Error) {
        guard let type = plaintext.first else { throw Discv5Error(.emptyMessage, "message has no type byte", at: 0) }
        let name: String
        switch type {
        case 0x01: name = "ping"
        case 0x02: name = "pong"
        case 0x03: name = "findNode"
        case 0x04: name = "nodes"
        case 0x05: name = "talkRequest"
        case 0x06: name = "talkResponse"
        default: throw Discv5Error(.unknownMessageType, "message type \(type)", at: 0, field: "type")
        }
        var reader = RLPReader(plaintext.dropFirst())
        do throws(RLPError) {
            self = try reader.readList { list throws(RLPError) in try Self.fields(type: type, list: &list) }
            try reader.finish()
        } catch {
            if error.path.first == "requestID" {
                throw Discv5Error(.requestIDTooLong, error.reason, at: error.offset.map { $0 + 1 }, field: "\(name).requestID")
            }
            if error.code == .invalidValue {
                throw Discv5Error(.invalidValue, error.reason, at: error.offset.map { $0 + 1 }, field: "\(name).\(error.pathDescription)")
            }
            throw Discv5Error(rlp: error, message: name)
        }
    }

    private static func fields(type: UInt8, list: inout RLPReader) throws(RLPError) -> Message {
        let requestID = try RequestID(rlp: &list)
        switch type {
        case 0x01:
            return .ping(Ping(requestID: requestID, enrSeq: try list.read(field: "enrSeq")))
        case 0x02:
            let enrSeq: UInt64 = try list.read(field: "enrSeq")
            let offset = list.offset
            let ip = [UInt8](try list.readBytes())
            guard ip.count == 4 || ip.count == 16 else {
                throw RLPError(.invalidValue, "an IP of \(ip.count) bytes is neither 4 nor 16", at: offset, path: ["recipientIP"])
            }
            return .pong(Pong(requestID: requestID, enrSeq: enrSeq, recipientIP: ip, recipientPort: try list.read(field: "recipientPort")))
        case 0x03:
            return .findNode(FindNode(requestID: requestID, distances: try list.read(field: "distances")))
        case 0x04:
            let total: UInt8 = try list.read(field: "total")
            let records = try list.readList { records throws(RLPError) -> [[UInt8]] in
                var found: [[UInt8]] = []
                while !records.isAtEnd {
                    guard try records.peekKind() == .list else {
                        throw RLPError(.expectedList, "a node record is a list", at: records.offset, path: ["records", "[\(found.count)]"])
                    }
                    found.append(Array(try records.readEncoded()))
                }
                return found
            }
            return .nodes(Nodes(requestID: requestID, total: total, records: records))
        case 0x05:
            let protocolName = [UInt8](try list.readBytes())
            return .talkRequest(TalkRequest(requestID: requestID, protocolName: protocolName, request: [UInt8](try list.readBytes())))
        default:
            return .talkResponse(TalkResponse(requestID: requestID, response: [UInt8](try list.readBytes())))
        }
    }
}
