// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
#if canImport(Glibc)
import CMalloc
#endif

/// `rlpx-tool`: look inside devp2p RLPx bytes, and talk to peers.
@main
struct RLPxTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlpx-tool",
        abstract: "Decode and check Ethereum devp2p RLPx wire data, and talk to peers.",
        version: "0.1.0",
        subcommands: [Decode.self, ForkIDCommand.self, Ping.self, Serve.self, Send.self, Load.self, Conformance.self, Probe.self]
    )

    static func main() async {
        keepFreedMemoryForReuse()
        await main(nil)
    }

    /// Frames and their buffers (up to megabytes each) are allocated and freed at a high rate. glibc's defaults give
    /// every freed block above 128 KiB back to the kernel, and trim the heap top of the worker threads' arenas,
    /// so each new frame faults its pages in again (a third of a 64 KiB capture replay's time). The tool keeps up to
    /// 64 MiB of freed memory and maps only blocks above 4 MiB. A process-wide choice, so the tool makes it, not the
    /// library.
    private static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
        #endif
    }
}
