// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Eth
import Foundation
import RLP

/// `--genesis FILE --chain FILE [--receipts FILE]`: a chain as go-ethereum's devp2p suites take it (the genesis and
/// an exported chain file), plus its receipts (`Vectors/chain/receipts.json` form), for `serve --eth` and `probe`.
struct ChainFileOptions: ParsableArguments {
    @Option(name: .long, help: "A go-ethereum genesis.json (its genesis hash is computed as go-ethereum computes it).", completion: .file())
    var genesis: String?

    @Option(name: .customLong("chain"), help: "Blocks from number 0 on, as `geth export` writes them (needs --genesis).", completion: .file())
    var chainFile: String?

    @Option(name: .long, help: "Each block's receipts, as JSON {\"blocks\": [{\"number\", \"receipts\": [hex]}]} (needs --chain).", completion: .file())
    var receipts: String?

    func validate() throws {
        if chainFile != nil && genesis == nil { throw ValidationError("--chain needs --genesis.") }
        if receipts != nil && chainFile == nil { throw ValidationError("--receipts needs --chain.") }
    }

    /// The chain: its config, its blocks (at least the genesis block) and receipts; nil without --genesis. Exits
    /// with status 1 and one line on stderr when a file fails.
    func load() -> (config: ChainConfig, blocks: [Block], receipts: [[Receipt]])? {
        guard let path = genesis else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read genesis file \(path)") }
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
        guard let chainFile else { return (config, [genesisBlock], []) }
        guard let bytes = FileManager.default.contents(atPath: chainFile) else { fail("cannot read chain file \(chainFile)") }
        let blocks: [Block]
        do {
            blocks = try Block.sequence(Array(bytes))
        } catch {
            fail("\(chainFile): \(error)")
        }
        guard let first = blocks.first, first.header.hash == config.genesisHash else {
            fail("\(chainFile) does not start with the genesis block of \(path) (\(config.genesisHash))")
        }
        for (index, block) in blocks.enumerated() where block.header.number != UInt64(index) {
            fail("\(chainFile): block \(index) is numbered \(block.header.number)")
        }
        guard let receipts else { return (config, blocks, []) }
        return (config, blocks, loadReceipts(receipts, count: blocks.count))
    }

    private func loadReceipts(_ path: String, count: Int) -> [[Receipt]] {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = object["blocks"] as? [[String: Any]]
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
