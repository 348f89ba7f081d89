// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs `rlpx-tool` (the one built beside the tests) or another program, as a user would, and collects its output.
public enum Tool {
    /// stderr, read on its own thread; the semaphore orders the write before the read.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }

    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// The `rlpx-tool` beside the test bundle in the build folder.
    public static var url: URL {
        get throws {
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("rlpx-tool")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
            throw Missing(description: "rlpx-tool is not built beside the tests")
        }
    }

    /// Runs `rlpx-tool` with `arguments`, feeding it `stdin`.
    public static func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        try run(executable: url, arguments, stdin: stdin)
    }

    /// Runs `rlpx-tool` as ``run(_:stdin:)`` does, on a thread of its own: a probe or a fault run takes up to a
    /// minute, which a test would otherwise spend holding one of the shared pool's few threads (two on a two-core
    /// machine), starving every other suite's awaits until their own timeouts fire.
    public static func runDetached(_ arguments: [String], stdin: String? = nil) async throws -> Run {
        try await detached { try run(arguments, stdin: stdin) }
    }

    /// Runs blocking work on a thread of its own, off the shared pool (see ``runDetached(_:stdin:)``).
    public static func detached<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Starts `rlpx-tool` with `arguments` (a server: `serve`) and returns it with the lines of its standard output
    /// up to the first that contains `marker` (all it printed, if it ends first). Stop it with `Process.stop()`.
    public static func start(_ arguments: [String], until marker: String) throws -> (Process, [String]) {
        let process = Process()
        process.executableURL = try url
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains(marker) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return (process, text.split(separator: "\n").map(String.init))
    }

    /// Starts `rlpx-tool` with `arguments` (a server) writing its standard output to the file `output`, which a test
    /// reads with ``eventually(within:_:)`` (so no wait for a line that never comes is unbounded). Stop it with
    /// `Process.stop()`.
    public static func start(_ arguments: [String], output: URL) throws -> Process {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = try url
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The lines of a file a process writes (empty while it does not exist).
    public static func lines(of file: URL) -> [String] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The program `name` on `PATH`, if there is one.
    public static func onPath(_ name: String) -> URL? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `executable` with `arguments`; stdout and stderr are read while it runs, so neither can fill and block it.
    public static func run(executable: URL, _ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        let errors = err.fileHandleForReading
        Thread {
            collected.data = errors.readDataToEndOfFile()
            done.signal()
        }.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let stderr = collected.data
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
