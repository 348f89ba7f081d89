// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing

/// The eth responder serves a chain's headers as requests ask (skip, reverse, by hash, caps) and refuses what
/// go-ethereum refuses.
@Suite struct EthResponderTests {
    static func chain(_ count: Int, extraData: [UInt8] = []) throws -> [Block] {
        var blocks: [Block] = []
        var parent = Hash32()
        for number in 0..<count {
            let base = BlockHeader.Base(
                parentHash: parent, ommersHash: Hash32(), coinbase: Address(), stateRoot: Hash32(), transactionsRoot: TrieRoot.empty,
                receiptsRoot: TrieRoot.empty, logsBloom: Bloom(), difficulty: UInt256(1), number: UInt64(number), gasLimit: 1,
                gasUsed: 0, timestamp: UInt64(number), extraData: extraData, mixHash: Hash32(), nonce: FixedBytes<8>())
            let header = try BlockHeader(base: base)
            parent = header.hash
            blocks.append(Block(header: header, body: BlockBody(transactions: [], ommers: [], withdrawals: nil)))
        }
        return blocks
    }

    static func responder(_ blocks: [Block], version: UInt = 69) -> EthResponder {
        let config = ChainConfig(
            name: "test", networkID: 7, chainID: 7, genesisHash: blocks[0].header.hash, genesisTime: 0, forkBlocks: [], forkTimes: [])
        return EthResponder(version: version, chain: config, blocks: blocks)
    }

    @Test func headersFollowSkipAndReverse() throws {
        let blocks = try Self.chain(20)
        var responder = Self.responder(blocks)
        #expect(responder.receive(.status(responder.status(time: 0)), time: 0).disconnect == nil)
        let cases: [(HeaderRequest, [UInt64])] = [
            (HeaderRequest(origin: .number(3), amount: 4, skip: 2, reverse: false), [3, 6, 9, 12]),
            (HeaderRequest(origin: .number(10), amount: 5, skip: 1, reverse: true), [10, 8, 6, 4, 2]),
            (HeaderRequest(origin: .number(2), amount: 5, skip: 0, reverse: true), [2, 1, 0]),
            (HeaderRequest(origin: .hash(blocks[17].header.hash), amount: 10, skip: 0, reverse: false), [17, 18, 19]),
            (HeaderRequest(origin: .hash(Hash32()), amount: 10, skip: 0, reverse: false), []),
            (HeaderRequest(origin: .number(0), amount: 5, skip: .max, reverse: false), [0]),
        ]
        for (index, (request, numbers)) in cases.enumerated() {
            let reply = responder.receive(.getBlockHeaders(requestID: UInt64(index), request), time: 0)
            guard case .blockHeaders(let id, let headers) = reply.send.first else {
                Issue.record("no BlockHeaders for \(request)")
                continue
            }
            #expect(id == UInt64(index))
            #expect(headers.map(\.number) == numbers, "\(request)")
        }
    }

    @Test func refusesWhatGoEthereumRefuses() throws {
        let blocks = try Self.chain(3)
        let base = Self.responder(blocks)
        var good = base.status(time: 0)
        var responder = base
        // go-ethereum's eth handler returns an error for each; its p2p layer sends that as subprotocol error (0x10).
        #expect(responder.receive(.transactions([]), time: 0).disconnect?.reason == 0x10, "before Status")
        for (change, reason) in [
            ({ (s: inout Status) in s.networkID = 8 }, UInt8(0x10)), ({ $0.genesis = Hash32() }, 0x10), ({ $0.version = 68 }, 0x10),
        ] {
            var status = good
            change(&status)
            var fresh = base
            #expect(fresh.receive(.status(status), time: 0).disconnect?.reason == reason, "\(status)")
        }
        good.head = .range(BlockRange(earliest: 0, latest: 5, latestHash: blocks[2].header.hash))
        #expect(responder.receive(.status(good), time: 0).disconnect == nil)
        #expect(responder.receive(.status(good), time: 0).disconnect?.detail == "a second Status")
        var old = Self.responder(blocks, version: 68)
        _ = old.receive(.status(old.status(time: 0)), time: 0)
        let block = blocks[1]
        #expect(old.receive(.newBlock(block, totalDifficulty: UInt256(2)), time: 0).disconnect == nil, "NewBlock is eth/68's")
        #expect(responder.receive(.newBlock(block, totalDifficulty: UInt256(2)), time: 0).disconnect?.detail == "NewBlock on eth/69")
        var ranged = base
        _ = ranged.receive(.status(good), time: 0)
        // A range that went back is taken (go-ethereum checks only its shape); earliest > latest is not.
        #expect(ranged.receive(.blockRangeUpdate(BlockRange(earliest: 0, latest: 4, latestHash: blocks[1].header.hash)), time: 0).disconnect == nil)
        #expect(
            ranged.receive(.blockRangeUpdate(BlockRange(earliest: 5, latest: 4, latestHash: blocks[1].header.hash)), time: 0).disconnect?.reason
                == 0x10)
    }
}
