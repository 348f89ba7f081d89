// SPDX-License-Identifier: Apache-2.0
import RLP

/// go-ethereum `rlpdump`'s text form of RLP, both ways: a byte string is `""` when empty, `"quoted"` when every byte
/// is printable ASCII, otherwise hex; a list is `[]` or `[`, its items one per line each followed by a comma, `]`.
///
/// ```
/// [
///   "cat",
///   5208,
///   [],
/// ]
/// ```
public enum RLPText {
    /// `items` in the text form, each top-level item ending in a newline.
    public static func render(_ items: [RLPItem]) -> String {
        var out = ""
        for item in items {
            render(item, depth: 0, into: &out)
            out += "\n"
        }
        return out
    }

    static func render(_ item: RLPItem, depth: Int, into out: inout String) {
        let indent = String(repeating: "  ", count: depth)
        switch item {
        case .bytes(let bytes) where bytes.isEmpty || bytes.allSatisfy({ (0x20...0x7e).contains($0) }):
            out += indent + "\""
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out += "\\" }
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
            out += "\""
        case .bytes(let bytes):
            out += indent + Hex.encode(bytes)
        case .list(let items) where items.isEmpty:
            out += indent + "[]"
        case .list(let items):
            out += indent + "[\n"
            for child in items {
                render(child, depth: depth + 1, into: &out)
                out += ",\n"
            }
            out += indent + "]"
        }
    }

    /// The items `text` holds, in order. Whitespace and line breaks are free, commas after items optional; hex may
    /// carry `0x`; a quoted string takes the escapes `\"`, `\\` and `\xHH`.
    /// - Throws: ``RLPTextError`` with the line and column where the text stops making sense (lists nested deeper than
    ///   ``RLP/maximumDepth`` included).
    public static func parse(_ text: String) throws(RLPTextError) -> [RLPItem] {
        var parser = Parser(Array(text.utf8))
        return try parser.items()
    }

    struct Parser {
        let bytes: [UInt8]
        var position = 0
        /// Lists that are open: their items so far, and where each started.
        var open: [(items: [RLPItem], start: Int)] = []

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func items() throws(RLPTextError) -> [RLPItem] {
            var top: [RLPItem] = []
            while true {
                skipSeparators()
                guard position < bytes.count else { break }
                let start = position
                let item: RLPItem
                switch bytes[position] {
                case UInt8(ascii: "["):
                    guard open.count < RLP.maximumDepth else {
                        throw error(.tooDeep, at: start, "lists nested deeper than \(RLP.maximumDepth), as RLP allows")
                    }
                    position += 1
                    open.append(([], start))
                    continue
                case UInt8(ascii: "]"):
                    guard let list = open.popLast() else { throw error(.unbalancedList, at: start, "a ] closes no list") }
                    position += 1
                    item = .list(list.items)
                case UInt8(ascii: "\""):
                    item = .bytes(try quoted())
                default:
                    item = .bytes(try hex())
                }
                if open.isEmpty { top.append(item) } else { open[open.count - 1].items.append(item) }
            }
            if let list = open.last { throw error(.unbalancedList, at: list.start, "this [ is never closed") }
            return top
        }

        mutating func skipSeparators() {
            while position < bytes.count, [0x20, 0x09, 0x0a, 0x0d, UInt8(ascii: ",")].contains(bytes[position]) { position += 1 }
        }

        mutating func quoted() throws(RLPTextError) -> [UInt8] {
            let start = position
            position += 1
            var out: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""): return out
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { break }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(escaped)
                    case UInt8(ascii: "x"):
                        guard position + 2 <= bytes.count,
                            let value = UInt8(String(decoding: bytes[position..<position + 2], as: UTF8.self), radix: 16)
                        else { throw error(.invalidEscape, at: position - 2, "\\x takes two hex digits") }
                        out.append(value)
                        position += 2
                    default: throw error(.invalidEscape, at: position - 2, "unknown escape \\\(Unicode.Scalar(escaped))")
                    }
                case 0x0a: throw error(.unclosedString, at: start, "this string is not closed on its line")
                default: out.append(byte)
                }
            }
            throw error(.unclosedString, at: start, "this string is never closed")
        }

        mutating func hex() throws(RLPTextError) -> [UInt8] {
            let start = position
            while position < bytes.count,
                ![0x20, 0x09, 0x0a, 0x0d, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "[")].contains(bytes[position])
            {
                position += 1
            }
            var digits = String(decoding: bytes[start..<position], as: UTF8.self)
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits.removeFirst(2) }
            guard digits.count % 2 == 0, let value = try? Hex.decode(digits) else {
                throw error(
                    .unexpectedText, at: start, "expected hex bytes (an even number of digits), a \"string\", [ or ]; found \(digits.prefix(20))")
            }
            return value
        }

        func error(_ code: RLPTextError.Code, at offset: Int, _ reason: String) -> RLPTextError {
            let before = bytes[..<min(offset, bytes.count)]
            let line = before.count(where: { $0 == 0x0a }) + 1
            let column = offset - (before.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0) + 1
            return RLPTextError(code, reason, offset: offset, line: line, column: column)
        }
    }
}

/// Text that is not in ``RLPText``'s form: where (byte offset, line and column, from 1) and why.
public struct RLPTextError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Lists nested deeper than RLP allows.
        public static let tooDeep = Code("tooDeep")
        /// A `]` that closes no list, or a `[` never closed.
        public static let unbalancedList = Code("unbalancedList")
        /// A backslash escape other than `\xHH`, `\"` and `\\`.
        public static let invalidEscape = Code("invalidEscape")
        /// A string not closed on its line, or never closed.
        public static let unclosedString = Code("unclosedString")
        /// Text that is none of hex bytes, a string, `[` or `]`.
        public static let unexpectedText = Code("unexpectedText")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String
    /// The byte offset in the text.
    public let offset: Int
    /// The line and column of the offset, from 1.
    public let line: Int
    public let column: Int

    init(_ code: Code, _ reason: String, offset: Int, line: Int, column: Int) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
    public static func == (lhs: RLPTextError, rhs: RLPTextError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
