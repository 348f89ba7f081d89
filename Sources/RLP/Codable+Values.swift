// SPDX-License-Identifier: Apache-2.0

// `Codable` fields of RLP's value types. ``RLPEncoder`` and ``RLPDecoder`` use their RLP form (an integer, a byte
// string); other coders (JSON, property lists) see text: decimal digits for integers, `0x` hex for fixed bytes.

extension UInt256: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let big = BigUInt(text), let value = UInt256(big) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a 256-bit decimal integer"))
        }
        self = value
    }
}

extension BigUInt: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = BigUInt(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a decimal integer"))
        }
        self = value
    }
}

extension FixedBytes: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try FixedBytes(hex: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not \(count) bytes of hex"))
        }
    }
}
