// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import Foundation
import RLP
import RLPxCrypto

/// A chain as go-ethereum's devp2p suites take it: a genesis file and a chain file, or their test-data directories.
/// A chain file holds blocks from 1 (as `geth import` takes them and the suites ship them) or from 0 (as
/// `geth export` writes them). Each directory adds the files it has: `genesis.json`, `chain.rlp`, `receipts.rlp` (or
/// `receipts.json`), `accounts.json`, `txinfo.json`, `headfcu.json`, `headstate.json` and `state-N.json` (the state
/// after block N), so go-ethereum's data and this repository's additions to it (`Vectors/ethtest`) combine.
public struct ChainFiles: Sendable {
    /// The genesis file given (else the directories' `genesis.json`).
    public var genesis: String?
    /// The chain file given; ignored when there are directories (their `chain.rlp` is read).
    public var chain: String?
    /// The receipts file given (else the directories' `receipts.rlp` or `receipts.json`).
    public var receipts: String?
    /// Test-data directories, earlier ones first.
    public var directories: [String]

    public init(genesis: String? = nil, chain: String? = nil, receipts: String? = nil, directories: [String] = []) {
        self.genesis = genesis
        self.chain = chain
        self.receipts = receipts
        self.directories = directories
    }

    /// The first of the directories that holds `name`, as a path.
    public func find(_ name: String) -> String? {
        directories.map { $0 + "/" + name }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The genesis file and chain file read.
    public var files: (genesis: String?, chain: String?) {
        (genesis ?? find("genesis.json"), directories.isEmpty ? chain : find("chain.rlp"))
    }

    /// The chain and the test data beside it; nil without a genesis file.
    /// - Throws: ``ServeError`` naming the file (and the field or block) that cannot be read or is not what it must be.
    public func load() throws(ServeError) -> LoadedChain? {
        let (genesisPath, chainPath) = files
        guard let path = genesisPath else { return nil }
        let data = try Self.contents(path, "genesis file")
        let config: ChainConfig
        let genesisBlock: Block
        do {
            let spec = try GenesisFile.genesis(json: data)
            config = try spec.chainConfig(name: URL(fileURLWithPath: path).lastPathComponent)
            let header = try spec.header()
            genesisBlock = Block(header: header, body: BlockBody(transactions: [], ommers: [], withdrawals: header.withdrawalsRoot == nil ? nil : []))
        } catch let error as ServeError {
            throw error.prefixed(path)
        } catch {
            throw ServeError(.invalidGenesis, "\(path): \(error)")
        }
        var loaded = LoadedChain(config: config, blocks: [genesisBlock])
        if let chainPath {
            let bytes = try Self.contents(chainPath, "chain file")
            do {
                loaded.blocks = try ChainLayout.fromGenesis(try Block.sequence(Array(bytes)), genesis: genesisBlock)
            } catch let error as EthError {
                throw ServeError(.invalidChain, "\(chainPath): \(error.description) (genesis \(config.genesisHash) from \(path))")
            } catch {
                throw ServeError(.invalidChain, "\(chainPath): \(error)")
            }
        }
        if let receiptsPath = receipts ?? find("receipts.rlp") ?? find("receipts.json") {
            loaded.receipts =
                try receiptsPath.hasSuffix(".json")
                ? Self.receipts(json: receiptsPath, count: loaded.blocks.count) : Self.receiptLists(receiptsPath, count: loaded.blocks.count)
        }
        if let info = find("txinfo.json"), let object = try Self.jsonObject(info) as? [String: Any] {
            loaded.largeReceiptBlock = (object["tx-largereceipt"] as? NSNumber)?.uint64Value
        }
        if let accounts = find("accounts.json") {
            guard let object = try Self.jsonObject(accounts) as? [String: Any] else {
                throw ServeError(.invalidTestData, "\(accounts) is not {address: {key}}")
            }
            for address in object.keys.sorted(by: { $0.lowercased() < $1.lowercased() }) {
                guard let entry = object[address] as? [String: Any], let key = entry["key"] as? String,
                    let bytes = try? Hex.decode(key), let privateKey = try? Secp256k1.PrivateKey(rawRepresentation: bytes)
                else { throw ServeError(.invalidTestData, "\(accounts): \(address) has no usable key") }
                loaded.senders.append(privateKey)
            }
        }
        if let forkchoice = find("headfcu.json") { loaded.forkchoiceRequest = FileManager.default.contents(atPath: forkchoice).map(Array.init) }
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name == "headstate.json" || (name.hasPrefix("state-") && name.hasSuffix(".json")) {
                let statePath = directory + "/" + name
                loaded.stateDumps.append((statePath, try Self.contents(statePath, "state dump")))
            }
        }
        return loaded
    }

    /// The bytes of the file at `path`, or why they cannot be read: `what` names the file in the message
    /// (`cannot read genesis file /x.json: no such file`).
    /// - Throws: ``ServeError/Code/unreadableFile`` when the file is missing, a directory or not readable.
    package static func contents(_ path: String, _ what: String) throws(ServeError) -> Data {
        var isDirectory: ObjCBool = false
        let reason: String
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            reason = "no such file"
        } else if isDirectory.boolValue {
            reason = "it is a directory"
        } else if let data = FileManager.default.contents(atPath: path) {
            return data
        } else {
            reason = FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied"
        }
        throw ServeError(.unreadableFile, "cannot read \(what) \(path): \(reason)")
    }

    private static func jsonObject(_ path: String) throws(ServeError) -> Any {
        do {
            return try parseJSON(contents(path, "file"))
        } catch {
            throw error.code == .unreadableFile ? error : error.prefixed(path)
        }
    }

    /// `receipts.rlp`: for blocks 1, 2, … in order, the RLP list of each block's receipts in consensus encoding.
    private static func receiptLists(_ path: String, count: Int) throws(ServeError) -> [[Receipt]] {
        let bytes = try contents(path, "receipts file")
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
            throw ServeError(.invalidReceipts, "\(path): block \(receipts.count): \(error)")
        }
        guard receipts.count <= count else {
            throw ServeError(.invalidReceipts, "\(path) has receipts for \(receipts.count - 1) blocks; the chain has \(count - 1)")
        }
        return receipts + Array(repeating: [], count: count - receipts.count)
    }

    /// `{"blocks": [{"number", "receipts": [hex]}]}`, each receipt in consensus encoding.
    private static func receipts(json path: String, count: Int) throws(ServeError) -> [[Receipt]] {
        guard let object = try jsonObject(path) as? [String: Any], let entries = object["blocks"] as? [[String: Any]] else {
            throw ServeError(.invalidReceipts, "\(path) is not a receipts file ({\"blocks\": [...]})")
        }
        var receipts = Array(repeating: [Receipt](), count: count)
        for entry in entries {
            guard let number = entry["number"] as? Int, number >= 0, number < count, let list = entry["receipts"] as? [String] else {
                throw ServeError(.invalidReceipts, "\(path): an entry without a block number of the chain or a receipts list")
            }
            do {
                receipts[number] = try list.map { text in
                    let bytes = try Hex.decode(text)
                    // A typed receipt is `type ‖ rlp(...)`; inside messages it travels as a byte string.
                    var reader = RLPReader(bytes.first.map { $0 >= 0xc0 } ?? true ? bytes : RLPWriter.encode { $0.write(bytes: bytes) })
                    return try Receipt(rlp: &reader, form: .consensus)
                }
            } catch {
                throw ServeError(.invalidReceipts, "\(path): block \(number): \(error)")
            }
        }
        return receipts
    }
}

/// What ``ChainFiles`` name, read.
public struct LoadedChain {
    public var config: ChainConfig
    /// From the genesis block on.
    public var blocks: [Block]
    public var receipts: [[Receipt]] = []
    /// The block with go-ethereum's large receipt (`txinfo.json`).
    public var largeReceiptBlock: UInt64?
    /// accounts.json's keys, in ascending address order.
    public var senders: [Secp256k1.PrivateKey] = []
    /// `headfcu.json`: the forkchoice update that makes the chain's head canonical.
    public var forkchoiceRequest: [UInt8]?
    /// State dumps (go-ethereum's `state.Dump` JSON): the head's and any `state-N.json`, as read.
    public var stateDumps: [(path: String, data: Data)] = []

    /// The state dumps, parsed and verified.
    /// - Throws: ``ServeError/Code/invalidStateDump`` naming the dump and what is wrong in it.
    public func states() throws(ServeError) -> [WorldState] {
        var states: [WorldState] = []
        for (path, data) in stateDumps {
            do {
                states.append(try WorldState(dumpJSON: data))
            } catch {
                throw ServeError(.invalidStateDump, "\(path): \(error)")
            }
        }
        return states
    }
}
