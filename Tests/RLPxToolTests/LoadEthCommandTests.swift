// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `load --eth` against `serve --eth` on go-ethereum's test chain (with this repository's receipts beside it), over
/// loopback: every kind of request is answered, and every answer matches the chain.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LoadEthCommandTests {
    static var chainDirectories: [String] {
        let data = Vectors.sharedDirectory.appendingPathComponent("ethtest").path
        let ours = Vectors.projectRoot.appendingPathComponent("Vectors/ethtest").path
        return ["--chain-dir", data, "--chain-dir", ours]
    }

    @Test func everyRequestKindMatchesTheChain() async throws {
        let (server, lines) = try Tool.start(["serve", "--eth", "--listen", "127.0.0.1:0"] + Self.chainDirectories, until: "state ")
        defer { server.stop() }
        let enode = try #require(lines.first { $0.hasPrefix("enode://") })
        for request in ["headers", "bodies", "receipts"] {
            let run = try await Tool.runDetached(
                ["load", enode, "--eth", "--request", request, "--sessions", "2", "--duration", "2", "--format", "json"] + Self.chainDirectories)
            #expect(run.status == 0, "\(request): \(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
            let requests = object["requests"] as? Int ?? 0
            let (p50, p99) = (object["p50Microseconds"] as? Int ?? 0, object["p99Microseconds"] as? Int ?? -1)
            #expect(requests > 0 && object["completed"] as? Int == 2, "\(request): \(run.stdout)")
            #expect(object["mismatches"] as? Int == 0, "\(request): \(run.stdout) \(run.stderr)")
            #expect(p50 > 0 && p50 <= p99, "\(request): \(run.stdout)")
            #expect((object["bytes"] as? Int ?? 0) > requests * 500, "\(request): \(run.stdout)")
        }
    }

    /// --eth needs the chain it checks against.
    @Test func ethNeedsAChain() async throws {
        let run = try await Tool.runDetached(["load", "enode://" + String(repeating: "ab", count: 64) + "@127.0.0.1:30303", "--eth"])
        #expect(run.status == 64 && run.stderr.contains("--eth needs the chain"), "\(run.stderr)")
    }
}
