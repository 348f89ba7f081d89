// SPDX-License-Identifier: Apache-2.0
import ArgumentParser

/// `rlpx-tool`: look inside devp2p RLPx bytes, and talk to peers.
@main
struct RLPxTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlpx-tool",
        abstract: "Decode and check Ethereum devp2p RLPx wire data, and talk to peers.",
        version: "0.1.0",
        subcommands: [
            Decode.self, Encode.self, ForkIDCommand.self, Ping.self, Serve.self, Send.self, Load.self, Conformance.self, Probe.self, Key.self,
            ENRCommand.self, Discv4Command.self, Discv5Command.self,
        ]
    )

    static func main() async {
        keepFreedMemoryForReuse()
        if let topic = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            let names = configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            exit(withError: ValidationError("no command \(topic) to show help for (commands: \(names))"))
        }
        await main(nil)
    }

    /// The first word of `help WORD...` that names no command (ArgumentParser shows the nearest help it finds and
    /// exits 0, which a script cannot tell from success); nil for every other command line.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var command: any ParsableCommand.Type = RLPxTool.self
        for word in arguments.dropFirst() where !word.hasPrefix("-") {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { return word }
            command = next
        }
        return nil
    }
}
