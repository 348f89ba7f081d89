// SPDX-License-Identifier: Apache-2.0
import RLP

/// A JSON document, written without Foundation so output is byte-for-byte stable.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    /// Keys keep their order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// Compact JSON text.
    public func rendered() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text as UTF-8 to `out`.
    public func render(into out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .int(let value): out += String(value).utf8
        case .string(let value): Self.appendString(value, to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.render(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.render(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string, quoted and escaped, to `out`.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            out.appendWriting(atMost: quotedLength(bytes.count)) { writeString(bytes, to: $0) }
        }
    }

    /// The most bytes ``writeString(_:to:)`` writes for `count` bytes of text: each could become a `\u00XX`.
    public static func quotedLength(_ count: Int) -> Int { 2 + 6 * count }

    /// Writes the UTF-8 `text` as a JSON string, quoted and escaped; returns the bytes written (at most
    /// ``quotedLength(_:)``).
    public static func writeString(_ text: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\"")
        var count = 1
        // Most text needs no escape: copy it whole.
        if let base = text.baseAddress, !text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
            (out + count).update(from: base, count: text.count)
            count += text.count
        } else {
            let hex = Array("0123456789abcdef".utf8)
            for byte in text {
                let escape: UInt8? =
                    switch byte {
                    case 0x22: 0x22
                    case 0x5c: 0x5c
                    case 0x0a: UInt8(ascii: "n")
                    case 0x0d: UInt8(ascii: "r")
                    case 0x09: UInt8(ascii: "t")
                    default: nil
                    }
                if let escape {
                    out[count] = 0x5c
                    out[count + 1] = escape
                    count += 2
                } else if byte < 0x20 {
                    for (index, character) in [
                        0x5c, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)],
                    ]
                    .enumerated() {
                        out[count + index] = character
                    }
                    count += 6
                } else {
                    out[count] = byte
                    count += 1
                }
            }
        }
        out[count] = UInt8(ascii: "\"")
        return count + 1
    }

    /// `text` as a JSON string, quoted and escaped.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
