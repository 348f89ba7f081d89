// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLP
import RLPxInspect

/// A discv4 packet or a discv5 header (and message) as `decode --discv4` and `--discv5` print them: named fields,
/// as text lines or one JSON object.
struct DiscoveryInspection {
    /// What the bytes are (`discv4 PING/v4`, `discv5 ordinary`).
    var title: String
    var fields: [(String, String)]
    /// The rule broken, when the bytes are not a packet (or its message does not open or decode).
    var error: String?

    func renderedText() -> String {
        var out = title + "\n"
        for (name, value) in fields { out += "  \(name) \(value)\n" }
        return out
    }

    func json() -> JSONValue {
        var members: [(String, JSONValue)] = [("packet", .string(title))]
        members += fields.map { ($0.0, JSONValue.string($0.1)) }
        if let error { members.append(("error", .string(error))) }
        return .object(members)
    }

    /// A discv4 datagram: hash, sender, type and every field.
    static func discv4(_ bytes: [UInt8]) -> DiscoveryInspection {
        let packet: Discv4Packet
        do throws(DiscoveryError) {
            packet = try Discv4Packet(decoding: bytes)
        } catch {
            return DiscoveryInspection(title: "discv4", fields: [], error: "\(error.code.name) at offset \(error.offset ?? 0): \(error.reason)")
        }
        var fields: [(String, String)] = [
            ("size", "\(bytes.count)"), ("hash", Hex.encode(packet.hash)), ("sender", Hex.encode(packet.senderID.bytes)),
        ]
        func endpoint(_ value: Discv4.Endpoint) -> String {
            "\(value.address?.description ?? Hex.encode(value.ip)) udp \(value.udp) tcp \(value.tcp)"
        }
        switch packet.message {
        case .ping(let ping):
            fields += [("version", "\(ping.version)"), ("from", endpoint(ping.from)), ("to", endpoint(ping.to))]
            fields += [("expiration", "\(ping.expiration)"), ("enr-seq", ping.enrSeq.map(String.init) ?? "none")]
        case .pong(let pong):
            fields += [("to", endpoint(pong.to)), ("ping-hash", Hex.encode(pong.pingHash)), ("expiration", "\(pong.expiration)")]
            fields.append(("enr-seq", pong.enrSeq.map(String.init) ?? "none"))
        case .findNode(let findNode):
            fields += [("target", Hex.encode(findNode.target)), ("expiration", "\(findNode.expiration)")]
        case .neighbors(let neighbors):
            fields.append(("nodes", "\(neighbors.nodes.count)"))
            for (index, node) in neighbors.nodes.enumerated() {
                fields.append(("node.\(index)", Hex.encode(node.key) + " " + endpoint(node.endpoint)))
            }
            fields.append(("expiration", "\(neighbors.expiration)"))
        case .enrRequest(let request):
            fields.append(("expiration", "\(request.expiration)"))
        case .enrResponse(let response):
            fields += [("request-hash", Hex.encode(response.requestHash)), ("record", response.record.text)]
        }
        return DiscoveryInspection(title: "discv4 \(packet.message.name)", fields: fields)
    }

    /// A discv5 datagram sent to `nodeID`: its unmasked header, and its message when a key-log line opens it.
    static func discv5(_ bytes: [UInt8], nodeID: [UInt8], keyLog: [Discv5KeyLogEntry]) -> DiscoveryInspection {
        let packet: Packet
        do throws(Discv5Error) {
            packet = try Packet(decoding: bytes, localNodeID: nodeID)
        } catch {
            return DiscoveryInspection(title: "discv5", fields: [], error: "\(error.code.name) at offset \(error.offset ?? 0): \(error.reason)")
        }
        var fields: [(String, String)] = [
            ("size", "\(bytes.count)"), ("masking-iv", Hex.encode(packet.maskingIV)), ("nonce", Hex.encode(packet.nonce)),
        ]
        switch packet.authData {
        case .ordinary(let source): fields.append(("src-id", Hex.encode(source)))
        case .whoareyou(let idNonce, let enrSeq): fields += [("id-nonce", Hex.encode(idNonce)), ("enr-seq", "\(enrSeq)")]
        case .handshake(let handshake):
            fields += [("src-id", Hex.encode(handshake.sourceID)), ("id-signature", Hex.encode(handshake.signature))]
            fields.append(("eph-pubkey", Hex.encode(handshake.ephemeralPublicKey)))
            if !handshake.record.isEmpty { fields.append(("record", Hex.encode(handshake.record))) }
        }
        var inspection = DiscoveryInspection(title: "discv5 \(packet.flag)", fields: fields)
        guard let source = packet.authData.sourceID else { return inspection }
        inspection.fields.append(("message-size", "\(packet.message.count)"))
        do throws(Discv5Error) {
            if let message = try Discv5KeyLogEntry.open(packet, source: source, destination: nodeID, entries: keyLog) {
                inspection.fields += [("message", message.name), ("request-id", message.requestID.description)]
                inspection.fields += messageFields(message)
                return inspection
            }
        } catch {
            inspection.error = "\(error.code.name): \(error.reason)"
            return inspection
        }
        if !keyLog.isEmpty { inspection.error = "no key-log line opens the message" }
        return inspection
    }

    static func messageFields(_ message: Message) -> [(String, String)] {
        switch message {
        case .ping(let ping): [("enr-seq", "\(ping.enrSeq)")]
        case .pong(let pong):
            [("enr-seq", "\(pong.enrSeq)"), ("recipient-ip", Hex.encode(pong.recipientIP)), ("recipient-port", "\(pong.recipientPort)")]
        case .findNode(let findNode): [("distances", findNode.distances.map(String.init).joined(separator: ","))]
        case .nodes(let nodes):
            [("total", "\(nodes.total)")] + nodes.records.enumerated().map { ("record.\($0.offset)", Hex.encode($0.element)) }
        case .talkRequest(let request): [("protocol", Hex.encode(request.protocolName)), ("request", Hex.encode(request.request))]
        case .talkResponse(let response): [("response", Hex.encode(response.response))]
        }
    }
}
