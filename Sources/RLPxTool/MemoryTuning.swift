import RLPxPeer

// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
    import CMalloc
#endif

extension RLPxTool {
    /// Frames and their buffers (up to megabytes each) are allocated and freed at a high rate. glibc's defaults give
    /// every freed block above 128 KiB back to the kernel, and trim the heap top of the worker threads' arenas,
    /// so each new frame faults its pages in again (a third of a 64 KiB capture replay's time). The tool keeps up to
    /// 64 MiB of freed memory and maps only blocks above 4 MiB. A process-wide choice, so the tool makes it, not the
    /// library; `serve` gives the kept memory back when it goes idle (``returnFreedMemoryWhenIdle(_:)``).
    static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
            _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
        #endif
    }

    /// Once `listener` has had no connection, pending or established, for a second, hands the allocator's free
    /// memory back to the kernel (once per idle spell), so a long-running `serve` returns to its baseline after a
    /// burst of sessions or a flood of stalled handshakes. Runs until cancelled.
    static func returnFreedMemoryWhenIdle(_ listener: RLPxListener) async {
        #if canImport(Glibc)
            var trimmed = true
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let idle = listener.sessionCount == 0 && listener.pendingCount == 0
                if idle, !trimmed { _ = malloc_trim(0) }
                trimmed = idle
            }
        #endif
    }
}
