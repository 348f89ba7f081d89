// SPDX-License-Identifier: Apache-2.0

/// Exactly `count` bytes stored inline: hashes, addresses, blooms, nonces. In RLP it is a byte string of exactly
/// `count` bytes; anything else is ``RLPError/Code/wrongByteCount``.
///
/// ```swift
/// let hash = try FixedBytes<32>(hex: "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
/// print(hash)          // 0xd4e5…8fa3 in full
/// ```
public struct FixedBytes<let count: Int>: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: InlineArray<count, UInt8>

    /// All zero bytes.
    @inlinable
    public init() { storage = InlineArray(repeating: 0) }

    /// The bytes of `bytes`, which must hold exactly `count` of them; nil otherwise.
    @inlinable
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == count else { return nil }
        var storage = InlineArray<count, UInt8>(repeating: 0)
        var index = 0
        for byte in bytes {
            storage[index] = byte
            index &+= 1
        }
        self.storage = storage
    }

    /// `count` bytes from hex text (`0x` optional).
    /// - Throws: ``Hex/DecodingError`` for bad hex or the wrong length.
    public init(hex text: some StringProtocol) throws(Hex.DecodingError) {
        let bytes = try Hex.decode(text)
        guard let value = FixedBytes(bytes) else {
            throw Hex.DecodingError(position: 0, reason: "expected \(count) bytes, found \(bytes.count)")
        }
        self = value
    }

    /// The bytes as an array.
    @inlinable
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the bytes in place.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
    }

    /// Calls `body` with the bytes in place, to fill them.
    @inlinable
    public mutating func withUnsafeMutableBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try Swift.withUnsafeMutableBytes(of: &storage) {
            try body(UnsafeMutableRawBufferPointer(rebasing: $0.prefix(count)))
        }
    }

    /// Byte `index`.
    @inlinable
    public subscript(index: Int) -> UInt8 { storage[index] }

    /// `0x` and the bytes in lowercase hex.
    public var description: String { Hex.encode(bytes, prefixed: true) }

    @inlinable
    public static func == (lhs: FixedBytes, rhs: FixedBytes) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    @inlinable
    public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }
}

extension FixedBytes: RLPCodable {
    @inlinable
    public func encode(to writer: inout RLPWriter) { withUnsafeBytes { writer.write(bytes: $0) } }

    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        var storage = InlineArray<count, UInt8>(repeating: 0)
        try reader.withNextByteString { bytes, offset throws(RLPError) in
            guard bytes.count == count else {
                throw RLPError(.wrongByteCount, "expected \(count) bytes, found \(bytes.count)", at: offset)
            }
            Swift.withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        }
        self.storage = storage
    }
}
