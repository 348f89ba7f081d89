// SPDX-License-Identifier: Apache-2.0
import CPcap
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Captures packets from a network interface into a pcap file while something else runs (the probe writes its own
/// evidence this way), through libpcap. Needs the capture permission (root or CAP_NET_RAW).
public final class LiveCapture: @unchecked Sendable {
    // `handle` and `dumper` are used by the capture thread until `stop()` has waited for it.
    private let handle: OpaquePointer
    private let dumper: OpaquePointer
    private let finished = DispatchSemaphore(value: 0)

    /// Starts capturing on `interface` the packets `filter` (BPF syntax) selects, into `path`.
    public init(interface: String, filter: String, path: String) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw CaptureError(.liveCaptureFailed, "cannot capture on \(interface): \(String(cString: errorBuffer))")
        }
        pcap_set_snaplen(handle, 262_144)
        pcap_set_timeout(handle, 50)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_buffer_size(handle, 16 << 20)
        let status = pcap_activate(handle)
        guard status >= 0 else {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw CaptureError(.liveCaptureFailed, "cannot capture on \(interface): \(reason)")
        }
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0, pcap_setfilter(handle, &program) == 0 else {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw CaptureError(.liveCaptureFailed, "capture filter \(filter): \(reason)")
        }
        pcap_freecode(&program)
        guard let dumper = pcap_dump_open(handle, path) else {
            let reason = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw CaptureError(.liveCaptureFailed, "cannot write \(path): \(reason)")
        }
        self.handle = handle
        self.dumper = dumper
        DispatchQueue(label: "rlpx.capture").async { [self] in
            // pcap_dispatch returns after each read timeout, so a break is seen promptly.
            while pcap_dispatch(
                self.handle, -1,
                { user, header, bytes in
                    pcap_dump(user, header, bytes)
                }, UnsafeMutableRawPointer(self.dumper).assumingMemoryBound(to: UInt8.self)) >= 0
            {}
            self.finished.signal()
        }
    }

    /// Stops capturing once what the kernel already holds is written, and closes the file.
    public func stop() {
        usleep(200_000)
        pcap_breakloop(handle)
        finished.wait()
        pcap_dump_close(dumper)
        pcap_close(handle)
    }
}
