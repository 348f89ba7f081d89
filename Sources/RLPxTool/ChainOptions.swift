// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import Foundation
import RLP
import RLPxServe

/// `--chain` or `--genesis` (with an optional `--genesis-hash`): the chain fork IDs and Status messages are checked
/// against.
struct ChainOptions: ParsableArguments {
    @Option(name: .long, help: "A built-in chain: mainnet, sepolia, holesky or hoodi.")
    var chain: String?

    @Option(name: .long, help: "A go-ethereum genesis.json (its genesis hash is computed as go-ethereum computes it).", completion: .file())
    var genesis: String?

    @Option(name: .customLong("genesis-hash"), help: "Use this genesis block hash (0x + 64 hex digits) instead of the one computed from --genesis.")
    var genesisHash: String?

    /// Whether one chain was given.
    var isGiven: Bool { chain != nil || genesis != nil }

    func validate() throws {
        if chain != nil && genesis != nil { throw ValidationError("Give one of --chain and --genesis, not both.") }
        if let chain, ChainConfig.builtIn[chain] == nil {
            throw ValidationError("Unknown chain \(chain); built in: \(ChainConfig.builtIn.keys.sorted().joined(separator: ", ")).")
        }
        if genesisHash != nil && genesis == nil { throw ValidationError("--genesis-hash goes with --genesis.") }
        if let genesisHash, (try? Hash32(hex: genesisHash)) == nil {
            throw ValidationError("--genesis-hash takes 0x and 64 hex digits.")
        }
    }

    /// The chain given, nil when none was; a genesis file that cannot be used ends the process with one line on
    /// stderr and the exit status `unusable` (the command's table says which).
    func load(unusable: Int32) -> ChainConfig? {
        if let chain { return ChainConfig.builtIn[chain] }
        guard let (genesis, name) = loadGenesis(unusable: unusable) else { return nil }
        let config: ChainConfig
        do {
            config = try genesis.chainConfig(name: name)
        } catch {
            fail("\(self.genesis ?? ""): \(error)", status: unusable)
        }
        guard let text = genesisHash, let given = try? Hash32(hex: text) else { return config }
        if given != config.genesisHash {
            FileHandle.standardError.write(
                Data("note: --genesis-hash \(given) differs from the hash computed from \(name), \(config.genesisHash); using the given one\n".utf8))
        }
        var overridden = config
        overridden.genesisHash = given
        return overridden
    }

    /// The --genesis file read, with its file name; nil without --genesis. Exits with `unusable` when it fails.
    func loadGenesis(unusable: Int32) -> (Genesis, String)? {
        guard let path = genesis else { return nil }
        let data = fileContentsOrExit(path, "genesis file", status: unusable)
        do {
            return (try GenesisFile.genesis(json: data), URL(fileURLWithPath: path).lastPathComponent)
        } catch {
            fail("\(path): \(error)", status: unusable)
        }
    }
}
