// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM, caught from the moment ``install()`` returns. A C handler writes the signal's number to a
/// pipe (async-signal-safe) and a thread of its own turns each into an element of the stream. A dispatch signal
/// source registers its handler some time after `resume()`, and a signal sent in between was lost: `serve` stopped
/// right after printing its enode then never ended.
enum StopSignals {
    /// The pipe's write end, for the handler (set once, before the handlers are installed).
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    static func install() -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            continuation.finish()
            return stream
        }
        writeEnd = ends[1]
        let readEnd = ends[0]
        Thread.detachNewThread {
            var number: UInt8 = 0
            while read(readEnd, &number, 1) == 1 { continuation.yield(Int32(number)) }
            continuation.finish()
        }
        for number in [SIGINT, SIGTERM] {
            signal(number) { caught in
                var byte = UInt8(truncatingIfNeeded: caught)
                _ = write(StopSignals.writeEnd, &byte, 1)
            }
        }
        return stream
    }
}
