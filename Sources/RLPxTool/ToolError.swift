// SPDX-License-Identifier: Apache-2.0
import RLPxInspect

/// A command that failed: input that could not be read or turned into bytes, or an exchange with a peer that went
/// wrong. Reported without usage text, exit status 1.
struct ToolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong (as the `error` object of JSON output names it).
    struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        init(_ name: String) { self.name = name }
        var description: String { name }

        /// A file that is missing, a directory or not readable, or input (secrets, a key log) that is not usable.
        static let unreadableFile = Code("unreadableFile")
        /// Hex text with a character that is not a hex digit, or an odd number of digits (the offset says where).
        static let invalidHex = Code("invalidHex")
        /// A peer that did not do what the command asked of it.
        static let peerFailed = Code("peerFailed")
    }

    let code: Code
    /// What was wrong, for people.
    let reason: String
    /// Where in the text, when that is known.
    let offset: Int?

    init(_ code: Code, _ reason: String, offset: Int? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    var description: String {
        guard code == .invalidHex, let offset else { return reason }
        return "invalid hex: \(reason) at character \(offset)"
    }

    /// The `error` object JSON output carries, shaped as an RLP error's.
    var json: JSONValue {
        .object([
            ("code", .string(code.name)), ("offset", offset.map(JSONValue.int) ?? .null), ("reason", .string(reason)), ("path", .array([])),
        ])
    }

    static func == (lhs: ToolError, rhs: ToolError) -> Bool { lhs.code == rhs.code }
    func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
