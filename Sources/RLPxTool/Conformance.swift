// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxConformance
import RLPxHTMLReport
import RLPxInspect
import RLPxMultiplexing

extension RLPxTool {
    /// `rlpx-tool conformance`: replay a capture and report every rule a peer broke.
    struct Conformance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a packet capture of RLPx sessions and report which rules each side broke.",
            discussion: """
                Reads pcap or pcapng (Ethernet, Linux cooked, loopback, raw IP; IPv4 and IPv6), reassembles every TCP \
                connection, finds RLPx sessions by their handshake, decrypts them with the key log and checks each \
                selected rule (--list-rules names them with their specification sections). Without a key log it \
                still reports connections, handshake formats and sizes, and byte counts. Transcript lines and \
                findings are written as they happen (text, jsonl, tap; json streams its transcript). Findings are \
                breaches, non-strict or informational. An RLPx session the key log has no line for is not checked: \
                the report says how many there were.

                Exit status: 0 without breaches; 1 with any; 2 when the capture, key log or genesis is unusable, \
                --run selects no rule, or no session could be decrypted (unless --allow-undecrypted); 64 for bad \
                usage.
                """)

        @Argument(help: "A pcap or pcapng file.", completion: .file()) var capture: String?
        @Option(name: .long, help: "The key log (lines of RLPX_SESSION ...).", completion: .file()) var keylog: String?
        @Flag(name: .customLong("allow-undecrypted"), help: "Exit 0 even when no session could be decrypted, so nothing was checked.")
        var allowUndecrypted = false
        @Option(name: [.customLong("run")], help: "Run only the rules whose identifier matches this regular expression (e.g. '^eth\\.' or 'hello|ping').") var rulePattern: String?
        @Option(name: .long, help: "text, json, jsonl (one object per line), tap, junit (JUnit XML) or html (one self-contained page).") var format: ReportWriter.Format = .text
        @Flag(name: .long, help: "Shorthand for --format json.") var json = false
        @Flag(name: .long, help: "Include the message transcript.") var transcript = false
        @Flag(name: .long, help: "Report progress on stderr (default when stderr is a terminal and the capture is large).") var progress = false
        @Option(name: .long, help: "Workers replaying connections at once (default: one per processor).") var jobs: Int?
        @Option(name: .customLong("connection"), help: "Replay only the connection with this number (as reports number them); repeatable.")
        var connectionNumbers: [Int] = []
        @Option(name: .long, help: "Replay only shard K of N (K/N, 1 ≤ K ≤ N): the connections whose endpoints hash to K, so N runs report each connection once.")
        var shard: String?
        @Flag(name: .customLong("list-rules"), help: "List the rules with their sections and severities, and exit.") var listRules = false
        @Option(name: .long, help: "Code-space sizes of protocols beyond eth and snap, as name/version:length,...") var caps: String = ""
        @Option(name: .customLong("export-decrypted"), help: "Write every decoded message to this pcapng file, for Wireshark with Tools/wireshark/rlpx.lua.", completion: .file())
        var exportPath: String?
        @OptionGroup(title: "Chain (Status genesis and fork IDs are validated against it)") var chainOptions: ChainOptions

        func validate() throws {
            if capture == nil && !listRules { throw ValidationError("Give a capture file (or --list-rules).") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs takes 1 or more.") }
            if let rulePattern, (try? Regex(rulePattern)) == nil { throw ValidationError("--run takes a regular expression; \(rulePattern) is not one.") }
            if let shard, ConnectionSelection.Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N; \(shard) is not one.") }
            if connectionNumbers.contains(where: { $0 < 0 }) { throw ValidationError("--connection takes a connection number (0 or more).") }
        }

        func run() throws {
            let rules = try RuleRegistry.select(rulePattern)
            if rules.isEmpty {
                FileHandle.standardError.write(Data("error: --run \(rulePattern ?? "") selects no rule (see --list-rules)\n".utf8))
                throw ExitCode(2)
            }
            if listRules {
                for rule in rules.map({ $0.descriptor }) {
                    print("\(rule.id)  [\(rule.severity.rawValue)]  \(rule.section)\n    \(rule.statement)")
                }
                return
            }
            guard let capture else { return }
            let keyLogText = keylog.map { String(decoding: fileContentsOrExit($0, "key log", status: 2), as: UTF8.self) }
            let size = (try? FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int) ?? 0
            let configuration = RuleConfiguration(chain: chainOptions.load(unusable: 2))
            let meter = ProgressMeter(total: size, enabled: progress || (isatty(2) == 1 && size > 4 << 20))
            let output = BufferedOutput()
            let format = json ? .json : format
            var writer = ReportWriter(
                format: format, rules: rules.map { $0.descriptor }, transcript: transcript,
                write: output.write)
            // HTML runs the rules itself, beside the drawing, so each finding sits on the event that raised it.
            var html = format == .html ? ConformanceHTMLReport(
                rules: rules, configuration: configuration, title: "RLPx conformance: \(URL(fileURLWithPath: capture).lastPathComponent)",
                rerun: (["rlpx-tool", "conformance", capture] + (keylog.map { ["--keylog", $0] } ?? [])).joined(separator: " ")) : nil
            let selection = ConnectionSelection(
                numbers: connectionNumbers.isEmpty ? nil : Set(connectionNumbers), shard: shard.flatMap { ConnectionSelection.Shard($0) })
            var breached = false
            /// Set when the capture has RLPx sessions and none could be decrypted: nothing was checked.
            var nothingChecked: String?
            var export = DecryptedExport()
            let exportFile = try exportPath.map { path in
                guard FileManager.default.createFile(atPath: path, contents: Data(DecryptedExport.fileHeader)),
                    let handle = FileHandle(forWritingAtPath: path)
                else {
                    FileHandle.standardError.write(Data("error: cannot write \(path)\n".utf8))
                    throw ExitCode(2)
                }
                handle.seekToEndOfFile()
                return BufferedOutput(handle)
            }
            do {
                let connections = try ConformanceReport.replay(
                    capture: capture, keyLogText: keyLogText, protocols: ProtocolSpec.parseList(caps) ?? [], rules: html == nil ? rules : [],
                    configuration: configuration, selection: selection, jobs: jobs, progress: meter.update,
                    started: { time in
                        writer.start(at: time)
                        html?.start(at: time)
                    },
                    events: exportFile == nil && html == nil ? nil : { event in
                        if let exportFile, let packet = export.packet(for: event) { exportFile.write(packet) }
                        for finding in html?.consume(event) ?? [] { breached = breached || finding.severity == .breach }
                    },
                    transcript: writer.printsTranscript ? { writer.add($0) } : nil,
                    findings: { finding in
                        breached = breached || finding.severity == .breach
                        writer.add(finding)
                    })
                meter.finish()
                writer.finish(connections: connections)
                if var report = html { output.write(report.render(connections: connections)) }
                let sessions = connections.filter(\.isRLPxSession)
                if !sessions.isEmpty && sessions.allSatisfy(\.isUndecrypted) { nothingChecked = ReportWriter.undecryptedText(connections) }
                output.flush()
                exportFile?.flush()
            } catch {
                meter.finish(complete: false)
                output.flush()
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            if breached { throw ExitCode(1) }
            if let nothingChecked, !allowUndecrypted {
                fail("\(nothingChecked); give the key log (--keylog), or --allow-undecrypted to accept that", status: 2)
            }
        }
    }
}

extension ReportWriter.Format: ExpressibleByArgument {}

/// A file (standard output by default) written in 64 KiB pieces: a streamed report of millions of lines must not
/// pay a system call per line.
final class BufferedOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle = .standardOutput) {
        self.handle = handle
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Progress on stderr: bytes read, MB/s, the share of the capture, messages and connections, at most ten times a
/// second, and the totals when the replay ends.
final class ProgressMeter {
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastReport = Date.distantPast
    private var shown = false
    /// The last progress reported.
    private var latest: ReplayProgress?

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ progress: ReplayProgress) {
        guard enabled else { return }
        latest = progress
        let now = Date()
        guard now.timeIntervalSince(lastReport) >= 0.1 else { return }
        lastReport = now
        show(progress, at: now, complete: false)
    }

    private func show(_ progress: ReplayProgress, at now: Date, complete: Bool) {
        let seconds = max(now.timeIntervalSince(start), 0.001)
        let megabytes = Double(progress.bytes) / 1_000_000
        let percent = complete ? 100 : total > 0 ? min(100, progress.bytes * 100 / total) : 0
        let rate = Int(megabytes / seconds)
        let connections = "\(progress.connections) connection\(progress.connections == 1 ? "" : "s")"
        FileHandle.standardError.write(Data(
            "\rreplaying: \(decimal(megabytes, 1)) MB of \(decimal(Double(total) / 1_000_000, 1)) MB (\(percent)%), \(rate) MB/s, \(progress.messages) messages, \(connections)   ".utf8))
        shown = true
    }

    /// Ends the line on the totals (the replay's last report), once the capture has been read to its end.
    func finish(complete: Bool = true) {
        guard enabled else { return }
        if complete, let latest { show(latest, at: Date(), complete: true) }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
