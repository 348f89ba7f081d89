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
                (--genesis FILE --genesis-hash 0x...): every numeric key of its config block that ends in Block is a \
                block fork and every one that ends in Time a time fork, as go-ethereum gathers them. The genesis hash \
                is given, not computed from the alloc (geth init prints it).

                Without --head the head is past every block fork; without --time it is now. --validate \
                0xHASH:NEXT applies EIP-2124's rules to a remote fork ID and prints the verdict: compatible, \
                remoteStale or localIncompatibleOrStale; the exit status is 1 unless it is compatible.
                """
        )

        @Option(name: .long, help: "A built-in chain: mainnet, sepolia, holesky or hoodi.")
        var chain: String?

        @Option(name: .long, help: "A go-ethereum genesis.json (needs --genesis-hash).", completion: .file())
        var genesis: String?

        @Option(name: .customLong("genesis-hash"), help: "The genesis block hash of the --genesis chain (0x + 64 hex digits).")
        var genesisHash: String?

        @Option(name: .long, help: "The head block number (default: past every block fork).")
        var head: UInt64?

        @Option(name: .long, help: "The head block's timestamp in seconds (default: now).")
        var time: UInt64?

        @Option(name: .customLong("validate"), help: "A remote fork ID to validate, as 0xHASH:NEXT (e.g. 0x9f3d2254:0).")
        var remote: String?

        @OptionGroup var output: OutputFormat

        func validate() throws {
            guard (chain == nil) != (genesis == nil) else { throw ValidationError("Give exactly one of --chain and --genesis.") }
            if let chain, ChainConfig.builtIn[chain] == nil {
                throw ValidationError("Unknown chain \(chain); built in: \(ChainConfig.builtIn.keys.sorted().joined(separator: ", ")).")
            }
            if genesis != nil && genesisHash == nil { throw ValidationError("--genesis needs --genesis-hash.") }
            if let remote, Self.parseForkID(remote) == nil {
                throw ValidationError("--validate takes 0xHASH:NEXT: 8 hex digits, then the next fork as a decimal number.")
            }
        }

        func run() throws {
            let config = try loadChain()
            let head = self.head ?? UInt64.max
            let time = self.time ?? UInt64(Date().timeIntervalSince1970)
            let id = config.forkID(head: head, time: time)
            var members: [(String, JSONValue)] = [
                ("chain", .string(config.name)), ("head", EthJSON.int(head)), ("time", EthJSON.int(time)),
                ("hash", .string(id.hash.description)), ("next", EthJSON.int(id.next)),
            ]
            var lines = ["chain \(config.name) head \(head) time \(time)", "hash \(id.hash)", "next \(id.next)"]
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

        func loadChain() throws -> ChainConfig {
            if let chain, let config = ChainConfig.builtIn[chain] { return config }
            guard let path = genesis, let data = FileManager.default.contents(atPath: path) else {
                fail("cannot read genesis file \(genesis ?? "")")
            }
            let hash: Hash32
            do {
                hash = try Hash32(hex: genesisHash ?? "")
            } catch {
                fail("--genesis-hash is not 32 bytes of hex: \(error)")
            }
            do {
                return try GenesisFile.chain(json: data, name: URL(fileURLWithPath: path).lastPathComponent, genesisHash: hash)
            } catch {
                fail("\(path): \(error.description)")
            }
        }

        /// `0xHASH:NEXT` as a fork ID.
        static func parseForkID(_ text: String) -> ForkID? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let hash = try? FixedBytes<4>(hex: parts[0]), let next = UInt64(parts[1]) else { return nil }
            return ForkID(hash: hash, next: next)
        }
    }
}

/// A go-ethereum `genesis.json` read for fork IDs: the chain ID, the genesis timestamp and the config's forks.
enum GenesisFile {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func chain(json data: Data, name: String, genesisHash: Hash32) throws(Invalid) -> ChainConfig {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Invalid(description: "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any], let config = root["config"] as? [String: Any] else {
            throw Invalid(description: "no \"config\" object")
        }
        guard let chainID = number(config["chainId"]) else { throw Invalid(description: "config.chainId is missing or not a number") }
        var forks: [(key: String, value: UInt64)] = []
        for (key, value) in config where key.hasSuffix("Block") || key.hasSuffix("Time") {
            guard !(value is NSNull) else { continue }
            guard let fork = number(value) else { throw Invalid(description: "config.\(key) is not a number") }
            forks.append((key, fork))
        }
        let timestamp: UInt64
        if let value = root["timestamp"] {
            guard let parsed = number(value) else { throw Invalid(description: "timestamp is not a number") }
            timestamp = parsed
        } else {
            timestamp = 0
        }
        return ChainConfig(
            name: name, networkID: chainID, chainID: chainID, genesisHash: genesisHash, genesisTime: timestamp,
            gethConfig: forks)
    }

    /// A JSON number, a decimal string or a `0x` hex string, as go-ethereum's genesis decoding accepts them.
    static func number(_ value: Any?) -> UInt64? {
        if let text = value as? String {
            if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
            return UInt64(text)
        }
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 0, double < 18_446_744_073_709_551_616, double == double.rounded() else { return nil }
        return number.uint64Value
    }
}
