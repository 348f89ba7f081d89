// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// Sessions under delay, loss, reordering and a partition, in network namespaces (`Tools/faults/netem.sh`): runs when the tests run as
/// root on Linux, and says why it did not otherwise.
@Suite struct FaultNetworkTests {
    static var runsAsRoot: Bool {
        #if canImport(Glibc)
            return geteuid() == 0 && Tool.onPath("ip") != nil
        #else
            return false
        #endif
    }

    @Test(.enabled(if: runsAsRoot, "network namespaces need root and iproute2"))
    func sessionsSurviveFaultsAndAPartitionEndsInReadTimeout() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("Tools/faults/netem.sh").path
        let bash = URL(fileURLWithPath: "/bin/bash")
        let tool = try Tool.url.path
        // A minute of faults: off the shared pool, which the other suites' awaits need meanwhile.
        let run = try await Tool.detached {
            try Tool.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["RLPX_TOOL=\(tool)", bash.path, script])
        }
        if run.stdout.hasPrefix("skipped:") {
            print("FaultNetworkTests: \(run.stdout)")
            return
        }
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("3 of 3 sessions ended by serve, 3 with 'read timeout'"), "\(run.stdout)")
        #expect(run.stdout.contains("300 messages of 1024 bytes echoed"), "\(run.stdout)")
        #expect(run.stdout.contains("healed: 0 connections left established"), "\(run.stdout)")
        // Without netem the faults come from the relay: it must have lost, delayed and reordered packets.
        if let line = run.stdout.split(separator: "\n").first(where: { $0.hasPrefix("relay:") }),
            let relay = line.split(separator: ";").first(where: { $0.contains("faulty:") })
        {
            let counts = Dictionary(
                relay.split(separator: " ").compactMap { field -> (String, Int)? in
                    let parts = field.split(separator: "=")
                    guard parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .punctuationCharacters)) else { return nil }
                    return (String(parts[0]), value)
                }, uniquingKeysWith: { first, _ in first })
            #expect((counts["lost"] ?? 0) > 0 && (counts["delayed"] ?? 0) > 0 && (counts["overtaking"] ?? 0) > 0, "\(relay)")
        } else {
            #expect(!run.stdout.contains("no netem"), "the relay printed no counts: \(run.stdout)")
        }
    }
}
