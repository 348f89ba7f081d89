// SPDX-License-Identifier: Apache-2.0
import RLPxCapture
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing

/// The result of replaying a capture: connections, transcript, and the findings of the rules that ran.
public struct ConformanceReport: Sendable {
    public var connections: [ConnectionSummary]
    public var transcript: [TranscriptEntry]
    public var findings: [Finding]
    /// The rules that ran (all, or those `--run` selected).
    public var rules: [Rule]

    /// A capture or key log that cannot be used.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Replays the capture at `path` with the key log `keyLogText`.
    /// - Parameters:
    ///   - rulePattern: run only rules whose identifier contains this text.
    ///   - progress: called with the fraction of packet bytes read, for long captures.
    public static func run(
        capture path: String, keyLogText: String?, protocols: [ProtocolSpec] = [], rulePattern: String? = nil,
        progress: ((Int) -> Void)? = nil
    ) throws -> ConformanceReport {
        let keyLog: [[UInt8]: KeyLogEntry]
        do {
            keyLog = try keyLogText.map { try KeyLogEntry.parse($0) } ?? [:]
        } catch {
            throw InputError(description: "\(error)")
        }
        let replay = CaptureReplay(keyLog: keyLog, protocols: protocols)
        var bytesRead = 0
        do {
            try CaptureReader.forEachPacket(path: path) { packet in
                bytesRead += packet.bytes.count + 16
                progress?(bytesRead)
                if let segment = PacketDissector.tcpSegment(packet) { replay.add(segment) }
            }
        } catch let error as CaptureReader.ReadError {
            throw InputError(description: error.description)
        }
        let connections = replay.finish()
        let rules = Rule.all.filter { rule in rulePattern.map { rule.id.contains($0) } ?? true }
        let ids = Set(rules.map(\.id))
        return ConformanceReport(
            connections: connections, transcript: replay.transcript, findings: replay.findings.filter { ids.contains($0.ruleID) },
            rules: rules)
    }

    /// Findings of error severity: any makes the run fail.
    public var violations: [Finding] { findings.filter { $0.severity == .error } }

    // MARK: Rendering

    public func text(transcript includeTranscript: Bool) -> String {
        var out = ""
        for connection in connections {
            out += "connection \(connection.id) \(connection.initiator) → \(connection.recipient): \(connection.status)"
            if let format = connection.authFormat { out += ", auth \(format) \(connection.authSize ?? 0) B, ack \(connection.ackSize ?? 0) B" }
            out += ", \(connection.bytesFromInitiator) B → / ← \(connection.bytesFromRecipient) B\n"
            for note in connection.notes { out += "  note: \(note)\n" }
        }
        if includeTranscript {
            out += "\ntranscript\n"
            let start = transcript.first?.time ?? 0
            for entry in transcript {
                out += "  \(decimal(entry.time - start, 6)) #\(entry.connection) \(entry.direction) \(entry.protocolName) \(entry.message) \(entry.size) B"
                out += entry.summary.isEmpty ? "\n" : " \(entry.summary)\n"
            }
        }
        out += "\nfindings\n"
        if findings.isEmpty { out += "  none\n" }
        for finding in findings {
            out += "  \(finding.severity.rawValue) \(finding.ruleID) #\(finding.connection)"
            if let side = finding.side { out += " (\(side))" }
            out += ": \(finding.detail)\n"
        }
        out += "\n\(rules.count) rules, \(violations.count) violations, \(findings.count - violations.count) warnings\n"
        return out
    }

    /// Test Anything Protocol: one test per rule.
    public func tap() -> String {
        var out = "TAP version 13\n1..\(rules.count)\n"
        for (index, rule) in rules.enumerated() {
            let broken = findings.filter { $0.ruleID == rule.id }
            let failed = !broken.isEmpty && rule.severity == .error
            out += "\(failed ? "not ok" : "ok") \(index + 1) - \(rule.id): \(rule.statement)"
            if !broken.isEmpty && !failed { out += " # \(broken.count) warnings" }
            out += "\n"
            for finding in broken { out += "  # connection \(finding.connection) \(finding.side ?? ""): \(finding.detail)\n" }
        }
        return out
    }

    public func json(transcript includeTranscript: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("connections", .array(connections.map { connection in
                .object([
                    ("id", .int(connection.id)), ("initiator", .string(connection.initiator.description)),
                    ("recipient", .string(connection.recipient.description)), ("status", .string(connection.status)),
                    ("authFormat", connection.authFormat.map(JSONValue.string) ?? .null),
                    ("bytesFromInitiator", .int(connection.bytesFromInitiator)),
                    ("bytesFromRecipient", .int(connection.bytesFromRecipient)),
                    ("notes", .array(connection.notes.map(JSONValue.string))),
                ])
            })),
            ("rules", .array(rules.map { rule in
                .object([
                    ("id", .string(rule.id)), ("statement", .string(rule.statement)), ("reference", .string(rule.reference)),
                    ("severity", .string(rule.severity.rawValue)),
                    ("findings", .int(findings.filter { $0.ruleID == rule.id }.count)),
                ])
            })),
            ("findings", .array(findings.map { finding in
                .object([
                    ("rule", .string(finding.ruleID)), ("severity", .string(finding.severity.rawValue)),
                    ("connection", .int(finding.connection)), ("side", finding.side.map(JSONValue.string) ?? .null),
                    ("detail", .string(finding.detail)),
                ])
            })),
        ]
        if includeTranscript {
            members.append(("transcript", .array(transcript.map { entry in
                .object([
                    ("time", .string(decimal(entry.time, 6))), ("connection", .int(entry.connection)),
                    ("direction", .string(entry.direction)), ("protocol", .string(entry.protocolName)),
                    ("message", .string(entry.message)), ("size", .int(entry.size)), ("summary", .string(entry.summary)),
                ])
            })))
        }
        return .object(members)
    }
}
