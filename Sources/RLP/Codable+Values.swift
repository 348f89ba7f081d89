// SPDX-License-Identifier: Apache-2.0

// `Codable` fields of RLP's value types. ``RLPEncoder`` and ``RLPDecoder`` use their RLP form (an integer, a byte
// string); other coders (JSON, property lists) see their `description`: decimal digits for integers, `0x` hex for
// fixed bytes.

/// A value that other coders see as its description text, and read back with `parse`.
protocol CodableAsText: Codable, CustomStringConvertible {
    /// What the text must be, for the error when it is not.
    static var textForm: String { get }
    static func parse(_ text: String) -> Self?
}

extension CodableAsText {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not \(Self.textForm)"))
        }
        self = value
    }
}

extension UInt256: Codable, CodableAsText {
    static var textForm: String { "a 256-bit decimal integer" }
    static func parse(_ text: String) -> UInt256? { BigUInt(text).flatMap { UInt256($0) } }
}

extension BigUInt: Codable, CodableAsText {
    static var textForm: String { "a decimal integer" }
    static func parse(_ text: String) -> BigUInt? { BigUInt(text) }
}

extension FixedBytes: Codable, CodableAsText {
    static var textForm: String { "\(count) bytes of hex" }
    static func parse(_ text: String) -> FixedBytes? { try? FixedBytes(hex: text) }
}
