// SPDX-License-Identifier: Apache-2.0
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

    /// The fixed pieces of a line, as bytes (appending an array copies it; appending a string's view does not).
    private enum Piece {
        static let jsonLinesStart = Array(#"{"type":"message","time":""#.utf8)
        static let jsonStart = Array(#",{"time":""#.utf8)
        static let connection = Array(#"","connection":"#.utf8)
        static let direction = Array(#","direction":""#.utf8)
        static let protocolName = Array(#"","protocol":"#.utf8)
        static let message = Array(#","message":"#.utf8)
        static let size = Array(#","size":"#.utf8)
        static let summary = Array(#","summary":"#.utf8)
    }

    // The members in the order JSON reports give them; text writes the same values on one line.
    private func append(
        time: Double, connection: Int, side: Side, protocolName: String, version: UInt?, name: String, size: Int,
        summary: String, start: Double, to out: inout [UInt8]
    ) {
        switch style {
        case .text:
            out.append(UInt8(ascii: " "))
            out.append(UInt8(ascii: " "))
            appendDecimal(time - start, 6, to: &out)
            out.append(UInt8(ascii: " "))
            out.append(UInt8(ascii: "#"))
            appendInteger(connection, to: &out)
            out.append(UInt8(ascii: " "))
            out += Self.directions[side]
            out.append(UInt8(ascii: " "))
            Self.appendRaw(protocolName, to: &out)
            if let version {
                out.append(UInt8(ascii: "/"))
                appendInteger(Int(version), to: &out)
            }
            out.append(UInt8(ascii: " "))
            Self.appendRaw(name, to: &out)
            out.append(UInt8(ascii: " "))
            appendInteger(size, to: &out)
            out.append(UInt8(ascii: " "))
            out.append(UInt8(ascii: "B"))
            if !summary.isEmpty {
                out.append(UInt8(ascii: " "))
                Self.appendRaw(summary, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        case .jsonLines, .json:
            out += style == .json ? Piece.jsonStart : Piece.jsonLinesStart
            appendDecimal(time, 6, to: &out)
            out += Piece.connection
            appendInteger(connection, to: &out)
            out += Piece.direction
            out += Self.directions[side]
            out += Piece.protocolName
            JSONValue.appendString(protocolName, to: &out)
            if let version {
                // The label `name/version` as one string: the name quoted and escaped, its closing quote after
                // the version.
                out[out.count - 1] = UInt8(ascii: "/")
                appendInteger(Int(version), to: &out)
                out.append(UInt8(ascii: "\""))
            }
            out += Piece.message
            JSONValue.appendString(name, to: &out)
            out += Piece.size
            appendInteger(size, to: &out)
            out += Piece.summary
            JSONValue.appendString(summary, to: &out)
            out.append(UInt8(ascii: "}"))
            if style == .jsonLines { out.append(UInt8(ascii: "\n")) }
        }
    }

    /// Appends `text`'s UTF-8 as it is.
    private static func appendRaw(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out += $0 }
    }
}
