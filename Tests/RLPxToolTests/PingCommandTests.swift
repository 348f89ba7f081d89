// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxCrypto
import RLPxTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `rlpx-tool ping` as a user runs it against `rlpx-tool serve` and a silent listener on loopback.
@Suite(.serialized) struct PingCommandTests {
    /// Starts `rlpx-tool serve` with `arguments` on a free loopback port; returns the process and its enode URL.
    static func serve(_ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = try Tool.url
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, firstLine(of: out))
    }

    /// The first line a process writes to `pipe` (serve's enode URL), without its newline.
    static func firstLine(of pipe: Pipe) -> String {
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let first = line.split(separator: 0x0a, maxSplits: 1, omittingEmptySubsequences: false).first ?? line[...]
        return String(decoding: first, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Nothing listening: every networked command says so in the same words and exits 1 (a debug build trapped on
    /// a leaked promise; release printed SwiftNIO's error value).
    @Test func aRefusedConnectionIsOneLineAndExit1() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let enode =
            "enode://4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1@127.0.0.1:\(port)"
        for arguments in [["ping", enode], ["send", enode, "--cap", "eth/68:17"], ["load", enode, "--cap", "eth/68:17", "--sessions", "3"]] {
            let run = try await Tool.runDetached(arguments)
            #expect(run.status == 1, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("cannot connect to 127.0.0.1:\(port): connection refused"), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("NIO"), "\(arguments): \(run.stderr)")
        }
    }

    /// send ends within --timeout against a peer that never echoes (it waited 11 minutes), and refuses sizes a
    /// message cannot have as usage errors (20,000,000 hung; 0 was silently 1).
    @Test func sendIsBoundedAndTakesOnlySizesAMessageCanHave() async throws {
        let (server, enode) = try Self.serve(["--cap", "eth/68:17"])
        defer { server.stop() }
        let start = ContinuousClock.now
        let silent = try await Tool.runDetached(["send", enode, "--cap", "eth/68:17", "--count", "5", "--timeout", "2"])
        #expect(silent.status == 1 && silent.stderr.contains("timed out after 2.000 s"), "\(silent.stderr)")
        #expect(ContinuousClock.now - start < .seconds(30))
        for size in ["0", "20000000"] {
            #expect(try await Tool.runDetached(["send", enode, "--cap", "eth/68:17", "--size", size]).status == 64, "--size \(size)")
        }
    }

    @Test func defaultCapabilitiesMeetANodeThatSpeaksEth69() async throws {
        let (server, enode) = try Self.serve(["--cap", "eth/69"])
        defer { server.stop() }
        let run = try await Tool.runDetached(["ping", enode])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("caps        eth/69"))
        #expect(run.stdout.contains("round trip  "))
    }

    @Test func noSharedProtocolIsAFailedExchangeNotBadUsage() async throws {
        let (server, enode) = try Self.serve(["--cap", "test/1:8"])
        defer { server.stop() }
        let run = try await Tool.runDetached(["ping", enode])
        #expect(run.status == 1)
        #expect(run.stderr.contains("useless peer (0x3)"), "\(run.stderr)")
        #expect(run.stdout.contains("caps        test/1"), "the refused Hello is shown: \(run.stdout)")
        #expect(!run.stderr.contains("Usage"))
    }

    #if canImport(Glibc)
        @Test func timeoutHoldsAgainstASilentListener() async throws {
            let listener = try SilentListener()
            let port = listener.port
            let id = try Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32)).publicKey.description
            let start = Date()
            let run = try await Tool.runDetached(["ping", "--timeout", "1.5", "enode://\(id)@127.0.0.1:\(port)"])
            let elapsed = Date().timeIntervalSince(start)
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: timed out after 1.500 s"), "\(run.stderr)")
            #expect(elapsed < 3.5, "took \(elapsed) s")
        }
    #endif
}

#if canImport(Glibc)
    /// A listener that runs out of file descriptors keeps running: it says so once, and accepts again once they free.
    @Suite(.serialized) struct DescriptorExhaustionTests {
        @Test func serveSurvivesRunningOutOfDescriptors() async throws {
            let tool = try Tool.url.path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [
                "-c", "ulimit -n 48; exec \"$0\" serve --listen 127.0.0.1:0 --cap eth/69 --max-pending 1000 --max-pending-per-address 1000", tool,
            ]
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            defer { process.stop() }
            let enode = PingCommandTests.firstLine(of: out)
            let port = try #require(enode.split(separator: ":").last.flatMap { Int($0) })
            // 80 connections against a limit of 48 descriptors: the kernel queues them, accept fails with EMFILE.
            let flood = try (0..<80).map { _ in try StalledConnection(to: port) }
            try await Task.sleep(for: .milliseconds(2500))
            flood.forEach { $0.close() }
            try await Task.sleep(for: .milliseconds(1500))
            let run = try await Tool.runDetached(["ping", "--timeout", "10", enode])
            #expect(run.status == 0, "accepting again: \(run.stderr)")
            process.stop()
            let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(log.components(separatedBy: "out of file descriptors").count - 1 == 1, "logged once: \(log.suffix(400))")
        }
    }
#endif

/// `load --hold` counts only sessions that stayed open through the hold.
@Suite(.serialized) struct LoadCommandTests {
    @Test func sessionsEndedDuringTheHoldAreNotHeld() async throws {
        let (server, enode) = try PingCommandTests.serve(["--cap", "eth/69", "--echo", "--session-limit", "1"])
        defer { server.stop() }
        let held = try await Tool.runDetached(["load", enode, "--cap", "eth/69", "--sessions", "3", "--messages", "2", "--hold", "2"])
        #expect(held.status == 1)
        #expect(held.stdout.hasPrefix("0 of 3 sessions completed"), "\(held.stdout)")
        let short = try await Tool.runDetached(["load", enode, "--cap", "eth/69", "--sessions", "3", "--messages", "2"])
        #expect(short.status == 0, "\(short.stdout)")
        #expect(short.stdout.hasPrefix("3 of 3 sessions completed"), "\(short.stdout)")
        // Durations print one way: seconds with three decimals.
        #expect(short.stdout.wholeMatch(of: /3 of 3 sessions completed \(2 echoed messages each\) in \d+\.\d{3} s\n/) != nil, "\(short.stdout)")
    }
}
