// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import Foundation
import RLP
import RLPxInspect

extension RLPxTool {
    /// `rlpx-tool forkid`: a chain's EIP-2124 fork ID at a head, and the verdict on a remote's.
    struct ForkIDCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forkid",
            abstract: "Compute a chain's fork ID (EIP-2124, EIP-6122) at a head, or validate a remote fork ID against it.",
            discussion: """
                The chain is a built-in one (--chain mainnet, sepolia, holesky or hoodi) or a go-ethereum genesis.json \
                (--genesis FILE): every numeric key of its config block that ends in Block is a block fork and every \
                one that ends in Time a time fork, as go-ethereum gathers them. The genesis block hash is computed as \
                go-ethereum computes it (state root of the alloc, then the genesis header with the fields of each fork \
                active at genesis); --genesis-hash overrides it, with a note on stderr when the two differ.

                Without --head the head is the chain's last block fork (every block fork has passed); without \
                --time it is now. --validate applies EIP-2124's rules to a remote fork ID (0xHASH/NEXT as forkid \
                prints it, 0xHASH:NEXT, or 0xHASH for next 0) and prints the verdict: compatible, remoteStale or \
                localIncompatibleOrStale.

                Exit status: 0 when computed (with --validate, when compatible); 1 when the verdict is not \
                compatible or the genesis file is unusable; 64 for bad usage.
                """
        )

        @OptionGroup var chainOptions: ChainOptions

        @Option(name: .long, help: "The head block number (default: the chain's last block fork).")
        var head: UInt64?

        @Option(name: .long, help: "The head block's timestamp in seconds (default: now).")
        var time: UInt64?

        @Option(name: .customLong("validate"), help: "A remote fork ID to validate: 0xHASH/NEXT, 0xHASH:NEXT or 0xHASH (e.g. 0x9f3d2254/0).")
        var remote: String?

        @OptionGroup var output: OutputFormat

        func validate() throws {
            guard chainOptions.isGiven else { throw ValidationError("Give exactly one of --chain and --genesis.") }
            if let remote, Self.parseForkID(remote) == nil {
                throw ValidationError(
                    "--validate takes 0xHASH/NEXT, 0xHASH:NEXT or 0xHASH: 8 hex digits, then the next fork as a decimal number (0 when left out).")
            }
        }

        func run() throws {
            guard let config = chainOptions.load(unusable: 1) else { return }
            let head = self.head ?? config.forkBlocks.max() ?? 0
            let time = self.time ?? UInt64(Date().timeIntervalSince1970)
            let id = config.forkID(head: head, time: time)
            var members: [(String, JSONValue)] = [
                ("chain", .string(config.name)), ("genesisHash", .string(config.genesisHash.description)),
                ("head", EthJSON.int(head)), ("time", EthJSON.int(time)),
                ("hash", .string(id.hash.description)), ("next", EthJSON.int(id.next)),
            ]
            var lines = [
                "chain \(config.name) genesis \(config.genesisHash) head \(head) time \(time)", "hash \(id.hash)",
                "next \(id.next)",
            ]
            var verdict: ForkIDVerdict?
            if let text = remote, let remote = Self.parseForkID(text) {
                let result = config.validate(remote, head: head, time: time)
                verdict = result
                members += [("remote", .string(remote.description)), ("verdict", .string(result.rawValue))]
                lines.append("remote \(remote) \(result.rawValue)")
            }
            print(output.isJSON ? JSONValue.object(members).rendered() : lines.joined(separator: "\n"))
            if let verdict, verdict != .compatible { throw ExitCode(1) }
        }

        /// A fork ID as forkid prints it (`0xHASH/NEXT`), as `0xHASH:NEXT`, or as `0xHASH` (next 0).
        static func parseForkID(_ text: String) -> ForkID? {
            let parts = text.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "/" || $0 == ":" }
            guard let hash = try? FixedBytes<4>(hex: parts[0]) else { return nil }
            guard parts.count == 2 else { return ForkID(hash: hash, next: 0) }
            guard let next = UInt64(parts[1]) else { return nil }
            return ForkID(hash: hash, next: next)
        }
    }
}
