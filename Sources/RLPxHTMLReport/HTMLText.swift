// SPDX-License-Identifier: Apache-2.0
import RLPxInspect

/// Text made safe for HTML and for JSON inside a script element.
enum HTMLText {
    /// `text` escaped for element content and quoted attribute values (control characters other than newline and
    /// tab become U+FFFD, which HTML allows everywhere).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                out += (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7f ? "\u{FFFD}" : String(scalar)
            }
        }
        return out
    }

    /// JSON for a `<script type="application/json">` element: `<` is written as `\u003c`, so no string in it can
    /// end the element.
    static func scriptJSON(_ value: JSONValue) -> String {
        var out = ""
        for character in value.rendered() {
            if character == "<" { out += "\\u003c" } else { out.append(character) }
        }
        return out
    }

    /// An identifier safe in an `id` attribute and a URL fragment (`rule-eth/status-first`: a slash is allowed in
    /// both).
    static func anchor(_ prefix: String, _ name: String) -> String {
        prefix + "-" + String(name.map { $0.isLetter || $0.isNumber || "./-_".contains($0) ? $0 : "_" })
    }

    /// Seconds with six decimals.
    static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        let micros = Int((abs(value) * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return (value < 0 ? "-" : "") + "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// A count with thin separators (12 345 678).
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "\u{202F}" }
            out.append(digit)
        }
        return out
    }
}
