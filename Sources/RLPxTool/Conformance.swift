// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxCapture
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
                selected rule (--list names them with their specification sections; with --format json as an array). Without a key log it \
                still reports connections, handshake formats and sizes, and byte counts. Transcript lines and \
                findings are written as they happen (text, jsonl, tap; json streams its transcript); TAP and JUnit carry \
                findings only, so --transcript goes with text, json or jsonl. Findings are \
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
        @Option(
            name: [.customLong("run")],
            help:
                "Run only the rules whose identifier matches this regular expression (e.g. '^eth/' or 'hello|ping'; the old ids, eth.status-first, match too)."
        ) var rulePattern: String?
        @Option(name: .long, help: "text, json, jsonl (one object per line), tap, junit (JUnit XML) or html (one self-contained page).") var format:
            ReportWriter.Format = .text
        @Flag(name: .long, help: "Shorthand for --format json.") var json = false
        @Flag(name: .long, help: "Include the message transcript.") var transcript = false
        @Flag(name: .long, help: "Report progress on stderr (default when stderr is a terminal and the capture is large).") var progress = false
        @Option(name: .long, help: "Workers replaying connections at once (default: one per processor).") var jobs: Int?
        @Flag(name: .long, help: "List the rules with their sections and severities, and exit.") var list = false
        @Flag(name: .customLong("list-rules"), help: .hidden) var listRules = false  // the old spelling of --list
        @Option(name: .customLong("connection"), help: "Replay only the connection with this number (as reports number them); repeatable.")
        var connectionNumbers: [Int] = []
        @Option(
            name: .long,
            help: "Replay only shard K of N (K/N, 1 ≤ K ≤ N): the connections whose endpoints hash to K, so N runs report each connection once.")
        var shard: String?
        @Option(name: .long, help: "Code-space sizes of protocols beyond eth and snap, as name/version:length,...") var caps: String = ""
        @Option(
            name: .customLong("export-decrypted"),
            help: "Write every decoded message to this pcapng file, for Wireshark with Tools/wireshark/rlpx.lua.", completion: .file())
        var exportPath: String?
        @OptionGroup(title: "Chain (Status genesis and fork IDs are validated against it)") var chainOptions: ChainOptions

        func validate() throws {
            if capture == nil && !listing { throw ValidationError("Give a capture file (or --list).") }
            if transcript && [.tap, .junit].contains(reportFormat) {
                throw ValidationError("--transcript goes with --format text, json or jsonl: TAP and JUnit reports carry findings only.")
            }
            if listing && ![.text, .json].contains(reportFormat) { throw ValidationError("--list prints text or json.") }
            if let jobs, jobs < 1 { throw ValidationError("--jobs takes 1 or more.") }
            if let rulePattern, (try? Regex(rulePattern)) == nil {
                throw ValidationError("--run takes a regular expression; \(rulePattern) is not one.")
            }
            if let shard, ConnectionSelection.Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N; \(shard) is not one.") }
            if connectionNumbers.contains(where: { $0 < 0 }) { throw ValidationError("--connection takes a connection number (0 or more).") }
        }

        /// --list, or its old spelling.
        var listing: Bool { list || listRules }

        /// --format, with --json as its shorthand.
        var reportFormat: ReportWriter.Format { json ? .json : format }

        func run() throws {
            let rules = try RuleRegistry.select(rulePattern)
            if rules.isEmpty {
                FileHandle.standardError.write(Data("error: --run \(rulePattern ?? "") selects no rule (see --list)\n".utf8))
                throw ExitCode(2)
            }
            if listing {
                let descriptors = rules.map { $0.descriptor }
                if reportFormat == .json {
                    print(
                        JSONValue.array(
                            descriptors.map { rule in
                                .object([
                                    ("id", .string(rule.id)), ("severity", .string(rule.severity.rawValue)), ("section", .string(rule.section)),
                                    ("statement", .string(rule.statement)),
                                ])
                            }
                        ).rendered())
                } else {
                    for rule in descriptors { print("\(rule.id)  [\(rule.severity.rawValue)]  \(rule.section)\n    \(rule.statement)") }
                }
                return
            }
            guard let capture else { return }
            let keyLogText = keylog.map { String(decoding: fileContentsOrExit($0, "key log", status: 2), as: UTF8.self) }
            let size = (try? FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int) ?? 0
            let configuration = RuleConfiguration(chain: chainOptions.load(unusable: 2))
            let meter = ProgressMeter(total: size, enabled: progress || (isatty(2) == 1 && size > 4 << 20))
            let output = BufferedOutput()
            let format = reportFormat
            var writer = ReportWriter(
                format: reportFormat, rules: rules.map { $0.descriptor }, transcript: transcript,
                write: output.write)
            // HTML runs the rules itself, beside the drawing, so each finding sits on the event that raised it.
            var html =
                format == .html
                ? ConformanceHTMLReport(
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
                    capture: capture, keyLogText: keyLogText, protocols: ProtocolSpec.parseList(caps) ?? [],
                    // With HTML the replay runs only the discovery rules (they read no connection events).
                    rules: html == nil ? rules : rules.filter { $0 is any DiscoveryRule.Type },
                    configuration: configuration, selection: selection, jobs: jobs, progress: meter.update,
                    started: { time in
                        writer.start(at: time)
                        html?.start(at: time)
                    },
                    events: exportFile == nil && html == nil
                        ? nil
                        : { event in
                            if exportFile != nil { export.add(event) }
                            for finding in html?.consume(event) ?? [] { breached = breached || finding.severity == .breach }
                        },
                    transcript: writer.transcriptRenderer.map { renderer in .rendered(renderer) { writer.add(renderedTranscript: $0) } },
                    findings: { finding in
                        breached = breached || finding.severity == .breach
                        html?.add(discoveryFinding: finding)
                        writer.add(finding)
                    })
                meter.finish()
                writer.finish(connections: connections)
                if var report = html { output.write(report.render(connections: connections)) }
                let sessions = connections.filter(\.isRLPxSession)
                if !sessions.isEmpty && sessions.allSatisfy(\.isUndecrypted) { nothingChecked = ReportWriter.undecryptedText(connections) }
                output.flush()
                if let exportFile {
                    exportFile.write(export.finish())
                    exportFile.flush()
                }
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
