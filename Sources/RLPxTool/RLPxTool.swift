// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

/// `rlpx-tool`: look inside devp2p RLPx bytes, and talk to peers.
@main
struct RLPxTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlpx-tool",
        abstract: "Decode and check Ethereum devp2p RLPx wire data, and talk to peers.",
        version: "0.1.0",
        subcommands: [Decode.self, ForkIDCommand.self, Ping.self, Serve.self, Send.self, Load.self, Conformance.self, Probe.self]
    )

    static func main() async {
        keepFreedMemoryForReuse()
        await main(nil)
    }
}
