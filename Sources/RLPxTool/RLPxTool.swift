// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

/// `rlpx-tool`: look inside devp2p RLPx bytes.
@main
struct RLPxTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlpx-tool",
        abstract: "Decode and check Ethereum devp2p RLPx wire data.",
        version: "0.1.0",
        subcommands: [Decode.self]
    )
}
