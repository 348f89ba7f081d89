// SPDX-License-Identifier: Apache-2.0
import Discv5
import RLPxCapture
import RLPxEvents
import RLPxHandshake
import RLPxInspect
import RLPxMultiplexing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One decoded message of the transcript.
public struct TranscriptEntry: Sendable, Hashable {
    public var time: Double
    public var connection: Int
    public var side: Side
    /// `p2p`, a matched protocol as name/version, or `?` when no range holds the code.
    public var protocolName: String
    /// The specification's message name, or `code N`.
    public var message: String
    /// Payload bytes (after decompression).
    public var size: Int
    public var summary: String

    public init(
        time: Double, connection: Int, side: Side, protocolName: String, message: String, size: Int, summary: String
    ) {
        self.time = time
        self.connection = connection
        self.side = side
        self.protocolName = protocolName
        self.message = message
        self.size = size
        self.summary = summary
    }

    public init(connection: Int, time: Double, side: Side, message: DecodedMessage) {
        self.time = time
        self.connection = connection
        self.side = side
        protocolName = message.protocolLabel
        self.message = message.name
        size = message.payload.count
        summary = message.summary
    }

    /// `initiator→recipient` or `recipient→initiator`.
    public var direction: String { side.direction }
}

/// Where a replay's transcript goes: each message as a ``TranscriptEntry``, or lines already rendered by the
/// workers that read them (a report's writer then only copies bytes; see ``ReportWriter/transcriptRenderer``).
public enum TranscriptOutput {
    /// Each message as an entry, in one call each.
    case entries((TranscriptEntry) -> Void)
    /// Lines rendered by the renderer, many in one call.
    case rendered(TranscriptRenderer, ([UInt8]) -> Void)
}

/// How far a replay has got.
public struct ReplayProgress: Sendable, Hashable {
    /// Capture bytes read (packets and their record headers).
    public var bytes: Int
    /// Messages the workers have read (as of their last finished batch while the replay runs).
    public var messages: Int
    /// Connections opened (SYNs seen) so far.
    public var connections: Int

    public init(bytes: Int, messages: Int, connections: Int) {
        self.bytes = bytes
        self.messages = messages
        self.connections = connections
    }
}

/// The result of replaying a capture: connections, transcript, and the findings of the rules that ran.
public struct ConformanceReport: Sendable {
    public var connections: [ConnectionSummary]
    public var transcript: [TranscriptEntry]
    public var findings: [Finding]
    /// The rules that ran (all, or those `--run` selected).
    public var rules: [RuleDescriptor]

    /// Replays the capture at `path` with the key log `keyLogText`, handing out transcript entries and findings as
    /// they happen; nothing is kept beyond each connection's rule states. Connections are replayed on `jobs` workers
    /// at once (one per processor by default); the callbacks are called one at a time, each connection's in order.
    /// - Parameters:
    ///   - started: called with the time of the capture's first packet, before any other callback.
    ///   - events: every event, before the rules read it (for exports).
    ///   - rules: the rules to run (selected before the run: the others are never made).
    ///   - progress: called as the capture is read (every 256 KiB or so), and once more with the totals at the end.
    ///   - selection: the connections to replay (`--connection`, `--shard`); the others are numbered, then skipped.
    /// - Returns: every replayed connection's summary.
    public static func replay(
        capture path: String, keyLogText: String?, protocols: [ProtocolSpec] = [],
        rules: [any ConnectionRule.Type] = RuleRegistry.all, configuration: RuleConfiguration = RuleConfiguration(),
        selection: ConnectionSelection = ConnectionSelection(), jobs: Int? = nil, progress: ((ReplayProgress) -> Void)? = nil,
        started: ((Double) -> Void)? = nil,
        events: ((ConnectionEvent) -> Void)? = nil,
        transcript: TranscriptOutput?, findings: (Finding) -> Void
    ) throws -> [ConnectionSummary] {
        let keyLog: [[UInt8]: KeyLogEntry]
        let discv5KeyLog: [Discv5KeyLogEntry]
        do {
            keyLog = try keyLogText.map { try KeyLogEntry.parse($0) } ?? [:]
            discv5KeyLog = try keyLogText.map { try Discv5KeyLogEntry.parse($0) } ?? []
        } catch {
            throw ConformanceError(.invalidKeyLog, "\(error)")
        }
        return try withoutActuallyEscaping(findings) { findings in
            let replay = ParallelReplay(
                workers: jobs ?? Self.processorCount, keyLog: keyLog, protocols: protocols, rules: rules,
                configuration: configuration, output: .init(events: events, transcript: transcript, findings: findings),
                selection: selection, discv5KeyLog: discv5KeyLog)
            var bytesRead = 0
            var reported = 0
            do {
                try CaptureReader.forEachPacket(path: path) { packet in
                    if bytesRead == 0 {
                        replay.start(at: packet.time)
                        started?(packet.time)
                    }
                    bytesRead += packet.bytes.count + 16
                    if let progress, bytesRead - reported >= ParallelReplay.batchBytes {
                        reported = bytesRead
                        progress(replay.progress(bytes: bytesRead))
                    }
                    switch PacketDissector.dissect(packet) {
                    case .tcp(let segment): replay.add(segment)
                    case .udp(let datagram): replay.add(datagram)
                    case nil: break
                    }
                }
            } catch let error as CaptureError {
                _ = replay.finish()
                throw ConformanceError(.unreadableCapture, error.reason)
            }
            let summaries = replay.finish()
            progress?(replay.progress(bytes: bytesRead))
            return summaries
        }
    }

    /// The processors online: how many workers a replay uses by default.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Replays the capture at `path` and keeps everything for one report.
    /// - Parameter rules: the rules to run (``RuleRegistry/select(_:)`` picks them by identifier).
    public static func run(
        capture path: String, keyLogText: String?, protocols: [ProtocolSpec] = [],
        rules: [any ConnectionRule.Type] = RuleRegistry.all, configuration: RuleConfiguration = RuleConfiguration(),
        keepTranscript: Bool = true, progress: ((ReplayProgress) -> Void)? = nil
    ) throws -> ConformanceReport {
        var transcript: [TranscriptEntry] = []
        var findings: [Finding] = []
        let connections = try replay(
            capture: path, keyLogText: keyLogText, protocols: protocols, rules: rules, configuration: configuration,
            progress: progress,
            transcript: keepTranscript ? .entries { transcript.append($0) } : nil, findings: { findings.append($0) })
        findings.sort { ($0.connection, $0.time) < ($1.connection, $1.time) }
        // Workers interleave connections in no fixed order: keep the transcript by connection, each in its order.
        transcript = transcript.enumerated().sorted { ($0.element.connection, $0.offset) < ($1.element.connection, $1.offset) }
            .map(\.element)
        return ConformanceReport(
            connections: connections, transcript: transcript, findings: findings, rules: rules.map { $0.descriptor })
    }

    /// Findings that break the specification: any makes the run fail.
    public var breaches: [Finding] { findings.filter { $0.severity == .breach } }

    /// How many findings of each severity.
    public var severityCounts: [Severity: Int] { Dictionary(grouping: findings, by: \.severity).mapValues(\.count) }
}
