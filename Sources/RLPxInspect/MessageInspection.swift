import DevP2P
import Eth
import RLP
import RLPxFraming
import RLPxMultiplexing
import RLPxProtocols
// SPDX-License-Identifier: Apache-2.0
import Snap

/// One message (frame data: code and payload), named by the base protocol or the capabilities it maps to.
public struct MessageInspection: Sendable {
    public var code: UInt64
    /// "p2p" for the base protocol, the matched protocol's name, or nil when no range holds the code.
    public var protocolName: String?
    /// The code the protocol sees (wire code − offset).
    public var localCode: UInt64?
    /// The message's name: base protocol ("Hello", "Disconnect", "Ping", "Pong"), eth or snap.
    public var messageName: String?
    /// The eth or snap message, decoded.
    public var decoded: ProtocolMessage?
    /// Why the payload does not follow the layout of the eth or snap message its code names.
    public var decodeError: RLPError?
    /// When the message does not decode as the matched version: the other versions of its protocol it decodes as
    /// (an eth/68 Status read as eth/69 decodes as `eth/68`).
    public var decodesAs: [String] = []
    /// Decoded fields of base protocol messages.
    public var fields: [(name: String, value: String)]
    /// The payload, decompressed if asked.
    public var payload: RLPInspection
    /// Payload bytes (after decompression).
    public var payloadSize: Int

    /// Reads frame data; `protocols` are matched against themselves, as if both sides ran them. eth and snap
    /// messages are decoded by name and fields.
    public init(frameData: [UInt8], protocols: [ProtocolSpec], compressed: Bool) throws(FramingError) {
        let message = try Message(frameData: frameData, compressed: compressed)
        code = message.code
        payload = RLPInspection(message.payload)
        payloadSize = message.payload.count
        fields = []
        let space = MessageIDSpace(CapabilityMatcher.match(local: protocols, remote: protocols.map(\.capability)))
        switch try? space.inbound(message.code) {
        case .base(let base):
            protocolName = "p2p"
            localCode = base
            switch base {
            case BaseProtocol.helloCode:
                messageName = "Hello"
                if let hello = try? Hello(rlpEncoded: message.payload) {
                    fields = [
                        ("protocolVersion", String(hello.protocolVersion)), ("clientId", hello.clientID),
                        ("capabilities", hello.capabilities.map(\.description).joined(separator: ",")),
                        ("listenPort", String(hello.listenPort)), ("nodeId", Hex.encode(hello.nodeID)),
                    ]
                }
            case BaseProtocol.disconnectCode:
                messageName = "Disconnect"
                let reason = DisconnectReason(payload: message.payload)
                fields = [("reason", "\(reason.rawValue) (\(reason))")]
            case BaseProtocol.pingCode: messageName = "Ping"
            case BaseProtocol.pongCode: messageName = "Pong"
            default: messageName = nil
            }
        case .subprotocol(let matched, let local):
            protocolName = "\(matched.name)/\(matched.version)"
            localCode = local
            messageName = KnownProtocols.messageName(protocolName: matched.name, version: matched.version, code: local)
            do {
                decoded = try ProtocolMessage.decode(
                    protocolName: matched.name, version: matched.version, code: local, payload: message.payload)
            } catch {
                decodeError = error
                decodesAs = KnownProtocols.all.filter { $0.name == matched.name && $0.version != matched.version }.compactMap { other in
                    guard KnownProtocols.messageName(protocolName: other.name, version: other.version, code: local) == messageName,
                        (try? ProtocolMessage.decode(protocolName: other.name, version: other.version, code: local, payload: message.payload)) != nil
                    else { return nil }
                    return "\(other.name)/\(other.version)"
                }
            }
        case nil:
            protocolName = nil
            localCode = nil
            messageName = nil
        }
    }

    /// The message as a capture transcript line prints it: protocol, name, payload size, then what matters
    /// (`eth/68 Status 84 B version=68 network=1 …`, `p2p Hello 97 B Geth/v1.17 v5 caps eth/68,snap/1`).
    public var transcriptLine: String {
        var line = "\(protocolName ?? "?") \(messageName ?? "code \(localCode ?? code)") \(payloadSize) B"
        if let decoded {
            line += String(decoded.summary.dropFirst(decoded.name.count))
        } else if let error {
            line += " malformed: " + (errorLine ?? RLPInspection.errorLine(error))
        } else if messageName == "Hello", fields.count >= 3 {
            line += " \(fields[1].value) v\(fields[0].value) caps \(fields[2].value)"
        } else if !fields.isEmpty {
            line += " " + fields.map { "\($0.name) \($0.value)" }.joined(separator: " ")
        }
        return line
    }

    public func renderedText() -> String {
        var head = "message code=\(code)"
        if let protocolName, let localCode {
            head += " protocol=\(protocolName) local-code=\(localCode)"
        } else {
            head += " (no matched protocol owns this code)"
        }
        if let decoded {
            head += " " + decoded.summary
        } else if let messageName {
            head += " \(messageName)"
        }
        var out = head + "\n"
        for (name, value) in fields { out += "  \(name) \(value)\n" }
        if let decoded {
            out += decoded.fields.renderedTree(indent: "  ")
            return out
        }
        if let decodeError { out += "  \(messageName ?? "message") error: \(RLPInspection.errorLine(decodeError))\(versionHint)\n" }
        out += payload.renderedText().split(separator: "\n").map { "  \($0)\n" }.joined()
        if let error = payload.error { out += "  payload error: \(RLPInspection.errorLine(error))\n" }
        return out
    }

    /// Any error that makes this message invalid: the payload's RLP or the eth/snap layout.
    public var error: RLPError? { payload.error ?? decodeError }

    /// ``error`` as one line, naming the versions the message does decode as when there are some.
    public var errorLine: String? {
        guard let error else { return nil }
        return RLPInspection.errorLine(error) + (payload.error == nil ? versionHint : "")
    }

    /// `; it decodes as eth/68 (--caps eth/68)`, or nothing.
    var versionHint: String {
        guard let first = decodesAs.first else { return "" }
        return "; it decodes as \(decodesAs.joined(separator: ", ")) (--caps \(first))"
    }

    public func json() -> JSONValue {
        let parts = protocolName?.split(separator: "/")
        var members: [(String, JSONValue)] = [
            ("format", .string("message")), ("code", .quantity(code)),
            ("protocol", parts.map { JSONValue.string(String($0[0])) } ?? .null),
            ("version", parts.flatMap { $0.count == 2 ? Int($0[1]) : nil }.map(JSONValue.int) ?? .null),
            ("localCode", localCode.map(JSONValue.quantity) ?? .null),
            ("name", messageName.map(JSONValue.string) ?? .null),
        ]
        if let decoded {
            members.append(("requestId", decoded.requestID.map { EthJSON.int($0) } ?? .null))
            members.append(("summary", .string(decoded.summary)))
            members.append(("fields", decoded.fields))
        } else {
            members.append(("fields", .object(fields.map { ($0.name, JSONValue.string($0.value)) })))
        }
        if let decodeError {
            members.append(("error", RLPInspection.json(for: decodeError)))
            members.append(("decodesAs", .array(decodesAs.map(JSONValue.string))))
        }
        members.append(("payload", payload.json()))
        return .object(members)
    }
}
