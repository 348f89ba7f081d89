// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A file (standard output by default) written in 64 KiB pieces: a streamed report of millions of lines must not
/// pay a system call per line.
final class BufferedOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle = .standardOutput) {
        self.handle = handle
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
