// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import EthState
import Foundation
import RLP
import RLPxCrypto

/// `--genesis FILE --chain-file FILE [--receipts FILE]`, or `--chain-dir DIR`: a chain as go-ethereum's devp2p suites take
/// it (a genesis and a chain file, or their test-data directory), for `serve --eth` and `probe`. A chain file holds
/// blocks from 1 (as `geth import` takes them and the suites ship them) or from 0 (as `geth export` writes them).
/// Each `--chain-dir` adds the files it has: `genesis.json`, `chain.rlp`, `receipts.rlp` (or `receipts.json`),
/// `accounts.json`, `txinfo.json`, `headfcu.json`, `headstate.json` and `state-N.json` (the state after block N), so
/// go-ethereum's data and this repository's additions to it (`Vectors/ethtest`) combine.
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

    /// The first of the directories that holds `name`, as a path.
    func find(_ name: String) -> String? {
        directories.map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The genesis file and chain file the options name.
    var files: (genesis: String?, chain: String?) {
        let chain = directories.isEmpty ? chainFile : find("chain.rlp")
        return (genesis ?? find("genesis.json"), chain)
    }

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

    /// Everything the options name. Exits with status 1 and one line on stderr when a file fails.
    struct Loaded {
        var config: ChainConfig
        /// From the genesis block on.
        var blocks: [Block]
        var receipts: [[Receipt]]
        var largeReceiptBlock: UInt64?
        /// accounts.json's keys, in ascending address order.
        var senders: [Secp256k1.PrivateKey]
        var forkchoiceRequest: [UInt8]?
        /// State dumps (go-ethereum's `state.Dump` JSON): the head's and any `state-N.json`.
        var stateDumps: [(path: String, data: Data)]

        /// The state dumps read; one that is not a state dump ends the process with status 1.
        func states() -> [WorldState] {
            stateDumps.map { path, data in
                do {
                    return try WorldState(dumpJSON: data)
                } catch {
                    fail("\(path): \(error)")
                }
            }
        }
    }

    /// The chain: its config, its blocks (at least the genesis block) and receipts; nil without a genesis.
    func load() -> (config: ChainConfig, blocks: [Block], receipts: [[Receipt]])? {
        loadAll().map { ($0.config, $0.blocks, $0.receipts) }
    }

    /// The chain and the test data beside it; nil without a genesis.
    func loadAll() -> Loaded? {
        let (genesisPath, chainPath) = files
        guard let path = genesisPath else { return nil }
        let data = fileContentsOrExit(path, "genesis file")
        let config: ChainConfig
        let genesisBlock: Block
        do {
            let spec = try GenesisFile.genesis(json: data)
            config = try spec.chainConfig(name: URL(fileURLWithPath: path).lastPathComponent)
            let header = try spec.header()
            genesisBlock = Block(header: header, body: BlockBody(transactions: [], ommers: [], withdrawals: header.withdrawalsRoot == nil ? nil : []))
        } catch {
            fail("\(path): \(error)")
        }
        var loaded = Loaded(config: config, blocks: [genesisBlock], receipts: [], senders: [], stateDumps: [])
        if let chainPath {
            let bytes = fileContentsOrExit(chainPath, "chain file")
            do {
                loaded.blocks = try ChainLayout.fromGenesis(try Block.sequence(Array(bytes)), genesis: genesisBlock)
            } catch let error as EthError {
                fail("\(chainPath): \(error.description) (genesis \(config.genesisHash) from \(path))")
            } catch {
                fail("\(chainPath): \(error)")
            }
        }
        if let receiptsPath = receipts ?? find("receipts.rlp") ?? find("receipts.json") {
            loaded.receipts =
                receiptsPath.hasSuffix(".json")
                ? loadReceipts(receiptsPath, count: loaded.blocks.count) : loadReceiptLists(receiptsPath, count: loaded.blocks.count)
        }
        if let info = find("txinfo.json"), let object = jsonObject(info) as? [String: Any] {
            loaded.largeReceiptBlock = (object["tx-largereceipt"] as? NSNumber)?.uint64Value
        }
        if let accounts = find("accounts.json") {
            guard let object = jsonObject(accounts) as? [String: Any] else { fail("\(accounts) is not {address: {key}}") }
            loaded.senders = object.keys.sorted { $0.lowercased() < $1.lowercased() }.map { address in
                guard let entry = object[address] as? [String: Any], let key = entry["key"] as? String,
                    let bytes = try? Hex.decode(key), let privateKey = try? Secp256k1.PrivateKey(rawRepresentation: bytes)
                else { fail("\(accounts): \(address) has no usable key") }
                return privateKey
            }
        }
        if let forkchoice = find("headfcu.json") { loaded.forkchoiceRequest = FileManager.default.contents(atPath: forkchoice).map(Array.init) }
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name == "headstate.json" || (name.hasPrefix("state-") && name.hasSuffix(".json")) {
                let statePath = directory + "/" + name
                let data = fileContentsOrExit(statePath, "state dump")
                loaded.stateDumps.append((statePath, data))
            }
        }
        return loaded
    }

    private func jsonObject(_ path: String) -> Any? {
        do {
            return try parseJSON(fileContentsOrExit(path, "file"))
        } catch {
            fail("\(path): \(error)")
        }
    }

    /// `receipts.rlp`: for blocks 1, 2, … in order, the RLP list of each block's receipts in consensus encoding.
    private func loadReceiptLists(_ path: String, count: Int) -> [[Receipt]] {
        let bytes = fileContentsOrExit(path, "receipts file")
        var receipts = [[Receipt]()]
        var reader = RLPReader(Array(bytes))
        do {
            while !reader.isAtEnd {
                receipts.append(
                    try reader.readList { (list: inout RLPReader) throws(RLPError) in
                        var block: [Receipt] = []
                        while !list.isAtEnd { block.append(try Receipt(rlp: &list, form: .consensus)) }
                        return block
                    })
            }
        } catch {
            fail("\(path): block \(receipts.count): \(error)")
        }
        guard receipts.count <= count else { fail("\(path) has receipts for \(receipts.count - 1) blocks; the chain has \(count - 1)") }
        return receipts + Array(repeating: [], count: count - receipts.count)
    }

    private func loadReceipts(_ path: String, count: Int) -> [[Receipt]] {
        guard let object = jsonObject(path) as? [String: Any], let entries = object["blocks"] as? [[String: Any]]
        else { fail("\(path) is not a receipts file ({\"blocks\": [...]})") }
        var receipts = Array(repeating: [Receipt](), count: count)
        for entry in entries {
            guard let number = entry["number"] as? Int, number >= 0, number < count, let list = entry["receipts"] as? [String] else {
                fail("\(path): an entry without a block number of the chain or a receipts list")
            }
            do {
                receipts[number] = try list.map { text in
                    let bytes = try Hex.decode(text)
                    // A typed receipt is `type ‖ rlp(...)`; inside messages it travels as a byte string.
                    var reader = RLPReader(bytes.first.map { $0 >= 0xc0 } ?? true ? bytes : RLPWriter.encode { $0.write(bytes: bytes) })
                    return try Receipt(rlp: &reader, form: .consensus)
                }
            } catch {
                fail("\(path): block \(number): \(error)")
            }
        }
        return receipts
    }
}
