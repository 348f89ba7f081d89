// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxProbe
import RLPxTestSupport
import Testing

/// go-ethereum's own eth and snap suites, as the probe runs them, against `serve --eth` on the data those suites
/// run on (`../shared/vectors/ethtest`, with this repository's receipts and older states beside it): every case
/// passes, as go-ethereum v1.17.5 passes them itself.
@Suite(.serialized, .timeLimit(.minutes(10))) struct GethSuiteAgainstServeTests {
    static let secret = "0x7365637265747365637265747365637265747365637265747365637265747365"
    /// Every eth and snap test, and go-ethereum's MaliciousHandshake (a p2p test by its identifier).
    static let selection = "^eth/|^snap/|MaliciousHandshake"

    /// `serve --eth` on the test data with an Engine API on a free port: the process, its enode and the Engine URL.
    static func serve() throws -> (Process, String, String) {
        let data = Vectors.sharedDirectory.appendingPathComponent("ethtest").path
        let ours = Vectors.projectRoot.appendingPathComponent("Vectors/ethtest").path
        guard FileManager.default.fileExists(atPath: data + "/chain.rlp") else {
            throw Vectors.MissingVectors(description: "\(data)/chain.rlp is missing")
        }
        let (process, lines) = try Tool.start(
            [
                "serve", "--eth", "--listen", "127.0.0.1:0", "--chain-dir", data, "--chain-dir", ours, "--engine-api", "127.0.0.1:0", "--jwt-secret",
                secret,
            ],
            until: "transactions accepted")
        let engine = lines.first { $0.hasPrefix("engine api ") }.map { String($0.dropFirst("engine api ".count).prefix { $0 != " " }) } ?? ""
        return (process, lines.first ?? "", engine)
    }

    @Test func everyGoEthereumCasePassesAgainstServe() async throws {
        let (server, enode, engine) = try Self.serve()
        defer { server.stop() }
        #expect(enode.hasPrefix("enode://") && engine.hasPrefix("http://127.0.0.1:"), "\(enode) \(engine)")
        let data = Vectors.sharedDirectory.appendingPathComponent("ethtest").path
        let ours = Vectors.projectRoot.appendingPathComponent("Vectors/ethtest").path
        let options = [
            "--chain-dir", data, "--chain-dir", ours, "--run", Self.selection, "--format", "json", "--timeout", "10", "--engine-api", engine,
            "--jwt-secret", Self.secret,
        ]
        let run = try await Tool.runDetached(["probe", enode] + options)
        let verdicts = try ProbeCommandTests.verdicts(run)
        let geth = Set(ProbeSuite.all.filter { $0.gethName != nil }.map(\.id))
        let ran = verdicts.filter { geth.contains($0.key) }
        // go-ethereum's 20 eth tests (the transaction ones name the head through serve's Engine API first), and its snap
        // suite's Status and 39 cases.
        #expect(ran.count == 20 + 1 + 39, "\(ran.count) of go-ethereum's tests ran")
        #expect(ran.filter { $0.value != "OK" }.isEmpty, "\(run.stdout)")
        #expect(run.status == 0)
        // Twice more against the same node: the same verdicts (a probe's run leaves the node as it found it).
        for round in 2...3 {
            let again = try await Tool.runDetached(["probe", enode] + options)
            #expect(try ProbeCommandTests.verdicts(again) == verdicts, "run \(round): \(again.stdout)")
        }
    }
}
