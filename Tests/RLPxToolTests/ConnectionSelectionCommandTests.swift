// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `conformance --connection N` and `--shard K/N` on a committed capture: the selected connection keeps its number
/// and its findings, the shards together give the whole run, and bad values are usage errors.
@Suite struct ConnectionSelectionCommandTests {
    static func lines(_ run: Tool.Run, _ type: String) -> [String] {
        run.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("{\"type\":\"\(type)\"") }
    }

    @Test func selectedConnectionsAreReportedAsInTheWholeRun() async throws {
        let directory = Vectors.projectRoot.appendingPathComponent("Vectors/captures/swift-swift-v5")
        let base = [
            "conformance", directory.appendingPathComponent("capture.pcap").path, "--keylog", directory.appendingPathComponent("keylog.txt").path,
            "--format", "jsonl",
        ]
        let whole = try await Tool.runDetached(base)
        let one = try await Tool.runDetached(base + ["--connection", "1"])
        #expect(one.status == whole.status)
        #expect(Self.lines(one, "finding") == Self.lines(whole, "finding") && !Self.lines(whole, "finding").isEmpty)
        #expect(Self.lines(one, "connection") == Self.lines(whole, "connection"))
        let none = try await Tool.runDetached(base + ["--connection", "2"])
        #expect(none.status == 0 && Self.lines(none, "connection").isEmpty && Self.lines(none, "finding").isEmpty, "\(none.stdout)")
        var shards: [Tool.Run] = []
        for shard in ["1/3", "2/3", "3/3"] { shards.append(try await Tool.runDetached(base + ["--shard", shard])) }
        #expect(shards.flatMap { Self.lines($0, "connection") } == Self.lines(whole, "connection"), "exactly one shard has it")
        #expect(shards.flatMap { Self.lines($0, "finding") } == Self.lines(whole, "finding"))
        for bad in [["--shard", "0/2"], ["--shard", "3/2"], ["--shard", "1"], ["--connection", "-1"]] {
            #expect(try await Tool.runDetached(base + bad).status == 64, "\(bad)")
        }
    }
}
