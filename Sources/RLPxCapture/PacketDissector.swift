// SPDX-License-Identifier: Apache-2.0

/// One end of a TCP connection or of a UDP datagram. The address is kept in two words, not an array: a replay makes
/// two endpoints per packet and compares them per segment.
public struct Endpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address's first 8 and next 8 bytes, big-endian, zero-filled.
    private var high: UInt64
    private var low: UInt64
    /// The address's length: 4 (IPv4) or 16 (IPv6); at most 16.
    private var length: UInt8
    public var port: UInt16

    /// - Parameter address: 4 bytes (IPv4) or 16 (IPv6); bytes past the 16th are not kept.
    public init(address: some Collection<UInt8>, port: UInt16) {
        var words: (high: UInt64, low: UInt64) = (0, 0)
        var count = 0
        for byte in address.prefix(16) {
            if count < 8 { words.high |= UInt64(byte) << (56 - 8 * count) } else { words.low |= UInt64(byte) << (120 - 8 * count) }
            count += 1
        }
        (high, low, length) = (words.high, words.low, UInt8(count))
        self.port = port
    }

    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    public var address: [UInt8] {
        get {
            (0..<Int(length)).map { index in
                UInt8(truncatingIfNeeded: index < 8 ? high >> (56 - 8 * index) : low >> (120 - 8 * index))
            }
        }
        set { self = Endpoint(address: newValue, port: port) }
    }

    public var description: String {
        let address = address
        if address.count == 4 { return address.map(String.init).joined(separator: ".") + ":\(port)" }
        let groups = stride(from: 0, to: address.count, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
        return "[" + groups.joined(separator: ":") + "]:\(port)"
    }

    /// By address bytes (lexicographically), then port.
    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        guard lhs.length == rhs.length else { return lhs.address.lexicographicallyPrecedes(rhs.address) }
        return (lhs.high, lhs.low, lhs.port) < (rhs.high, rhs.low, rhs.port)
    }

    /// The same address with another port.
    func with(port: UInt16) -> Endpoint {
        var endpoint = self
        endpoint.port = port
        return endpoint
    }
}

/// A TCP segment taken out of a captured packet.
public struct TCPSegment: Sendable {
    public var time: Double
    public var source: Endpoint
    public var destination: Endpoint
    public var sequence: UInt32
    public var syn: Bool
    public var ack: Bool
    public var fin: Bool
    public var rst: Bool
    public var payload: [UInt8]
}

/// A UDP datagram taken out of a captured packet (discovery traffic).
public struct UDPDatagram: Sendable {
    public var time: Double
    public var source: Endpoint
    public var destination: Endpoint
    public var payload: [UInt8]

    public init(time: Double, source: Endpoint, destination: Endpoint, payload: [UInt8]) {
        self.time = time
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}

/// What a captured packet carries: a TCP segment, a UDP datagram, or neither.
public enum DissectedPacket: Sendable {
    case tcp(TCPSegment)
    case udp(UDPDatagram)
}

/// Link, IP, TCP and UDP headers: Ethernet (with 802.1Q), Linux cooked (SLL, SLL2), loopback (NULL) and raw IP;
/// IPv4 and IPv6. Anything else, fragments included, is skipped.
public enum PacketDissector {
    // Link types (pcap DLT_* values as libpcap reports them on Linux).
    static let null: Int32 = 0, ethernet: Int32 = 1, raw: Int32 = 12, rawLinkType: Int32 = 101, rawAlternative: Int32 = 14
    static let linuxSLL: Int32 = 113, linuxSLL2: Int32 = 276

    /// The TCP segment in `packet`, or nil when it carries none.
    public static func tcpSegment(_ packet: CapturedPacket) -> TCPSegment? {
        if case .tcp(let segment) = dissect(packet) { return segment }
        return nil
    }

    /// The UDP datagram in `packet`, or nil when it carries none.
    public static func udpDatagram(_ packet: CapturedPacket) -> UDPDatagram? {
        if case .udp(let datagram) = dissect(packet) { return datagram }
        return nil
    }

    /// The TCP segment or UDP datagram in `packet`, or nil when it carries neither. The transport is told by the IP
    /// header's protocol byte, one comparison more than reading TCP alone.
    public static func dissect(_ packet: CapturedPacket) -> DissectedPacket? {
        let bytes = packet.bytes
        var offset: Int
        var etherType: UInt16?
        switch packet.linkType {
        case ethernet:
            guard bytes.count >= 14 else { return nil }
            offset = 14
            var type = be16(bytes, 12)
            while type == 0x8100 || type == 0x88a8, bytes.count >= offset + 4 {  // VLAN tags
                type = be16(bytes, offset + 2)
                offset += 4
            }
            etherType = type
        case linuxSLL:
            guard bytes.count >= 16 else { return nil }
            (offset, etherType) = (16, be16(bytes, 14))
        case linuxSLL2:
            guard bytes.count >= 20 else { return nil }
            (offset, etherType) = (20, be16(bytes, 0))
        case null:
            guard bytes.count >= 4 else { return nil }
            offset = 4  // family in host byte order: 2 = IPv4, 10/24/28/30 = IPv6; the IP version nibble decides
        case raw, rawLinkType, rawAlternative:
            offset = 0
        default:
            return nil
        }
        guard offset < bytes.count else { return nil }
        let version = bytes[offset] >> 4
        if let etherType, etherType != 0x0800 && etherType != 0x86dd { return nil }
        switch version {
        case 4: return ipv4(bytes, offset, time: packet.time)
        case 6: return ipv6(bytes, offset, time: packet.time)
        default: return nil
        }
    }

    static func ipv4(_ bytes: [UInt8], _ start: Int, time: Double) -> DissectedPacket? {
        guard bytes.count >= start + 20 else { return nil }
        let headerLength = Int(bytes[start] & 0x0f) * 4
        let totalLength = Int(be16(bytes, start + 2))
        let fragment = be16(bytes, start + 6)
        let proto = bytes[start + 9]
        guard headerLength >= 20, proto == 6 || proto == 17, fragment & 0x3fff == 0 else { return nil }
        let end = min(bytes.count, start + max(totalLength, headerLength))
        return transport(
            proto, bytes, start + headerLength, end: end, source: Endpoint(address: bytes[(start + 12)..<(start + 16)], port: 0),
            destination: Endpoint(address: bytes[(start + 16)..<(start + 20)], port: 0), time: time)
    }

    static func ipv6(_ bytes: [UInt8], _ start: Int, time: Double) -> DissectedPacket? {
        guard bytes.count >= start + 40 else { return nil }
        var next = bytes[start + 6]
        var offset = start + 40
        let end = min(bytes.count, start + 40 + Int(be16(bytes, start + 4)))
        // Hop-by-hop, routing and destination options headers; a fragment header (44) is not followed.
        while next == 0 || next == 43 || next == 60, end >= offset + 8 {
            next = bytes[offset]
            offset += (Int(bytes[offset + 1]) + 1) * 8
        }
        guard next == 6 || next == 17 else { return nil }
        return transport(
            next, bytes, offset, end: end, source: Endpoint(address: bytes[(start + 8)..<(start + 24)], port: 0),
            destination: Endpoint(address: bytes[(start + 24)..<(start + 40)], port: 0), time: time)
    }

    static func transport(
        _ proto: UInt8, _ bytes: [UInt8], _ start: Int, end: Int, source: Endpoint, destination: Endpoint, time: Double
    ) -> DissectedPacket? {
        if proto == 6 {
            return tcp(bytes, start, end: end, source: source, destination: destination, time: time).map(DissectedPacket.tcp)
        }
        // UDP: 8-byte header; the datagram is what its length field covers, within the captured bytes.
        guard end >= start + 8 else { return nil }
        let length = Int(be16(bytes, start + 4))
        guard length >= 8 else { return nil }
        return .udp(
            UDPDatagram(
                time: time, source: source.with(port: be16(bytes, start)),
                destination: destination.with(port: be16(bytes, start + 2)),
                payload: Array(bytes[(start + 8)..<min(end, start + length)])))
    }

    /// `source` and `destination` carry the addresses; the ports are read here.
    static func tcp(_ bytes: [UInt8], _ start: Int, end: Int, source: Endpoint, destination: Endpoint, time: Double) -> TCPSegment? {
        guard end >= start + 20 else { return nil }
        let dataOffset = Int(bytes[start + 12] >> 4) * 4
        guard dataOffset >= 20, start + dataOffset <= end else { return nil }
        let flags = bytes[start + 13]
        return TCPSegment(
            time: time, source: source.with(port: be16(bytes, start)),
            destination: destination.with(port: be16(bytes, start + 2)),
            sequence: UInt32(be16(bytes, start + 4)) << 16 | UInt32(be16(bytes, start + 6)),
            syn: flags & 0x02 != 0, ack: flags & 0x10 != 0, fin: flags & 0x01 != 0, rst: flags & 0x04 != 0,
            payload: Array(bytes[(start + dataOffset)..<end]))
    }

    static func be16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
