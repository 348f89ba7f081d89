// SPDX-License-Identifier: Apache-2.0

/// Every way RLP input or a typed value can be wrong.
///
/// The ``code`` names the rule that was broken and is stable API; ``offset`` says where (the first byte of the
/// offending item, counted from the start of the input), and ``path`` names the field of a typed value, outermost
/// first. Two errors are equal when their codes are equal, so `#expect(throws: RLPError.nonCanonicalSize)` works
/// whatever the offset.
public struct RLPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, as vector files and findings spell it.
        public let name: String
        /// A code named `name`; layers above RLP (eth, snap) define their own codes with it.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The input ended where an item should start (geth `io.EOF`).
        public static let unexpectedEnd = Code("unexpectedEnd")
        /// A header claims more bytes than the input holds (geth `ErrValueTooLarge`, `io.ErrUnexpectedEOF`).
        public static let valueTooLarge = Code("valueTooLarge")
        /// An item runs past the end of the list that contains it (geth `ErrElemTooLarge`).
        public static let elementTooLarge = Code("elementTooLarge")
        /// A size is not in its shortest form: a single byte below 0x80 wrapped as a string, a long form for a
        /// length under 56, or a length with leading zero bytes (geth `ErrCanonSize`).
        public static let nonCanonicalSize = Code("nonCanonicalSize")
        /// An integer has leading zero bytes, or zero is written as 0x00 rather than the empty string
        /// (geth `ErrCanonInt`).
        public static let nonCanonicalInteger = Code("nonCanonicalInteger")
        /// A byte string was expected and a list was found (geth `ErrExpectedString`).
        public static let expectedBytes = Code("expectedBytes")
        /// A list was expected and a byte string was found (geth `ErrExpectedList`).
        public static let expectedList = Code("expectedList")
        /// An integer does not fit the target width (geth `ErrUintOverflow`).
        public static let integerOverflow = Code("integerOverflow")
        /// A boolean other than 0x01 (true) or 0x80 (false).
        public static let invalidBool = Code("invalidBool")
        /// A byte string does not have the length a fixed-size type needs.
        public static let wrongByteCount = Code("wrongByteCount")
        /// A list has fewer elements than the type needs (reading past the end of a list, geth `EOL`).
        public static let tooFewElements = Code("tooFewElements")
        /// A list has more elements than the type takes (geth `ErrNotAtEOL`).
        public static let tooManyElements = Code("tooManyElements")
        /// Bytes follow the single top-level item (geth `ErrMoreThanOneValue`).
        public static let trailingBytes = Code("trailingBytes")
        /// Lists are nested deeper than ``RLP/maximumDepth``: a guard against hostile input.
        public static let nestingTooDeep = Code("nestingTooDeep")
        /// A byte string that must be text is not valid UTF-8.
        public static let invalidUTF8 = Code("invalidUTF8")
        /// A value cannot be represented in RLP (a negative integer, a floating-point number).
        public static let unsupportedValue = Code("unsupportedValue")
        /// A well-formed value its field does not allow (an enum raw value without a case, a flag other than 0 or 1,
        /// a contract creation where a recipient is required).
        public static let invalidValue = Code("invalidValue")
    }

    /// The rule that was broken.
    public let code: Code
    /// Where in the input, when the error comes from input bytes.
    public let offset: Int?
    /// The field path of a typed value, outermost first (`["header", "number"]`, `["[3]"]`).
    public private(set) var path: [String]
    /// What was wrong, for people.
    public let reason: String

    /// Makes an error; the library's own throw sites use this too.
    public init(_ code: Code, _ reason: String, at offset: Int? = nil, path: [String] = []) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.path = path
    }

    /// The same error with `component` put in front of its path.
    public func prefixingPath(_ component: String) -> RLPError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }

    public var description: String {
        var text = "RLPError.\(code.name): \(reason)"
        if let offset { text += " at offset \(offset)" }
        if !path.isEmpty { text += " in field \(pathDescription)" }
        return text
    }

    /// The same error with its offset moved by `delta`: for errors from a reader over bytes nested inside a larger
    /// input (a typed transaction inside a message).
    public func offsetBy(_ delta: Int) -> RLPError {
        RLPError(code, reason, at: offset.map { $0 &+ delta }, path: path)
    }

    /// The error as one line for people: its code, where and what was wrong, and the field
    /// (`nonCanonicalSize at offset 3: single byte below 0x80 wrapped as a string`).
    public var summary: String {
        var line = code.name
        if let offset { line += " at offset \(offset)" }
        line += ": \(reason)"
        if !path.isEmpty { line += " (field \(pathDescription))" }
        return line
    }

    /// The field path as one string: `blocks[1].header.number`.
    public var pathDescription: String {
        var text = ""
        for component in path {
            if !text.isEmpty, !component.hasPrefix("[") { text += "." }
            text += component
        }
        return text
    }

    public static func == (lhs: RLPError, rhs: RLPError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // Parameterless shorthands, so tests and callers can write `RLPError.trailingBytes`.
    public static let unexpectedEnd = RLPError(.unexpectedEnd, "input ended where an item should start")
    public static let valueTooLarge = RLPError(.valueTooLarge, "item is longer than the input")
    public static let elementTooLarge = RLPError(.elementTooLarge, "item is longer than its list")
    public static let nonCanonicalSize = RLPError(.nonCanonicalSize, "size is not in its shortest form")
    public static let nonCanonicalInteger = RLPError(.nonCanonicalInteger, "integer is not in its shortest form")
    public static let expectedBytes = RLPError(.expectedBytes, "expected a byte string, found a list")
    public static let expectedList = RLPError(.expectedList, "expected a list, found a byte string")
    public static let integerOverflow = RLPError(.integerOverflow, "integer is too large")
    public static let invalidBool = RLPError(.invalidBool, "boolean is neither 0x01 nor 0x80")
    public static let wrongByteCount = RLPError(.wrongByteCount, "byte string has the wrong length")
    public static let tooFewElements = RLPError(.tooFewElements, "list has too few elements")
    public static let tooManyElements = RLPError(.tooManyElements, "list has too many elements")
    public static let trailingBytes = RLPError(.trailingBytes, "bytes follow the top-level item")
    public static let nestingTooDeep = RLPError(.nestingTooDeep, "lists are nested too deeply")
    public static let invalidUTF8 = RLPError(.invalidUTF8, "text is not valid UTF-8")
    public static let unsupportedValue = RLPError(.unsupportedValue, "value has no RLP form")
}
