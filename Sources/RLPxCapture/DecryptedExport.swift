// SPDX-License-Identifier: Apache-2.0
import RLPxEvents

/// Writes the decoded messages of a replay as pcapng, one packet per message in capture order, for Wireshark with
/// the dissector in `Tools/wireshark/rlpx.lua`. Packets use link type USER0 (147); each holds one record, big-endian:
///
/// ```
/// "RLPX" | format 2 (u8) | side (u8: 0 initiator→recipient, 1 recipient→initiator) | connection (u32)
/// | protocol name (u8 length, bytes) | protocol version (u8, 0 for p2p) | code (u32, in its protocol)
/// | wire code (u32) | initiator endpoint (u8 length, text) | recipient endpoint (u8 length, text)
/// | summary (u16 length, text: what the transcript prints after the name, `key=value` words)
/// | payload (the rest: the message's RLP after decompression)
/// ```
///
/// Format 1 had no summary.
public struct DecryptedExport {
    /// pcapng's link type for the first user-defined encapsulation.
    public static let linkType: UInt16 = 147
    public static let magic: [UInt8] = Array("RLPX".utf8)
    public static let format: UInt8 = 2
    private var endpoints: [Int: (initiator: String, recipient: String)] = [:]
    /// Packets kept by ``add(_:)`` with their capture time, in the order they came.
    private var pending: [(time: Double, packet: [UInt8])] = []

    public init() {}

    /// The section header and interface description that open the file.
    public static var fileHeader: [UInt8] {
        var section: [UInt8] = []
        append32(&section, 0x1A2B_3C4D)  // byte-order magic
        append16(&section, 1)
        append16(&section, 0)  // version 1.0
        append64(&section, UInt64.max)  // section length unknown
        var interface: [UInt8] = []
        append16(&interface, linkType)
        append16(&interface, 0)
        append32(&interface, 0)  // no snap length
        // if_tsresol: microseconds (the default, written for clarity), then the end of options.
        append16(&interface, 9)
        append16(&interface, 1)
        interface += [6, 0, 0, 0]
        append32(&interface, 0)
        return block(type: 0x0A0D_0D0A, body: section) + block(type: 1, body: interface)
    }

    /// Keeps the packet for `event`, if it is a message, for ``finish()``. A replay hands events out a connection
    /// at a time (and decrypts each side ahead of the other), so the file is only in capture order once sorted.
    public mutating func add(_ event: ConnectionEvent) {
        if let packet = packet(for: event) { pending.append((event.time, packet)) }
    }

    /// Every packet ``add(_:)`` kept, in capture order (messages of one time in the order they came).
    public mutating func finish() -> [UInt8] {
        let ordered = pending.indices.sorted { (pending[$0].time, $0) < (pending[$1].time, $1) }
        defer { pending = [] }
        return ordered.flatMap { pending[$0].packet }
    }

    /// The packet for `event` when it is a message (nil otherwise); remembers endpoints from `opened`.
    public mutating func packet(for event: ConnectionEvent) -> [UInt8]? {
        switch event.kind {
        case .opened(let initiator, let recipient):
            endpoints[event.connection] = (initiator, recipient)
            return nil
        case .closed:
            endpoints[event.connection] = nil
            return nil
        case .message(let side, let message):
            var record = Self.magic
            record.append(Self.format)
            record.append(side == .initiator ? 0 : 1)
            Self.appendBigEndian(&record, UInt32(truncatingIfNeeded: event.connection))
            Self.appendText(&record, message.protocolName)
            record.append(UInt8(truncatingIfNeeded: message.version ?? 0))
            Self.appendBigEndian(&record, UInt32(truncatingIfNeeded: message.code))
            Self.appendBigEndian(&record, UInt32(truncatingIfNeeded: message.wireCode))
            let ends = endpoints[event.connection]
            Self.appendText(&record, ends?.initiator ?? "")
            Self.appendText(&record, ends?.recipient ?? "")
            let summary = Array(message.summary.utf8.prefix(Int(UInt16.max)))
            record += [UInt8(summary.count >> 8), UInt8(summary.count & 0xff)] + summary
            record += message.payload
            let micros = event.time > 0 && event.time < 1.8e13 ? UInt64(event.time * 1_000_000) : 0
            var body: [UInt8] = []
            Self.append32(&body, 0)  // interface 0
            Self.append32(&body, UInt32(truncatingIfNeeded: micros >> 32))
            Self.append32(&body, UInt32(truncatingIfNeeded: micros))
            Self.append32(&body, UInt32(truncatingIfNeeded: record.count))
            Self.append32(&body, UInt32(truncatingIfNeeded: record.count))
            body += record
            body += Array(repeating: 0, count: (4 - record.count % 4) % 4)
            Self.append32(&body, 0)  // no options
            return Self.block(type: 6, body: body)
        default:
            return nil
        }
    }

    static func block(type: UInt32, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let length = UInt32(truncatingIfNeeded: body.count &+ 12)
        append32(&out, type)
        append32(&out, length)
        out += body
        append32(&out, length)
        return out
    }

    static func appendText(_ out: inout [UInt8], _ text: String) {
        let bytes = Array(text.utf8.prefix(255))
        out.append(UInt8(bytes.count))
        out += bytes
    }

    static func appendBigEndian(_ out: inout [UInt8], _ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { out += $0 } }

    // pcapng is written in the writer's byte order, declared by the byte-order magic: little-endian here.
    static func append16(_ out: inout [UInt8], _ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
    static func append32(_ out: inout [UInt8], _ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
    static func append64(_ out: inout [UInt8], _ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
}
