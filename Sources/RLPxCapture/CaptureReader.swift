// SPDX-License-Identifier: Apache-2.0
import CPcap

/// One packet of a capture file as libpcap returns it.
public struct CapturedPacket: Sendable {
    /// Seconds since the epoch.
    public var time: Double
    /// The link-layer type of the file (DLT_*).
    public var linkType: Int32
    public var bytes: [UInt8]

    public init(time: Double, linkType: Int32, bytes: [UInt8]) {
        self.time = time
        self.linkType = linkType
        self.bytes = bytes
    }
}

/// Reads pcap and pcapng files through Debian's libpcap.
public enum CaptureReader {
    /// Calls `body` with every packet of the file at `path`, in file order.
    public static func forEachPacket(path: String, _ body: (CapturedPacket) throws -> Void) throws {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline(path, &errorBuffer) else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CaptureError(.unreadableCapture, "cannot read capture \(path): \(message)")
        }
        defer { pcap_close(handle) }
        let linkType = pcap_datalink(handle)
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &header, &data)
            if status == 1, let header, let data {
                let length = Int(header.pointee.caplen)
                let time = Double(header.pointee.ts.tv_sec) + Double(header.pointee.ts.tv_usec) / 1e6
                try body(CapturedPacket(time: time, linkType: linkType, bytes: Array(UnsafeBufferPointer(start: data, count: length))))
            } else if status == 0 {
                continue
            } else if status == PCAP_ERROR_BREAK {
                return
            } else {
                throw CaptureError(.damagedCapture, "capture \(path) is damaged: \(String(cString: pcap_geterr(handle)))")
            }
        }
    }
}
