// SPDX-License-Identifier: Apache-2.0

extension Array where Element == UInt8 {
    /// Appends what `write` writes through a pointer to room for `capacity` bytes; `write` returns how many it
    /// wrote. One growth and one uniqueness check for the whole piece, not one per byte (text writers that render a
    /// line per message use it: ``DecimalText``, JSON strings, transcript lines).
    @inlinable
    public mutating func appendWriting(atMost capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        let start = count
        append(contentsOf: repeatElement(0, count: capacity))
        let written = withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return write(base + start)
        }
        removeLast(capacity - Swift.min(Swift.max(written, 0), capacity))
    }
}
