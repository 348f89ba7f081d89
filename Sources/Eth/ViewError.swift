// SPDX-License-Identifier: Apache-2.0
import RLP

/// The errors the views throw, built out of line so that the inlined happy path carries no string or array code.
@usableFromInline
enum ViewError {
    /// `error` with `field` in front of its path (unchanged when `field` is empty).
    @usableFromInline @inline(never)
    static func named(_ error: RLPError, _ field: StaticString) -> RLPError {
        field.utf8CodeUnitCount == 0 ? error : error.prefixingPath("\(field)")
    }

    /// `error` with `components` in front of its path, outermost first.
    @usableFromInline @inline(never)
    static func prefixed(_ error: RLPError, _ components: String...) -> RLPError {
        components.reversed().reduce(error) { $0.prefixingPath($1) }
    }

    @usableFromInline @inline(never)
    static func expectedList(at offset: Int, _ field: StaticString) -> RLPError {
        named(RLPError(.expectedList, "expected a list, found a byte string", at: offset), field)
    }

    @usableFromInline @inline(never)
    static func expectedBytes(at offset: Int, _ field: StaticString) -> RLPError {
        named(RLPError(.expectedBytes, "expected a byte string, found a list", at: offset), field)
    }

    /// Why the integer at `payload` is not a canonical `T`: too long, or a leading zero.
    @usableFromInline @inline(never)
    static func integer<T>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ payload: Range<Int>, at offset: Int, _ field: StaticString, as type: T.Type
    ) -> RLPError {
        let error =
            payload.count > MemoryLayout<T>.size
            ? RLPError(.integerOverflow, "\(payload.count)-byte integer does not fit \(T.self)", at: offset)
            : RLPError(.nonCanonicalInteger, "integer has a leading zero byte", at: offset)
        return named(error, field)
    }

    @usableFromInline @inline(never)
    static func wrongByteCount(_ count: Int, found: Int, at offset: Int, _ field: StaticString) -> RLPError {
        named(RLPError(.wrongByteCount, "expected \(count) bytes, found \(found)", at: offset), field)
    }

    @usableFromInline @inline(never)
    static func leftOver(_ what: StaticString, at offset: Int) -> RLPError {
        RLPError(.tooManyElements, "\(what) has elements left over", at: offset)
    }
}
