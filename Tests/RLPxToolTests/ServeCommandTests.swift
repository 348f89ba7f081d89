// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxTestSupport
import Testing

/// `serve`'s options say what applies, and `serve --eth` says what it serves.
@Suite struct ServeCommandTests {
    @Test func conflictingOrIgnoredOptionsAreUsageErrors() async throws {
        let genesis = Vectors.projectRoot.appendingPathComponent("Vectors/chain/genesis.json").path
        for arguments in [
            ["serve", "--eth", "--echo", "--genesis", genesis], ["serve", "--genesis", genesis], ["serve", "--eth"],
            ["serve", "--engine-api", "127.0.0.1:0"], ["serve", "--eth", "--genesis", genesis, "--jwt-secret", "00"],
            ["serve", "--listen", "nowhere"],
        ] {
            let run = try await Tool.runDetached(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
    }

    /// go-ethereum's test data (blocks from 1, the genesis from genesis.json) is taken as it is, and what is served
    /// is printed after the enode: the chain's network, genesis, head and fork ID as go-ethereum's suite expects.
    @Test func theTestDataIsServedAndDescribed() async throws {
        let data = Vectors.sharedDirectory.appendingPathComponent("ethtest")
        let (process, lines) = try Tool.start(
            [
                "serve", "--eth", "--listen", "127.0.0.1:0", "--genesis", data.appendingPathComponent("genesis.json").path, "--chain-file",
                data.appendingPathComponent("chain.rlp").path,
            ], until: "state ")
        defer { process.stop() }
        #expect(lines.first?.hasPrefix("enode://") == true)
        #expect(lines.contains("network 3503995874084926 genesis 0xbd6a252af394d80904c5993b859574bd4669642cea00a116970ec7887db67533"))
        #expect(lines.contains("head #600 0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a fork-id 0x377aaa78/0"), "\(lines)")
        #expect(lines.contains("capabilities eth/69,eth/70,snap/1"))
        #expect(lines.contains("state none (snap answers empty)"))
    }
}
