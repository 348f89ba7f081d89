// SPDX-License-Identifier: Apache-2.0

extension RLPReader {
    /// Reads a canonical unsigned integer: big-endian, no leading zeros, zero as the empty string.
    /// - Throws: ``RLPError/Code/integerOverflow`` when it does not fit `T`, ``RLPError/Code/nonCanonicalInteger``
    ///   for leading zeros (or zero written as 0x00), ``RLPError/Code/expectedBytes`` for a list.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(
        _ type: T.Type = T.self
    ) throws(RLPError) -> T {
        try withNextByteString { bytes, offset throws(RLPError) in try RLPReader.integer(from: bytes, offset: offset) }
    }

    /// The value of the canonical big-endian integer `bytes`, whose item starts at `offset`.
    @inlinable
    public static func integer<T: FixedWidthInteger & UnsignedInteger>(
        from bytes: UnsafeBufferPointer<UInt8>, offset: Int
    ) throws(RLPError) -> T {
        guard let first = bytes.first else { return 0 }
        guard bytes.count <= T.bitWidth / 8 else {
            throw RLPError(.integerOverflow, "\(bytes.count)-byte integer does not fit \(T.self)", at: offset)
        }
        guard first != 0 else {
            throw RLPError(.nonCanonicalInteger, "integer has a leading zero byte", at: offset)
        }
        var value: T = 0
        for byte in bytes {
            value = value << 8 | T(byte)
        }
        return value
    }
}
