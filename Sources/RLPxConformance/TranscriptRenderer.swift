// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCapture
import RLPxEvents
import RLPxInspect

/// Transcript lines in a report format, appended as UTF-8 bytes. The replay's workers render each message as they
/// read it (``TranscriptOutput/rendered(_:_:)``), so the report's writer only copies bytes; ``ReportWriter`` renders
/// ``TranscriptEntry`` values with the same code.
public struct TranscriptRenderer: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        /// `  0.000123 #1 initiator→recipient eth/68 Status 90 B summary`, times counted from the capture's start.
        case text
        /// One `{"type":"message",…}` object a line.
        case jsonLines
        /// The members of the JSON report's `transcript` array, each after a comma (the writer drops the first).
        case json
    }

    public let style: Style

    public init(style: Style) { self.style = style }

    /// The renderer for a report format with a transcript (text, JSON, JSON Lines); nil for the others.
    public init?(format: ReportWriter.Format) {
        switch format {
        case .text: style = .text
        case .jsonl: style = .jsonLines
        case .json: style = .json
        case .tap, .junit, .html: return nil
        }
    }

    /// Appends the line of one message read on `connection`; `start` is the time text lines count from.
    public func append(
        connection: Int, time: Double, side: Side, message: DecodedMessage, start: Double, to out: inout [UInt8]
    ) {
        append(
            time: time, connection: connection, side: side, protocolName: message.protocolName, version: message.version,
            name: message.name, size: message.payload.count, summary: message.summary, start: start, to: &out)
    }

    /// Appends the line of one transcript entry; `start` is the time text lines count from.
    public func append(_ entry: TranscriptEntry, start: Double, to out: inout [UInt8]) {
        append(
            time: entry.time, connection: entry.connection, side: entry.side, protocolName: entry.protocolName, version: nil,
            name: entry.message, size: entry.size, summary: entry.summary, start: start, to: &out)
    }

    private static let directions: BothSides<[UInt8]> = BothSides(
        initiator: Array(Side.initiator.direction.utf8), recipient: Array(Side.recipient.direction.utf8))

    /// The fixed pieces of a line, as bytes.
    private enum Piece {
        static let jsonLinesStart = Array(#"{"type":"message","time":""#.utf8)
        static let jsonStart = Array(#",{"time":""#.utf8)
        static let connection = Array(#"","connection":"#.utf8)
        static let direction = Array(#","direction":""#.utf8)
        static let protocolName = Array(#"","protocol":"#.utf8)
        static let message = Array(#","message":"#.utf8)
        static let size = Array(#","size":"#.utf8)
        static let summary = Array(#","summary":"#.utf8)
        /// The fixed pieces together, the direction, and every number at its longest, with room to spare.
        static let room = 256
    }

    // The members in the order JSON reports give them; text writes the same values on one line. The line is
    // written through a pointer into room made once (the strings' longest escaped forms plus the fixed parts).
    private func append(
        time: Double, connection: Int, side: Side, protocolName: String, version: UInt?, name: String, size: Int,
        summary: String, start: Double, to out: inout [UInt8]
    ) {
        var (protocolName, name, summary) = (protocolName, name, summary)
        let direction = Self.directions[side]
        protocolName.withUTF8 { protocolBytes in
            name.withUTF8 { nameBytes in
                summary.withUTF8 { summaryBytes in
                    let room = Piece.room + JSONValue.quotedLength(protocolBytes.count + nameBytes.count + summaryBytes.count)
                    out.appendWriting(atMost: room) { base in
                        var line = LineWriter(base: base)
                        switch style {
                        case .text:
                            line.put(UInt8(ascii: " "))
                            line.put(UInt8(ascii: " "))
                            line.count += DecimalText.writeDecimal(time - start, 6, to: line.next)
                            line.put(UInt8(ascii: " "))
                            line.put(UInt8(ascii: "#"))
                            line.count += DecimalText.writeInteger(connection, to: line.next)
                            line.put(UInt8(ascii: " "))
                            line.put(direction)
                            line.put(UInt8(ascii: " "))
                            line.put(protocolBytes)
                            if let version {
                                line.put(UInt8(ascii: "/"))
                                line.count += DecimalText.writeInteger(Int(version), to: line.next)
                            }
                            line.put(UInt8(ascii: " "))
                            line.put(nameBytes)
                            line.put(UInt8(ascii: " "))
                            line.count += DecimalText.writeInteger(size, to: line.next)
                            line.put(UInt8(ascii: " "))
                            line.put(UInt8(ascii: "B"))
                            if !summaryBytes.isEmpty {
                                line.put(UInt8(ascii: " "))
                                line.put(summaryBytes)
                            }
                            line.put(UInt8(ascii: "\n"))
                        case .jsonLines, .json:
                            line.put(style == .json ? Piece.jsonStart : Piece.jsonLinesStart)
                            line.count += DecimalText.writeDecimal(time, 6, to: line.next)
                            line.put(Piece.connection)
                            line.count += DecimalText.writeInteger(connection, to: line.next)
                            line.put(Piece.direction)
                            line.put(direction)
                            line.put(Piece.protocolName)
                            line.count += JSONValue.writeString(protocolBytes, to: line.next)
                            if let version {
                                // The label `name/version` as one string: the name quoted and escaped, its
                                // closing quote after the version.
                                line.count -= 1
                                line.put(UInt8(ascii: "/"))
                                line.count += DecimalText.writeInteger(Int(version), to: line.next)
                                line.put(UInt8(ascii: "\""))
                            }
                            line.put(Piece.message)
                            line.count += JSONValue.writeString(nameBytes, to: line.next)
                            line.put(Piece.size)
                            line.count += DecimalText.writeInteger(size, to: line.next)
                            line.put(Piece.summary)
                            line.count += JSONValue.writeString(summaryBytes, to: line.next)
                            line.put(UInt8(ascii: "}"))
                            if style == .jsonLines { line.put(UInt8(ascii: "\n")) }
                        }
                        return line.count
                    }
                }
            }
        }
    }

    /// Writes a line's bytes one piece after another through a pointer to room made for them.
    private struct LineWriter {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        var next: UnsafeMutablePointer<UInt8> { base + count }

        mutating func put(_ byte: UInt8) {
            base[count] = byte
            count += 1
        }

        mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress else { return }
            next.update(from: source, count: bytes.count)
            count += bytes.count
        }

        mutating func put(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { put($0) }
        }
    }
}
