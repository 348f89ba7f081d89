// SPDX-License-Identifier: Apache-2.0
import RLP

/// A 32-byte block hash, written as the Engine API's `DATA`: `0x` and 64 hex digits.
public struct BlockHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// A hash from exactly 32 bytes, or nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A hash from `0x` and 64 hex digits (either case), or nil: `DATA` always carries its prefix.
    public init?(hex text: some StringProtocol) {
        guard text.hasPrefix("0x"), let bytes = try? Hex.decode(text, allowingWhitespace: false) else { return nil }
        self.init(bytes: bytes)
    }

    /// `0x` and 64 lower-case hex digits.
    public var hex: String { Hex.encode(bytes, prefixed: true) }
    public var description: String { hex }
}
