// SPDX-License-Identifier: Apache-2.0
import RLP

/// The message bytes a view and everything read from it share: one reference, so that a view is that reference
/// and plain offsets, and copying one (as `while let x = try cursor.next()` does) is a retain and a few moves.
@usableFromInline
final class ViewStorage: Sendable {
    @usableFromInline let bytes: ArraySlice<UInt8>

    /// Keeps `bytes` (shared when it is a slice or an array), under 4 GiB so that offsets fit 32 bits.
    init(_ bytes: some Collection<UInt8>) throws(RLPError) {
        let slice = RLP.slice(bytes)
        guard slice.count <= Int(UInt32.max) else {
            throw RLPError(.unsupportedValue, "views read inputs under 4 GiB, not \(slice.count) bytes", at: 0)
        }
        self.bytes = slice
    }

    @inlinable @inline(always)
    func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// The bytes at `range` (offsets from the start), sharing the storage.
    @inlinable @inline(always)
    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> {
        bytes[(bytes.startIndex &+ range.lowerBound)..<(bytes.startIndex &+ range.upperBound)]
    }
}
