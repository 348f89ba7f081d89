// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Writes classic pcap files of TCP connections over IPv4 or IPv6, with Ethernet, Linux cooked (SLL2), loopback
/// (NULL) or raw-IP framing: captures for tests, built from known bytes.
public struct PcapWriter {
    public enum Link: UInt32, Sendable {
        case null = 0
        case ethernet = 1
        case raw = 101
        case linuxSLL2 = 276
    }

    public let link: Link
    public private(set) var bytes: [UInt8]

    public init(link: Link = .ethernet) {
        self.link = link
        bytes = []
        append32(0xa1b2_c3d4)
        append16(2)
        append16(4)
        append32(0)
        append32(0)
        append32(262_144)
        append32(link.rawValue)
    }

    /// One TCP segment from `source` to `destination` (addresses of 4 or 16 bytes).
    public mutating func segment(
        time: Double, source: ([UInt8], UInt16), destination: ([UInt8], UInt16), sequence: UInt32,
        syn: Bool = false, ack: Bool = true, fin: Bool = false, payload: [UInt8] = []
    ) {
        let v6 = source.0.count == 16
        var tcp: [UInt8] = []
        tcp += be16(source.1) + be16(destination.1) + be32(sequence) + be32(0)
        tcp += [0x50, (syn ? 0x02 : 0) | (ack ? 0x10 : 0) | (fin ? 0x01 : 0)] + be16(65535) + [0, 0, 0, 0]
        tcp += payload
        var ip: [UInt8]
        if v6 {
            ip = [0x60, 0, 0, 0] + be16(UInt16(tcp.count)) + [6, 64] + source.0 + destination.0
        } else {
            ip = [0x45, 0] + be16(UInt16(20 + tcp.count)) + [0, 0, 0x40, 0, 64, 6, 0, 0] + source.0 + destination.0
        }
        ip += tcp
        var frame: [UInt8]
        switch link {
        case .ethernet: frame = [UInt8](repeating: 2, count: 12) + (v6 ? [0x86, 0xdd] : [0x08, 0x00]) + ip
        case .null: frame = (v6 ? [10, 0, 0, 0] : [2, 0, 0, 0]) + ip
        case .raw: frame = ip
        case .linuxSLL2: frame = (v6 ? [0x86, 0xdd] : [0x08, 0x00]) + [0, 0] + [0, 0, 0, 1] + [0, 1, 0, 6] + [UInt8](repeating: 0, count: 8) + ip
        }
        let seconds = UInt32(time)
        append32(seconds)
        append32(UInt32((time - Double(seconds)) * 1_000_000))
        append32(UInt32(frame.count))
        append32(UInt32(frame.count))
        bytes += frame
    }

    public func write(to url: URL) throws { try Data(bytes).write(to: url) }

    private mutating func append32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    private mutating func append16(_ value: UInt16) { bytes += withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    private func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
    private func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
}
