// SPDX-License-Identifier: Apache-2.0
import RLP

extension Discv4.Endpoint {
    func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(bytes: ip)
            list.write(integer: udp)
            list.write(integer: tcp)
        }
    }

    /// Reads `[ip, udp, tcp, …]`: extra elements are ignored (EIP-8), an IP over 16 bytes is refused.
    init(reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            let offset = list.offset
            let ip = Array(try list.readBytes())
            guard ip.count <= 16 else { throw RLPError(.wrongByteCount, "IP of \(ip.count) bytes", at: offset, path: ["ip"]) }
            let udp = try list.read(UInt16.self, field: "udp")
            let tcp = try list.read(UInt16.self, field: "tcp")
            while !list.isAtEnd { try list.skip() }
            return Discv4.Endpoint(ip: ip, udp: udp, tcp: tcp)
        }
    }
}

extension Discv4.Message {
    /// The RLP packet-data (without the type byte).
    public var packetData: [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                switch self {
                case .ping(let ping):
                    list.write(integer: ping.version)
                    ping.from.encode(to: &list)
                    ping.to.encode(to: &list)
                    list.write(integer: ping.expiration)
                    if let seq = ping.enrSeq { list.write(integer: seq) }
                    for raw in ping.rest { list.write(encoded: raw) }
                case .pong(let pong):
                    pong.to.encode(to: &list)
                    list.write(bytes: pong.pingHash)
                    list.write(integer: pong.expiration)
                    if let seq = pong.enrSeq { list.write(integer: seq) }
                    for raw in pong.rest { list.write(encoded: raw) }
                case .findNode(let findNode):
                    list.write(bytes: findNode.target)
                    list.write(integer: findNode.expiration)
                    for raw in findNode.rest { list.write(encoded: raw) }
                case .neighbors(let neighbors):
                    list.writeList { nodes in
                        for node in neighbors.nodes {
                            nodes.writeList { item in
                                item.write(bytes: node.endpoint.ip)
                                item.write(integer: node.endpoint.udp)
                                item.write(integer: node.endpoint.tcp)
                                item.write(bytes: node.key)
                            }
                        }
                    }
                    list.write(integer: neighbors.expiration)
                    for raw in neighbors.rest { list.write(encoded: raw) }
                case .enrRequest(let request):
                    list.write(integer: request.expiration)
                    for raw in request.rest { list.write(encoded: raw) }
                case .enrResponse(let response):
                    list.write(bytes: response.requestHash)
                    list.write(encoded: response.record.encoded)
                    for raw in response.rest { list.write(encoded: raw) }
                }
            }
        }
    }

    /// Decodes packet-data of `type`. Bytes after the list are ignored, as are extra list elements (EIP-8).
    /// - Parameter base: the offset of `data` in the whole packet, for errors.
    public init(type: UInt8, data: some Collection<UInt8>, base: Int = 0) throws(DiscoveryError) {
        var reader = RLPReader(data)
        var field = "packet"
        do {
            var list = try reader.listReader()
            func tail(_ list: inout RLPReader) throws(RLPError) -> [[UInt8]] {
                var rest: [[UInt8]] = []
                while !list.isAtEnd { rest.append(Array(try list.readEncoded())) }
                return rest
            }
            /// An optional sequence number: the next element when it is a canonical 64-bit integer.
            func enrSeq(_ list: inout RLPReader) -> UInt64? {
                guard !list.isAtEnd else { return nil }
                var probe = list
                guard let value = try? probe.readInteger(UInt64.self) else { return nil }
                list = probe
                return value
            }
            switch type {
            case 1:
                field = "ping.version"
                let version = try list.readInteger(UInt64.self)
                field = "ping.from"
                let from = try Discv4.Endpoint(reader: &list)
                field = "ping.to"
                let to = try Discv4.Endpoint(reader: &list)
                field = "ping.expiration"
                let expiration = try list.readInteger(UInt64.self)
                let seq = enrSeq(&list)
                field = "ping.rest"
                self = .ping(.init(version: version, from: from, to: to, expiration: expiration, enrSeq: seq, rest: try tail(&list)))
            case 2:
                field = "pong.to"
                let to = try Discv4.Endpoint(reader: &list)
                field = "pong.pingHash"
                let offset = list.offset
                let hash = Array(try list.readBytes())
                guard hash.count == 32 else { throw RLPError(.wrongByteCount, "ping hash is not 32 bytes", at: offset) }
                field = "pong.expiration"
                let expiration = try list.readInteger(UInt64.self)
                let seq = enrSeq(&list)
                field = "pong.rest"
                self = .pong(.init(to: to, pingHash: hash, expiration: expiration, enrSeq: seq, rest: try tail(&list)))
            case 3:
                field = "findNode.target"
                let offset = list.offset
                let target = Array(try list.readBytes())
                guard target.count == 64 else { throw RLPError(.wrongByteCount, "target is not 64 bytes", at: offset) }
                field = "findNode.expiration"
                let expiration = try list.readInteger(UInt64.self)
                field = "findNode.rest"
                self = .findNode(.init(target: target, expiration: expiration, rest: try tail(&list)))
            case 4:
                var nodes: [Discv4.Node] = []
                try list.readList { items throws(RLPError) in
                    while !items.isAtEnd {
                        field = "neighbors.nodes[\(nodes.count)]"
                        let node = try items.readList { item throws(RLPError) -> Discv4.Node in
                            let ipOffset = item.offset
                            let ip = Array(try item.readBytes())
                            guard ip.count <= 16 else { throw RLPError(.wrongByteCount, "IP of \(ip.count) bytes", at: ipOffset) }
                            let udp = try item.read(UInt16.self, field: "udp")
                            let tcp = try item.read(UInt16.self, field: "tcp")
                            let keyOffset = item.offset
                            let key = Array(try item.readBytes())
                            guard key.count == 64 else { throw RLPError(.wrongByteCount, "node ID is not 64 bytes", at: keyOffset) }
                            return Discv4.Node(endpoint: .init(ip: ip, udp: udp, tcp: tcp), key: key)
                        }
                        nodes.append(node)
                    }
                }
                field = "neighbors.expiration"
                let expiration = try list.readInteger(UInt64.self)
                field = "neighbors.rest"
                self = .neighbors(.init(nodes: nodes, expiration: expiration, rest: try tail(&list)))
            case 5:
                field = "enrRequest.expiration"
                let expiration = try list.readInteger(UInt64.self)
                field = "enrRequest.rest"
                self = .enrRequest(.init(expiration: expiration, rest: try tail(&list)))
            case 6:
                field = "enrResponse.requestHash"
                let offset = list.offset
                let hash = Array(try list.readBytes())
                guard hash.count == 32 else { throw RLPError(.wrongByteCount, "request hash is not 32 bytes", at: offset) }
                field = "enrResponse.record"
                let recordOffset = list.offset
                let encoded = try list.readEncoded()
                let record: ENR
                do {
                    record = try ENR(rlp: encoded, verifying: false)
                } catch {
                    let offset = error.offset.map { $0 + base + recordOffset }
                    throw DiscoveryError(error.code, error.reason, at: offset, field: "enrResponse.record" + (error.field.map { "." + $0 } ?? ""))
                }
                field = "enrResponse.rest"
                self = .enrResponse(.init(requestHash: hash, record: record, rest: try tail(&list)))
            default:
                throw DiscoveryError(.unknownPacketType, "packet type \(type)", at: base - 1, field: "type")
            }
        } catch let error as RLPError {
            throw DiscoveryError(rlp: error, offsetBy: base, field: field)
        } catch let error as DiscoveryError {
            throw error
        } catch {
            throw DiscoveryError(.malformedRLP, "\(error)")
        }
    }
}
