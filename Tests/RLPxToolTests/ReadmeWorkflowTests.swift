// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// The README's conformance workflow, run as written: tcpdump on loopback, `serve --echo` and `send` with key logs,
/// then `conformance` with every rule. It reported 100 breaches (send wrote random bytes as eth Status messages).
@Suite struct ReadmeWorkflowTests {
    @Test func aSendSessionReplaysWithNoBreach() async throws {
        let tcpdump = try #require(Tool.onPath("tcpdump"), "tcpdump is not installed (bash Tools/install-deps.sh installs it)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-readme-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys.txt").path
        let pcap = directory.appendingPathComponent("capture.pcap").path
        let (server, lines) = try Tool.start(
            ["serve", "--listen", "127.0.0.1:0", "--cap", "eth/68:17", "--echo", "--keylog", keys], until: "enode://")
        defer { server.stop() }
        let enode = try #require(lines.first { $0.hasPrefix("enode://") })
        let port = try #require(enode.split(separator: ":").last.map(String.init))
        let dump = try Self.startCapture(tcpdump, port: port, path: pcap)
        let send = try await Tool.runDetached(["send", enode, "--cap", "eth/68:17", "--count", "100", "--size", "1024", "--keylog", keys])
        try await Task.sleep(for: .milliseconds(500))
        // A child of a test inherits a signal mask that blocks SIGINT and SIGTERM; -U wrote every packet already.
        kill(dump.processIdentifier, SIGKILL)
        dump.waitUntilExit()
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.hasPrefix("sending eth/68 Status, then Transactions messages"), "\(send.stdout)")
        let run = try await Tool.runDetached(["conformance", pcap, "--keylog", keys, "--transcript"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0 breaches,"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: " eth/68 Transactions ").count - 1 == 200, "100 sent, 100 echoed")
        #expect(run.stdout.components(separatedBy: " eth/68 Status ").count - 1 == 2, "one each way")
    }

    /// tcpdump on lo for `port`, once it says it is listening.
    static func startCapture(_ tcpdump: URL, port: String, path: String) throws -> Process {
        let process = Process()
        process.executableURL = tcpdump
        process.arguments = ["-i", "lo", "-s", "0", "-U", "-w", path, "tcp port \(port)"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("listening on") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard text.contains("listening on") else { throw CaptureFailed(description: "tcpdump: \(text)") }
        return process
    }

    struct CaptureFailed: Error, CustomStringConvertible { let description: String }
}
