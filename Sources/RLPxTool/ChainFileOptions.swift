// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import EthState
import Foundation
import RLPxServe

/// `--genesis FILE --chain-file FILE [--receipts FILE]`, or `--chain-dir DIR`: a chain as go-ethereum's devp2p suites take
/// it, for `serve --eth` and `probe`. Only parses: ``ChainFiles`` (RLPxServe) reads what the options name.
struct ChainFileOptions: ParsableArguments {
    @Option(name: .long, help: "A go-ethereum genesis.json (its genesis hash is computed as go-ethereum computes it).", completion: .file())
    var genesis: String?

    @Option(
        name: .customLong("chain-file"),
        help: "Concatenated RLP blocks from number 1 (geth import) or 0 (geth export); needs --genesis. A directory means --chain-dir.",
        completion: .file())
    var chainFileOption: String?

    /// The old spelling of --chain-file, kept where it cannot be read as a built-in chain's name (--chain's
    /// meaning in every command).
    @Option(name: .customLong("chain"), help: .hidden) var legacyChain: String?

    /// The chain file (or test-data directory) given.
    var chainFile: String? { chainFileOption ?? legacyChain }

    /// Whether any chain option was given.
    var isGiven: Bool { genesis != nil || chainFile != nil || !chainDirectories.isEmpty || receipts != nil }

    @Option(
        name: .customLong("chain-dir"),
        help: "A test-data directory as go-ethereum's suites take it (genesis.json, chain.rlp, ...); repeat to add files from another.",
        completion: .directory)
    var chainDirectories: [String] = []

    @Option(
        name: .long,
        help: "Each block's receipts: receipts.rlp (one list per block from 1) or JSON {\"blocks\": [{\"number\", \"receipts\": [hex]}]}.",
        completion: .file())
    var receipts: String?

    /// The test-data directories, from --chain-dir and a --chain that names a directory.
    var directories: [String] {
        var isDirectory: ObjCBool = false
        if let chainFile, FileManager.default.fileExists(atPath: chainFile, isDirectory: &isDirectory), isDirectory.boolValue {
            return [chainFile] + chainDirectories
        }
        return chainDirectories
    }

    /// The files the options name, which the library reads.
    var chainFiles: ChainFiles { ChainFiles(genesis: genesis, chain: chainFile, receipts: receipts, directories: directories) }

    /// The genesis file and chain file the options name.
    var files: (genesis: String?, chain: String?) { chainFiles.files }

    func validate() throws {
        if let legacyChain {
            if chainFileOption != nil { throw ValidationError("Give --chain-file once.") }
            if ChainConfig.builtIn[legacyChain] != nil || !FileManager.default.fileExists(atPath: legacyChain) {
                throw ValidationError(
                    "--chain names a built-in chain (forkid, conformance); this command takes a chain from files: --chain-file FILE or --chain-dir DIR."
                )
            }
            FileHandle.standardError.write(Data("note: --chain FILE is spelled --chain-file FILE now (--chain names a built-in chain)\n".utf8))
        }
        if !chainDirectories.isEmpty, let chainFile, directories.first != chainFile {
            throw ValidationError("Give --chain-dir or a --chain-file, not both.")
        }
        if chainFile != nil && directories.isEmpty && genesis == nil {
            throw ValidationError("--chain-file needs --genesis (or name the test-data directory).")
        }
        if receipts != nil && files.chain == nil { throw ValidationError("--receipts needs --chain-file.") }
    }

    /// The chain and the test data beside it; nil without a genesis. Exits with status 1 and one line on stderr when
    /// a file fails.
    func loadAll() -> LoadedChain? {
        do {
            return try chainFiles.load()
        } catch {
            fail(error.description)
        }
    }
}

extension LoadedChain {
    /// The state dumps read; one that is not a state dump ends the process with status 1.
    func statesOrExit() -> [WorldState] {
        do {
            return try states()
        } catch {
            fail(error.description)
        }
    }
}
