// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// Issue 29's one grammar: one meaning per flag name, one listing flag with JSON, --format on every command that
/// prints a result, the subcommand's usage on a usage error.
@Suite struct OneGrammarTests {
    static let chain = Vectors.projectRoot.appendingPathComponent("Vectors/chain")
    static let genesis = chain.appendingPathComponent("genesis.json").path
    static let chainFile = chain.appendingPathComponent("chain.rlp").path

    /// --chain names a built-in chain everywhere: serve and probe take their chain file as --chain-file, and a
    /// built-in name given to them is a usage error that says so.
    @Test func chainNamesABuiltInChainEverywhere() async throws {
        let named = try await Tool.runDetached(["serve", "--eth", "--genesis", Self.genesis, "--chain", "mainnet"])
        #expect(named.status == 64, "\(named.stderr)")
        #expect(named.stderr.contains("--chain-file FILE or --chain-dir DIR"), "\(named.stderr)")
        let probe = try await Tool.runDetached(["probe", "--list", "--genesis", Self.genesis, "--chain", "sepolia"])
        #expect(probe.status == 64, "\(probe.stderr)")
        let (server, lines) = try Tool.start(
            ["serve", "--eth", "--listen", "127.0.0.1:0", "--genesis", Self.genesis, "--chain-file", Self.chainFile], until: "state ")
        server.stop()
        #expect(lines.first?.hasPrefix("enode://") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("head #") }, "\(lines)")
    }

    /// The old spelling of a chain file still works where it cannot mean a built-in chain, with a note.
    @Test func theOldChainFileSpellingStillWorks() async throws {
        let process = Process()
        process.executableURL = try Tool.url
        process.arguments = ["serve", "--eth", "--listen", "127.0.0.1:0", "--genesis", Self.genesis, "--chain", Self.chainFile]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let first = PingCommandTests.firstLine(of: out)
        process.stop()
        #expect(first.hasPrefix("enode://"), "\(first)")
        let note = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(note.contains("--chain-file"), "\(note)")
    }

    /// One listing flag for rules and tests, and --format json honoured by both.
    @Test func listingsTakeOneFlagAndJSON() async throws {
        for command in ["conformance", "probe"] {
            let text = try await Tool.runDetached([command, "--list"])
            #expect(text.status == 0, "\(command): \(text.stderr)")
            let json = try await Tool.runDetached([command, "--list", "--format", "json"])
            #expect(json.status == 0, "\(command): \(json.stderr)")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(command)")
            #expect(!entries.isEmpty)
            let ids = entries.compactMap { $0["id"] as? String }
            #expect(ids.count == entries.count)
            // Every id the text listing starts a line with, and nothing else.
            let textIDs = text.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { String($0.split(separator: " ")[0]) }
            #expect(textIDs == ids, "\(command)")
            #expect(try await Tool.runDetached([command, "--list", "--json"]).stdout == json.stdout, "\(command)")
            #expect(try await Tool.runDetached([command, "--list", "--format", "tap"]).status == 64, "\(command)")
        }
        // The old spelling of conformance's listing.
        #expect(
            try await Tool.runDetached(["conformance", "--list-rules"]).stdout == (try await Tool.runDetached(["conformance", "--list"])).stdout)
    }

    /// TAP and JUnit reports carry findings only: --transcript with them is refused, not silently dropped.
    @Test func aTranscriptInTAPOrJUnitIsRefused() async throws {
        let capture = Vectors.projectRoot.appendingPathComponent("Vectors/captures/swift-swift-v5/capture.pcap").path
        for format in ["tap", "junit"] {
            let run = try await Tool.runDetached(["conformance", capture, "--transcript", "--format", format])
            #expect(run.status == 64, "\(format): \(run.stderr)")
            #expect(run.stderr.contains("--transcript goes with"), "\(run.stderr)")
        }
    }

    /// A usage error shows the usage of the subcommand that was given, not the tool's.
    @Test func aUsageErrorShowsTheSubcommandsUsage() async throws {
        let enode =
            "enode://4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1@127.0.0.1:1"
        for (command, arguments) in [
            ("send", ["send", enode]), ("serve", ["serve", "--eth"]), ("key to-enode", ["key", "to-enode", "/x", "--tcp", "0"]),
            ("ping", ["ping", "enode://nothing"]), ("probe", ["probe", "enode://nothing"]), ("load", ["load", "enode://x", "--cap", "eth/68"]),
        ] {
            let run = try await Tool.runDetached(arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stderr.contains("Usage: rlpx-tool \(command)"), "\(arguments): \(run.stderr)")
        }
    }

    /// Seconds that no Duration holds are usage errors, not traps.
    @Test func secondsOutOfRangeAreUsageErrors() async throws {
        let enode =
            "enode://4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1@127.0.0.1:1"
        for arguments in [
            ["ping", enode, "--timeout", "inf"], ["send", enode, "--cap", "eth/68:17", "--timeout", "1e300"],
            ["load", enode, "--cap", "eth/68:17", "--hold", "nan"],
            ["serve", "--inbound-throttle", "1e300"], ["probe", enode, "--timeout", "-1"], ["load", enode, "--cap", "eth/68:17", "--sessions", "-1"],
        ] {
            let run = try await Tool.runDetached(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
    }

    /// Sizes no RLP item has (its header grows by a byte there) are usage errors; a size next to one works.
    @Test func sendTakesOnlySizesAnRLPItemHas() async throws {
        // Raw payloads on a protocol of its own: on eth, send's messages are Transactions, never below ~110 bytes.
        let (server, enode) = try PingCommandTests.serve(["--cap", "test/1:8", "--echo"])
        defer { server.stop() }
        for size in ["57", "258", "65539"] {
            let run = try await Tool.runDetached(["send", enode, "--cap", "test/1:8", "--count", "1", "--size", size])
            #expect(run.status == 64 && run.stderr.contains("no RLP item is \(size) bytes long"), "\(size): \(run.stderr)")
        }
        let run = try await Tool.runDetached(["send", enode, "--cap", "test/1:8", "--count", "2", "--size", "58"])
        #expect(run.status == 0 && run.stdout.contains("messages of 58 bytes"), "\(run.stdout) \(run.stderr)")
    }

    /// ping, send, load and serve print JSON with --format json (serve: JSON Lines, the listening object first,
    /// then each session's start and end).
    @Test func networkCommandsPrintJSON() async throws {
        let process = Process()
        process.executableURL = try Tool.url
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--cap", "eth/68:17", "--echo", "--format", "json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.stop() }
        let reader = LineReader(out)
        let opening = try Self.object(reader.next())
        #expect(opening["event"] as? String == "listening")
        let enode = try #require(opening["enode"] as? String)
        let ping = try Self.object(try await Tool.runDetached(["ping", enode, "--cap", "eth/68:17", "--format", "json"]).stdout)
        #expect((ping["hello"] as? [String: Any])?["client"] as? String == "rlpx-tool/0.1")
        #expect(ping["roundTripMicroseconds"] is Int)
        let send = try Self.object(try await Tool.runDetached(["send", enode, "--cap", "eth/68:17", "--count", "3", "--json"]).stdout)
        #expect(send["messages"] as? Int == 3 && send["bytes"] as? Int == 1024)
        let load = try Self.object(
            try await Tool.runDetached(["load", enode, "--cap", "eth/68:17", "--sessions", "2", "--messages", "2", "--format", "json"]).stdout)
        #expect(load["completed"] as? Int == 2 && (load["failures"] as? [Any])?.isEmpty == true)
        // Each session's start and end, as they happen: the ping's first.
        let events = try (0..<2).map { _ in try Self.object(reader.next()) }
        #expect(events.map { $0["event"] as? String } == ["session", "session-ended"], "\(events)")
        #expect(events.first?["client"] as? String == "rlpx-tool/0.1")
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }
}

/// The lines a process writes to a pipe, one at a time (several may come in one read).
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ pipe: Pipe) { handle = pipe.fileHandleForReading }

    /// The next line without its newline; what is left when the writer closes.
    func next() -> String {
        while !buffer.contains(0x0a) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
        }
        let end = buffer.firstIndex(of: 0x0a) ?? buffer.endIndex
        let line = String(decoding: buffer[buffer.startIndex..<end], as: UTF8.self)
        buffer = end < buffer.endIndex ? Data(buffer[buffer.index(after: end)...]) : Data()
        return line
    }
}
