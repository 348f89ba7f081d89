// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RLPxConformance
import RLPxInspect
import RLPxMultiplexing

extension RLPxTool {
    /// `rlpx-tool conformance`: replay a capture and report every rule a peer broke.
    struct Conformance: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, tap
        }

        static let configuration = CommandConfiguration(
            abstract: "Replay a packet capture of RLPx sessions and report which rules each side broke.",
            discussion: """
                Reads pcap or pcapng (Ethernet, Linux cooked, loopback, raw IP; IPv4 and IPv6), reassembles every TCP \
                connection, finds RLPx sessions by their handshake, decrypts them with the key log and checks each \
                rule. Without a key log it still reports connections, handshake formats and sizes, and byte counts. \
                Exit status: 0 without violations, 1 with any, 2 when the input cannot be used.
                """)

        @Argument(help: "A pcap or pcapng file.", completion: .file()) var capture: String
        @Option(name: .long, help: "The key log (lines of RLPX_SESSION ...).", completion: .file()) var keylog: String?
        @Option(name: [.customLong("run")], help: "Run only the rules whose identifier contains this text.") var rulePattern: String?
        @Option(name: .long, help: "text, json or tap.") var format: Format = .text
        @Flag(name: .long, help: "Shorthand for --format json.") var json = false
        @Flag(name: .long, help: "Include the message transcript.") var transcript = false
        @Option(name: .long, help: "Code-space sizes of protocols beyond eth and snap, as name/version:length,...") var caps: String = ""

        func run() throws {
            var keyLogText: String?
            if let keylog {
                guard let data = FileManager.default.contents(atPath: keylog) else {
                    FileHandle.standardError.write(Data("error: cannot read key log \(keylog)\n".utf8))
                    throw ExitCode(2)
                }
                keyLogText = String(decoding: data, as: UTF8.self)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int) ?? 0
            var lastPercent = -1
            let progress: ((Int) -> Void)? =
                size > 4 << 20
                ? { read in
                    let percent = min(100, read * 100 / max(1, size))
                    if percent / 5 != lastPercent / 5 {
                        lastPercent = percent
                        FileHandle.standardError.write(Data("\rreplaying \(capture): \(percent)%".utf8))
                    }
                } : nil
            let report: ConformanceReport
            do {
                report = try ConformanceReport.run(
                    capture: capture, keyLogText: keyLogText, protocols: ProtocolSpec.parseList(caps) ?? [],
                    rulePattern: rulePattern, progress: progress)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            if progress != nil { FileHandle.standardError.write(Data("\n".utf8)) }
            switch json ? .json : format {
            case .text: print(report.text(transcript: transcript), terminator: "")
            case .json: print(report.json(transcript: transcript).rendered())
            case .tap: print(report.tap(), terminator: "")
            }
            if !report.violations.isEmpty { throw ExitCode(1) }
        }
    }
}
