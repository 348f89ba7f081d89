// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import EngineAPI
import EthState
import Foundation
import RLPxCapture
import RLPxHTMLReport
import RLPxInspect
import RLPxPeer
import RLPxProbe
import RLPxProtocols
import RLPxServe
import Snap

extension RLPxTool {
    /// `rlpx-tool probe`: named conformance tests against a running node.
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run named conformance tests against a live node, each on fresh connections.",
            discussion: """
                Each test has a stable identifier (--list prints them with their sections, levels, what they send and \
                which reactions pass; with --format json as an array). Verdicts: OK, NON-STRICT (a SHOULD not met), INFORMATIONAL, UNSUPPORTED (the \
                node does not offer what the test needs), FAILED (a MUST not met). A failing test prints the \
                requirement, what was observed and the decoded transcript of its connections. --keylog records every \
                connection, so `rlpx-tool conformance` can replay a capture of the run. The transaction tests (eth/tx/...) \
                first name the chain's head through the node's Engine API (--engine-api with --jwt-secret), as \
                go-ethereum's suite does: without those options they are UNSUPPORTED.

                Exit status: 0 when no MUST test failed, 1 when one did, 2 when --run selects no test or the node \
                cannot be reached, 64 for bad usage.
                """)

        @Argument(help: "enode://<node id>@host:port, or a node record enr:… with an IP address and TCP port") var enode: String?
        @Option(name: [.customLong("run")], help: "Run only the tests whose identifier matches this regular expression.") var pattern: String?
        @Flag(name: .long, help: "List the tests and exit.") var list = false
        @Flag(name: .long, help: "Count a SHOULD test that is not met as FAILED.") var strict = false
        @Option(name: .long, help: "Seconds to wait for each expected reaction.") var timeout: Double = 5
        @Option(name: .long, help: "text, json, tap, junit or html (one self-contained page, a ladder per connection).") var format:
            ProbeReport.Format = .text
        @Flag(name: .long, help: "Shorthand for --format json.") var json = false
        @Option(name: .long, help: "Append every connection's secrets to this key log.", completion: .file()) var keylog: String?
        @Option(
            name: .long,
            help: "Capture the probe's traffic into this pcap (needs the capture permission); with --keylog, `rlpx-tool conformance` replays it.",
            completion: .file())
        var capture: String?
        @Option(name: .long, help: "The interface --capture listens on (default: lo for a loopback node, any otherwise).") var interface: String?
        @Option(name: .long, help: "A protocol to announce, name/version:length (for protocols whose length the probe does not know); repeatable.")
        var cap: [String] = []
        @OptionGroup(title: "The chain the node holds (for the known-answer tests)") var chainFiles: ChainFileOptions
        @Option(
            name: .customLong("engine-api"),
            help: "The node's Engine API URL (http://host:port): the transaction tests name the head there first, as go-ethereum's suite does.")
        var engineAPI: String?
        @Option(name: .customLong("jwt-secret"), help: "The Engine API's JWT secret: 32 bytes in hex, or a file holding them.", completion: .file())
        var jwtSecret: String?

        func validate() throws {
            if enode == nil && !list { throw ValidationError("Give the node's enode URL (or --list).") }
            if let enode { _ = try parseEnode(enode) }
            if list && ![.text, .json].contains(reportFormat) { throw ValidationError("--list prints text or json.") }
            if let pattern, (try? Regex(pattern)) == nil { throw ValidationError("--run takes a regular expression; \(pattern) is not one.") }
            try validateSeconds(timeout, "--timeout")
            if (engineAPI == nil) != (jwtSecret == nil) { throw ValidationError("--engine-api and --jwt-secret go together.") }
            do {
                _ = try engine()
            } catch {
                throw ValidationError(
                    "--engine-api takes http://host:port (or host:port), --jwt-secret 64 hex digits or a file holding them: \(error)")
            }
            for text in cap where KnownProtocols.spec(text) == nil {
                throw ValidationError("--cap takes name/version:length (the length may be left out for eth and snap); \(text) is not one.")
            }
        }

        /// The Engine API the options name (nil without them).
        func engine() throws -> EngineTarget? {
            guard let engineAPI, let jwtSecret else { return nil }
            let secret = FileManager.default.fileExists(atPath: jwtSecret) ? try JWTSecret(contentsOfFile: jwtSecret) : try JWTSecret(hex: jwtSecret)
            return try EngineTarget(url: engineAPI.contains("://") ? engineAPI : "http://" + engineAPI, secret: secret)
        }

        /// --format, with --json as its shorthand.
        var reportFormat: ProbeReport.Format { json ? .json : format }

        func run() throws {
            let format = reportFormat
            let tests = try ProbeSuite.select(pattern)
            guard !tests.isEmpty else {
                FileHandle.standardError.write(Data("error: --run \(pattern ?? "") selects no test (see --list)\n".utf8))
                throw ExitCode(2)
            }
            if list {
                if reportFormat == .json {
                    print(
                        JSONValue.array(
                            tests.map { test in
                                .object([
                                    ("id", .string(test.id)), ("level", .string(test.level.rawValue)), ("section", .string(test.section)),
                                    ("sends", .string(test.sends)), ("passes", .string(test.passes)),
                                    ("gethName", test.gethName.map(JSONValue.string) ?? .null),
                                ])
                            }
                        ).rendered())
                    return
                }
                for test in tests {
                    print("\(test.id)  [\(test.level.rawValue)]  \(test.section)" + (test.gethName.map { "  (go-ethereum: \($0))" } ?? ""))
                    print("    sends: \(test.sends)\n    passes: \(test.passes)")
                }
                return
            }
            guard let enode else { return }
            let url = try parseEnode(enode)
            guard let port = UInt16(exactly: url.port) else { throw ValidationError("The enode's port is out of range.") }
            let target = ProbeTarget(host: url.host, port: port, publicKey: url.publicKey)
            var keyLines: [String] = []
            var results: [ProbeResult] = []
            let output = BufferedOutput()
            var recording: LiveCapture?
            if let capture {
                let loopback = url.host.hasPrefix("127.") || url.host == "::1" || url.host == "localhost"
                do {
                    recording = try LiveCapture(
                        interface: interface ?? (loopback ? "lo" : "any"), filter: "tcp port \(port) and host \(url.host)", path: capture)
                } catch {
                    FileHandle.standardError.write(Data("error: --capture: \(error)\n".utf8))
                    throw ExitCode(2)
                }
            }
            defer { recording?.stop() }
            let known = chainFiles.loadAll().map { chain in
                let states = chain.statesOrExit()
                let snapSuite: SnapSuite?
                do {
                    snapSuite = try GethSnapSuite.suite(blocks: chain.blocks, states: states)
                } catch {
                    fail("the snap suite cannot be built on this chain: \(error)")
                }
                return KnownChain(
                    config: chain.config, blocks: chain.blocks, receipts: chain.receipts, largeReceiptBlock: chain.largeReceiptBlock,
                    senders: chain.senders, forkchoiceRequest: chain.forkchoiceRequest, snapSuite: snapSuite)
            }
            // One connection first, to learn what the node speaks; a node that cannot be reached is no verdict.
            let introduction: ProbeIntroduction
            do {
                introduction = try ProbeIntroduction.introduce(to: target, timeout: timeout, given: cap.compactMap { KnownProtocols.spec($0) })
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            if let line = introduction.keyLogLine { keyLines.append(line) }
            if format == .text {
                output.write(ProbeReport.introduction(introduction))
                output.flush()
            }
            ProbeSuite.run(
                tests, against: target, introduction: introduction, timeout: timeout, strict: strict, known: known, engine: try engine(),
                keyLog: { keyLines.append($0) }, keepEvents: format == .html
            ) { result in
                results.append(result)
                if format == .text {
                    output.write(ProbeReport.text(result, strict: strict))
                    output.flush()
                }
            }
            switch format {
            case .text: output.write(ProbeReport.summary(results))
            case .json: output.write(ProbeReport.json(results, introduction: introduction))
            case .tap: output.write(ProbeReport.tap(results))
            case .junit: output.write(ProbeReport.junit(results))
            case .html: output.write(ProbeHTMLReport.render(results, introduction: introduction, target: enode))
            }
            output.flush()
            if let keylog, !keyLines.isEmpty {
                let text = keyLines.map { $0 + "\n" }.joined()
                if let handle = FileHandle(forWritingAtPath: keylog) {
                    handle.seekToEndOfFile()
                    handle.write(Data(text.utf8))
                } else {
                    FileManager.default.createFile(atPath: keylog, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
                }
            }
            if results.allSatisfy({ $0.verdict == .unsupported }) && results.contains(where: { $0.observed.hasPrefix("could not run") }) {
                throw ExitCode(2)
            }
            if results.contains(where: { $0.verdict == .failed }) { throw ExitCode(1) }
        }
    }
}

extension ProbeReport.Format: ExpressibleByArgument {}
