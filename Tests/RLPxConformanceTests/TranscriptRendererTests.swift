// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLP
import RLPxCapture
import RLPxConformance
import RLPxEvents
import RLPxInspect
import RLPxTestSupport
import Testing

/// The transcript lines the replay's workers render as bytes are the lines the report formats have always written:
/// checked against those formats built the old way (string interpolation and `JSONValue` objects) on every committed
/// capture and on names and summaries that need escaping.
@Suite struct TranscriptRendererTests {
    /// The text line as reports wrote it before lines were rendered as bytes.
    static func textLine(_ entry: TranscriptEntry, start: Double) -> String {
        "  \(referenceDecimal(entry.time - start, 6)) #\(entry.connection) \(entry.direction) \(entry.protocolName) \(entry.message) \(entry.size) B"
            + (entry.summary.isEmpty ? "" : " \(entry.summary)") + "\n"
    }

    /// The JSON members as reports wrote them before.
    static func members(_ entry: TranscriptEntry) -> [(String, JSONValue)] {
        [
            ("time", .string(referenceDecimal(entry.time, 6))), ("connection", .int(entry.connection)),
            ("direction", .string(entry.direction)), ("protocol", .string(entry.protocolName)),
            ("message", .string(entry.message)), ("size", .int(entry.size)), ("summary", .string(entry.summary)),
        ]
    }

    /// `decimal` as it was computed before it appended bytes.
    static func referenceDecimal(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: scale))
        guard digits > 0 else { return String(whole) }
        let text = String(fraction)
        return "\(value < 0 && whole == 0 ? "-" : "")\(whole)." + String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func rendered(_ style: TranscriptRenderer.Style, _ entry: TranscriptEntry, start: Double = 0) -> String {
        var out: [UInt8] = []
        TranscriptRenderer(style: style).append(entry, start: start, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func decimalsMatchTheReference() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1e-7, -1e-7, 0.0000005, 0.0000015, 1_765_000_000.123456, -3.25, 999.9999996]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: 0...1, using: &generator) * pow(10, Double(Int.random(in: -8...9, using: &generator)))
            values.append(Bool.random(using: &generator) ? magnitude : -magnitude)
        }
        for value in values {
            for digits in [0, 1, 3, 6] {
                #expect(decimal(value, digits) == Self.referenceDecimal(value, digits), "\(value) \(digits)")
            }
        }
        for value in [0, 7, -7, 10, 1_000_000, Int.max, Int.min, -1_234_567_890] {
            var out: [UInt8] = []
            DecimalText.append(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }

    @Test func namesAndSummariesThatNeedEscaping() throws {
        let odd = ["plain", "quote \" and \\ back", "tab\tnew\nline\r", "\u{01}\u{1f}\u{7f}", "héllo → ☃ 🦀", ""]
        for (index, text) in odd.enumerated() {
            let entry = TranscriptEntry(
                time: 1_765_000_000.25 + Double(index), connection: index, side: index % 2 == 0 ? .initiator : .recipient,
                protocolName: text + "/1", message: text, size: index * 1000, summary: text)
            #expect(Self.rendered(.text, entry, start: 1_765_000_000) == Self.textLine(entry, start: 1_765_000_000))
            #expect(Self.rendered(.jsonLines, entry) == JSONValue.object([("type", .string("message"))] + Self.members(entry)).rendered() + "\n")
            #expect(Self.rendered(.json, entry) == "," + JSONValue.object(Self.members(entry)).rendered())
            let line = Self.rendered(.jsonLines, entry)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(parsed["summary"] as? String == text && parsed["protocol"] as? String == text + "/1")
        }
    }

    /// A message's line (its protocol label written from name and version) is its entry's line.
    @Test func aMessageRendersAsItsEntry() {
        for name in ["eth", "we\"ird", "snap"] {
            let message = DecodedMessage.subprotocol(name, version: 68, code: 3, wireCode: 19, payload: [0xc3, 0x01, 0x02, 0x03])
            let entry = TranscriptEntry(connection: 4, time: 12.5, side: .recipient, message: message)
            for style in [TranscriptRenderer.Style.text, .jsonLines, .json] {
                var out: [UInt8] = []
                TranscriptRenderer(style: style).append(connection: 4, time: 12.5, side: .recipient, message: message, start: 2, to: &out)
                #expect(String(decoding: out, as: UTF8.self) == Self.rendered(style, entry, start: 2))
            }
        }
    }

    /// What `conformance --transcript` writes (lines rendered by the workers, two of them) is what the old formats
    /// make of the same capture's entries, for every committed capture. The replays block: they run off the shared
    /// pool, which the suite's other tests need.
    @Test(arguments: Vectors.rlpxCaptures) func workersWriteTheOldLines(name: String) async throws {
        let path = Vectors.projectRoot.appendingPathComponent("Vectors/captures/\(name)/capture.pcap").path
        let keyLog = String(decoding: try Vectors.projectData("captures/\(name)/keylog.txt"), as: UTF8.self)
        let formats: [ReportWriter.Format] = [.text, .jsonl, .json]
        let (report, written) = try await Tool.detached { () throws -> (ConformanceReport, [(text: String, start: Double)]) in
            let report = try ConformanceReport.run(capture: path, keyLogText: keyLog)
            let written = try formats.map { format in
                var out: [UInt8] = []
                var start = 0.0
                var writer = ReportWriter(format: format, rules: report.rules, transcript: true) { out += $0 }
                guard let renderer = writer.transcriptRenderer else { return (text: "", start: start) }
                _ = try ConformanceReport.replay(
                    capture: path, keyLogText: keyLog, jobs: 2,
                    started: {
                        start = $0
                        writer.start(at: $0)
                    },
                    transcript: .rendered(renderer) { writer.add(renderedTranscript: $0) }, findings: { _ in })
                return (text: String(decoding: out, as: UTF8.self), start: start)
            }
            return (report, written)
        }
        for (format, (text, start)) in zip(formats, written) {
            let expected: [String] =
                switch format {
                case .text: report.transcript.map { Self.textLine($0, start: start) }
                case .jsonl: report.transcript.map { JSONValue.object([("type", .string("message"))] + Self.members($0)).rendered() + "\n" }
                default: report.transcript.map { JSONValue.object(Self.members($0)).rendered() }
                }
            let lines: [String] =
                switch format {
                case .text: text.split(separator: "\n").dropFirst().map { $0 + "\n" }
                case .jsonl: text.split(separator: "\n").map { $0 + "\n" }
                default: splitMembers(String(text.dropFirst(#"{"transcript":["#.count)))
                }
            if format == .json {
                let parsed = try JSONSerialization.jsonObject(with: Data((text + "]}").utf8)) as? [String: Any]
                #expect((parsed?["transcript"] as? [Any])?.count == expected.count)
            }
            // One connection's lines keep their order; connections interleave as the workers deliver.
            #expect(lines.count == expected.count, "\(format)")
            #expect(Set(lines) == Set(expected), "\(format)")
            for connection in Set(report.transcript.map(\.connection)) {
                let tag = format == .text ? " #\(connection) " : "\"connection\":\(connection),"
                #expect(lines.filter { $0.contains(tag) } == expected.filter { $0.contains(tag) }, "\(format) #\(connection)")
            }
        }
    }

    /// The JSON transcript's members, split at the commas between top-level objects.
    func splitMembers(_ text: String) -> [String] {
        var members: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        for character in text {
            current.append(character)
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 {
                    members.append(current.hasPrefix(",") ? String(current.dropFirst()) : current)
                    current = ""
                }
            default: break
            }
        }
        return members
    }
}
