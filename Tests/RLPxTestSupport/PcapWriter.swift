// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Writes classic pcap files of TCP connections and UDP datagrams over IPv4 or IPv6, with Ethernet, Linux cooked (SLL2), loopback
/// (NULL) or raw-IP framing: captures for tests, built from known bytes.
public struct PcapWriter {
    public enum Link: UInt32, Sendable {
        case null = 0
        case ethernet = 1
        case raw = 101
        case linuxSLL = 113
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
        record(ip: ip, v6: v6, time: time)
    }

    /// One UDP datagram from `source` to `destination` (addresses of 4 or 16 bytes).
    public mutating func datagram(time: Double, source: ([UInt8], UInt16), destination: ([UInt8], UInt16), payload: [UInt8]) {
        let v6 = source.0.count == 16
        let udp = be16(source.1) + be16(destination.1) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        var ip: [UInt8]
        if v6 {
            ip = [0x60, 0, 0, 0] + be16(UInt16(udp.count)) + [17, 64] + source.0 + destination.0
        } else {
            ip = [0x45, 0] + be16(UInt16(20 + udp.count)) + [0, 0, 0x40, 0, 64, 17, 0, 0] + source.0 + destination.0
        }
        record(ip: ip + udp, v6: v6, time: time)
    }

    /// One packet record: `ip` in this writer's link framing.
    private mutating func record(ip: [UInt8], v6: Bool, time: Double) {
        var frame: [UInt8]
        switch link {
        case .ethernet: frame = [UInt8](repeating: 2, count: 12) + (v6 ? [0x86, 0xdd] : [0x08, 0x00]) + ip
        case .null: frame = (v6 ? [10, 0, 0, 0] : [2, 0, 0, 0]) + ip
        case .raw: frame = ip
        case .linuxSLL: frame = [0, 0, 0, 1, 0, 6] + [UInt8](repeating: 0, count: 8) + (v6 ? [0x86, 0xdd] : [0x08, 0x00]) + ip
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

    /// The packets of a classic pcap file (as this writer makes them) as pcapng: a section header, one interface,
    /// and an enhanced packet block per packet.
    public static func pcapng(from classic: [UInt8]) -> [UInt8] {
        let bytes = classic
        let link = UInt32(bytes[20]) | UInt32(bytes[21]) << 8
        func u32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func u16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        func block(_ type: UInt32, _ body: [UInt8]) -> [UInt8] {
            let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            let length = UInt32(12 + padded.count)
            return u32(type) + u32(length) + padded + u32(length)
        }
        var out = block(0x0a0d_0d0a, u32(0x1a2b_3c4d) + u16(1) + u16(0) + [UInt8](repeating: 0xff, count: 8))
        out += block(1, u16(UInt16(link)) + u16(0) + u32(262_144))
        var offset = 24
        while offset + 16 <= bytes.count {
            let seconds = UInt64(bytes[offset]) | UInt64(bytes[offset + 1]) << 8 | UInt64(bytes[offset + 2]) << 16 | UInt64(bytes[offset + 3]) << 24
            let micros =
                UInt64(bytes[offset + 4]) | UInt64(bytes[offset + 5]) << 8 | UInt64(bytes[offset + 6]) << 16 | UInt64(bytes[offset + 7]) << 24
            let length = Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16 | Int(bytes[offset + 11]) << 24
            let time = seconds * 1_000_000 + micros
            let packet = Array(bytes[(offset + 16)..<(offset + 16 + length)])
            out += block(6, u32(0) + u32(UInt32(time >> 32)) + u32(UInt32(time & 0xffff_ffff)) + u32(UInt32(length)) + u32(UInt32(length)) + packet)
            offset += 16 + length
        }
        return out
    }

    private mutating func append32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    private mutating func append16(_ value: UInt16) { bytes += withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    private func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
    private func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
}
