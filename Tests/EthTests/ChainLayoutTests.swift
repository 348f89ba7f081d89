// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing

/// Chain files come from block 1 (geth import, go-ethereum's test data) or from block 0 (geth export); both give the
/// chain from its genesis, and a file that does not follow its genesis is refused with the block that breaks it.
@Suite struct ChainLayoutTests {
    @Test func bothLayoutsGiveTheChainFromGenesis() throws {
        let blocks = try EthResponderTests.chain(6)
        let fromOne = try ChainLayout.fromGenesis(Array(blocks.dropFirst()), genesis: blocks[0])
        let fromZero = try ChainLayout.fromGenesis(blocks, genesis: blocks[0])
        #expect(fromOne.map(\.header.hash) == blocks.map(\.header.hash))
        #expect(fromZero.map(\.header.hash) == blocks.map(\.header.hash))
        #expect(try ChainLayout.fromGenesis([], genesis: blocks[0]).count == 1)
    }

    @Test func aFileThatDoesNotFollowItsGenesisIsRefused() throws {
        let blocks = try EthResponderTests.chain(6)
        let other = try EthResponderTests.chain(3, extraData: [1])
        let notFromGenesis = #expect(throws: EthError.self) { try ChainLayout.fromGenesis(Array(blocks.dropFirst()), genesis: other[0]) }
        #expect(notFromGenesis?.code == .genesisMismatch)
        let zeroNotGenesis = #expect(throws: EthError.self) { try ChainLayout.fromGenesis(blocks, genesis: other[0]) }
        #expect(zeroNotGenesis?.code == .genesisMismatch)
        let fromTwo = #expect(throws: EthError.self) { try ChainLayout.fromGenesis(Array(blocks.dropFirst(2)), genesis: blocks[0]) }
        #expect(fromTwo?.code == .unexpectedFirstBlock)
        do {
            _ = try ChainLayout.fromGenesis([blocks[1], blocks[2], blocks[4]], genesis: blocks[0])
            Issue.record("a gap was taken")
        } catch {
            #expect(error.code == .brokenChain && error.index == 2, "the file's third block breaks the chain: \(error)")
        }
    }
}
