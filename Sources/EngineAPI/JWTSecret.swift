// SPDX-License-Identifier: Apache-2.0
import RLP

/// The 256-bit secret an Engine API server and its clients share (the `jwt.hex` of the Engine API spec).
/// Neither its description nor its mirror shows the bytes.
public struct JWTSecret: Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The 32 secret bytes.
    public let bytes: [UInt8]

    /// A secret from exactly 32 bytes.
    public init(bytes: [UInt8]) throws(JWTError) {
        guard bytes.count == 32 else {
            throw JWTError(.invalidSecret, "a JWT secret is 32 bytes, found \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// A secret from 64 hex digits, with or without `0x`; surrounding white space (a file's final newline) is
    /// ignored.
    public init(hex text: String) throws(JWTError) {
        let trimmed = text.trimmed(of: " \t\r\n")
        guard let bytes = try? Hex.decode(trimmed, allowingWhitespace: false) else {
            throw JWTError(.invalidSecret, "a JWT secret is 64 hex digits (0x optional)")
        }
        try self.init(bytes: bytes)
    }

    /// A new random secret, from the system's generator.
    public static func generate() -> JWTSecret {
        var generator = SystemRandomNumberGenerator()
        return JWTSecret(
            unchecked: (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } })
    }

    /// 4 × 8 random bytes: 32 by construction.
    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// The secret as 64 lower-case hex digits with `0x`, the form a `jwt.hex` file holds.
    public var hex: String { Hex.encode(bytes, prefixed: true) }

    public var description: String { "JWTSecret(32 bytes)" }
    /// No children, so `dump` does not show the bytes either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
