// SPDX-License-Identifier: Apache-2.0

/// The two layouts a chain file comes in: blocks from 1 (as `geth import` takes them and go-ethereum's test suites
/// ship them) and blocks from 0 (as `geth export` writes them, genesis first).
public enum ChainLayout {
    /// The chain from its genesis block (number 0) on: `blocks` as read from a file, with `genesis` put first when
    /// the file starts at block 1. Every block must follow its predecessor (number and parent hash).
    public static func fromGenesis(_ blocks: [Block], genesis: Block) throws(EthError) -> [Block] {
        guard let first = blocks.first else { return [genesis] }
        var chain: [Block]
        if first.header.number == 0 {
            guard first.header.hash == genesis.header.hash else {
                throw EthError(.genesisMismatch, "block 0 is \(first.header.hash), not the genesis block", index: 0)
            }
            chain = blocks
        } else if first.header.number == 1 {
            guard first.header.base.parentHash == genesis.header.hash else {
                throw EthError(.genesisMismatch, "block 1's parent is \(first.header.base.parentHash), not the genesis block", index: 0)
            }
            chain = [genesis] + blocks
        } else {
            throw EthError(.unexpectedFirstBlock, "the file starts at block \(first.header.number), not at 0 or 1", index: 0)
        }
        for index in 1..<chain.count {
            let (parent, block) = (chain[index - 1].header, chain[index].header)
            guard block.number == parent.number &+ 1, block.base.parentHash == parent.hash else {
                let fileIndex = chain.count == blocks.count ? index : index - 1
                throw EthError(
                    .brokenChain, "block \(fileIndex) of the file (#\(block.number)) does not follow #\(parent.number)", index: fileIndex)
            }
        }
        return chain
    }
}
