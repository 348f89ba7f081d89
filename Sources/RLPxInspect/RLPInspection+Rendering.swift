// SPDX-License-Identifier: Apache-2.0
import RLP

extension RLPInspection {
    /// An indented tree, one item per line (the error, if any, is ``errorLine(_:)``'s to say).
    ///
    /// ```
    /// list @0 header=1 payload=8
    ///   bytes @1 header=1 payload=3 646f67 uint=6582119 text="dog"
    ///   byte @5 04 uint=4
    /// ```
    public func renderedText() -> String {
        var lines: [String] = []
        for item in items { Self.appendLines(for: item, depth: 0, to: &lines) }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The error as one line: its code, what was wrong and where.
    public static func errorLine(_ error: RLPError) -> String { error.summary }

    static func appendLines(for node: RLPTreeNode, depth: Int, to lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        switch node.kind {
        case .list:
            lines.append("\(indent)list @\(node.offset) header=\(node.headerLength) payload=\(node.payloadLength)")
            for child in node.children { appendLines(for: child, depth: depth + 1, to: &lines) }
        case .bytes:
            var line =
                node.headerLength == 0
                ? "\(indent)byte @\(node.offset) \(Hex.encode(node.bytes))"
                : "\(indent)bytes @\(node.offset) header=\(node.headerLength) payload=\(node.payloadLength)"
                    + (node.bytes.isEmpty ? "" : " \(Hex.encode(node.bytes))")
            if let value = node.unsignedValue { line += " uint=\(value)" }
            if let text = node.text { line += " text=\(JSONValue.quoted(text))" }
            lines.append(line)
        }
    }

    /// The same content as JSON: `{"format":"rlp","items":[…],"error":null|{…}}`.
    public func json() -> JSONValue {
        .object([
            ("format", .string("rlp")),
            ("items", .array(items.map(Self.json(for:)))),
            ("error", error.map(Self.json(for:)) ?? .null),
        ])
    }

    static func json(for node: RLPTreeNode) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("offset", .int(node.offset)),
            ("kind", .string(node.kind == .list ? "list" : "bytes")),
            ("headerLength", .int(node.headerLength)),
            ("payloadLength", .int(node.payloadLength)),
        ]
        switch node.kind {
        case .list:
            members.append(("children", .array(node.children.map(json(for:)))))
        case .bytes:
            members.append(("hex", .string(Hex.encode(node.bytes))))
            if let value = node.unsignedValue { members.append(("uint", .quantity(value))) }
            if let text = node.text { members.append(("text", .string(text))) }
        }
        return .object(members)
    }

    /// An error as JSON: code, offset, reason and field path.
    public static func json(for error: RLPError) -> JSONValue {
        .object([
            ("code", .string(error.code.name)),
            ("offset", error.offset.map(JSONValue.int) ?? .null),
            ("reason", .string(error.reason)),
            ("path", .array(error.path.map(JSONValue.string))),
        ])
    }
}
