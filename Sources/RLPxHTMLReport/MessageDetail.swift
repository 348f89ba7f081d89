// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxEvents
import RLPxInspect
import RLPxMultiplexing

/// What a report shows when a message is opened: its decoded fields as a tree, its bytes in hex.
enum MessageDetail {
    /// Payloads larger than this get no raw RLP tree (their typed fields are still shown).
    static let treeLimit = 1 << 16

    /// The decoded fields as an indented tree: the typed value where the protocol is known, else the RLP items.
    static func tree(_ message: DecodedMessage) -> String {
        switch message.value {
        case .decoded(let decoded): return decoded.fields.renderedTree()
        case .hello(let hello):
            return "protocolVersion \(hello.protocolVersion)\nclientId \(TextClip.clip(hello.clientID))\n"
                + "capabilities \(hello.capabilities.map(\.description).joined(separator: ","))\n" + "listenPort \(hello.listenPort)\n"
        case .disconnect(let reason): return "reason \(reason.rawValue) (\(reason))\n"
        case .ping, .pong: return "(empty list)\n"
        case .malformed(let error): return "malformed: \(RLPInspection.errorLine(error))\n" + rlpTree(message.payload)
        case .undecoded: return rlpTree(message.payload)
        }
    }

    static func rlpTree(_ payload: [UInt8]) -> String {
        guard payload.count <= treeLimit else { return "(\(payload.count) bytes: too large for an RLP tree)\n" }
        return RLPInspection(payload).renderedText()
    }

    /// `text` cut to `limit` characters, saying so.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "\n… (\(text.count - limit) more characters)\n"
    }

    /// Bytes as hex, 16 to a line, in groups of two.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let all = Array(bytes)
        return stride(from: 0, to: all.count, by: 16).map { line in
            stride(from: line, to: min(line + 16, all.count), by: 2).map { Hex.encode(all[$0..<min($0 + 2, all.count)]) }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// A fault in a few words.
    static func describe(_ fault: Fault) -> String {
        switch fault {
        case .handshakeSize(let prefix): "handshake size prefix \(prefix)"
        case .frame(let reason, let offset): "frame at offset \(offset): \(reason)"
        case .emptyFrame: "empty frame"
        case .messageCode: "message code is not a canonical RLP integer"
        case .snappyTooLarge(let code, let declared): "code \(code): snappy declares \(declared) bytes"
        case .snappy(let code, let reason): "code \(code): snappy: \(reason)"
        case .uncompressed(let code): "code \(code) uncompressed after p2p v5"
        case .codeOutOfRange(let code): "code \(code) outside every matched range"
        }
    }
}
