// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// Requests whose answers are known because the node holds a given chain (`--chain-file FILE --genesis FILE`): every
/// header, body and receipt is compared field by field with the chain file.
enum KnownChainTests {
    /// A chain of 13 blocks or more (UNSUPPORTED without).
    static let thirteenBlocks = ChainNeed(
        admits: { $0.blocks.count >= 13 }, missing: "no chain of 13 blocks or more given (--chain-file FILE --genesis FILE, or --chain-dir DIR)")

    static let all: [ProbeTest] = [
        ProbeTest(
            "eth/known/headers-skip-reverse", section: "caps/eth.md GetBlockHeaders (skip, reverse)",
            sends: "GetBlockHeaders from block 40 (or the head), 5 headers, skip 3, reverse", expects: [.message("BlockHeaders")],
            content: "exactly those headers, byte for byte", from: .onChain(thirteenBlocks, status: .mirrored)
        ) { context, chain in
            let known = chain.known
            let origin = UInt64(min(40, known.blocks.count - 1))
            let request = HeaderRequest(origin: .number(origin), amount: 5, skip: 3, reverse: true)
            let expected = stride(from: Int(origin), through: 0, by: -4).prefix(5).map { known.blocks[$0].header }
            return compare(
                headers: chain.session.request(.getBlockHeaders(requestID: 31, request), timeout: context.timeout).0, expected, chain.session)
        },
        ProbeTest(
            "eth/known/headers-by-hash", section: "caps/eth.md GetBlockHeaders (origin by hash)",
            sends: "GetBlockHeaders from block 10's hash, 3 headers",
            expects: [.message("BlockHeaders")], content: "blocks 10, 11 and 12, byte for byte", from: .onChain(thirteenBlocks, status: .mirrored)
        ) { context, chain in
            let known = chain.known
            let request = HeaderRequest(origin: .hash(known.blocks[10].header.hash), amount: 3, skip: 0, reverse: false)
            return compare(
                headers: chain.session.request(.getBlockHeaders(requestID: 32, request), timeout: context.timeout).0,
                Array(known.blocks[10...12].map(\.header)),
                chain.session)
        },
        ProbeTest(
            "eth/known/bodies", section: "caps/eth.md GetBlockBodies (0x05)", sends: "GetBlockBodies for blocks 1 to 8",
            expects: [.message("BlockBodies")],
            content: "their bodies (every transaction, withdrawal), byte for byte", from: .onChain(thirteenBlocks, status: .mirrored)
        ) { context, chain in
            let wanted = chain.known.blocks[1...8]
            let (reply, _) = chain.session.request(.getBlockBodies(requestID: 33, wanted.map(\.header.hash)), timeout: context.timeout)
            guard case .message(.blockBodies(let id, let bodies)) = reply else { return .saw(reply.observed, chain.session.describe(reply)) }
            guard id == 33 else { return .problem(chain.session.describe(reply)) }
            guard bodies.count == wanted.count else { return .problem("\(bodies.count) bodies for \(wanted.count)") }
            for (body, block) in zip(bodies, wanted) where body.rlpEncoded() != block.body.rlpEncoded() {
                return .problem("the body of block #\(block.header.number) differs")
            }
            let transactions = bodies.reduce(0) { $0 + $1.transactions.count }
            return .saw(reply.observed, "\(bodies.count) bodies, \(transactions) transactions, all equal")
        },
        ProbeTest(
            "eth/known/receipts", section: "caps/eth.md GetReceipts (0x0f), Receipts (0x10)", sends: "GetReceipts for blocks 1 to 4",
            expects: [.message("Receipts")], content: "their receipts: type, status, cumulative gas and logs equal (and the bloom on eth/68)",
            from: .onChain(thirteenBlocks, status: .mirrored)
        ) { context, chain in
            let known = chain.known
            guard known.receipts.count > 4, !known.receipts[1].isEmpty else { return .unsupported("no receipts given (--receipts)") }
            let hashes = known.blocks[1...4].map(\.header.hash)
            let request: EthMessage =
                chain.session.version >= 70
                ? .getReceipts(requestID: 34, firstBlockReceiptIndex: 0, hashes) : .getReceipts(requestID: 34, firstBlockReceiptIndex: nil, hashes)
            let (reply, _) = chain.session.request(request, timeout: context.timeout)
            guard case .message(.receipts(let id, _, let lists)) = reply else { return .saw(reply.observed, chain.session.describe(reply)) }
            guard id == 34 else { return .problem(chain.session.describe(reply)) }
            guard lists.count == 4 else { return .problem("\(lists.count) receipt lists for 4 blocks") }
            for (offset, list) in lists.enumerated() {
                let expected = known.receipts[offset + 1]
                guard list.count == expected.count else { return .problem("block #\(offset + 1): \(list.count) receipts, not \(expected.count)") }
                for (index, (got, want)) in zip(list, expected).enumerated() {
                    let same =
                        got.type == want.type && got.statusOrPostState == want.statusOrPostState
                        && got.cumulativeGasUsed == want.cumulativeGasUsed && got.logs == want.logs && (got.bloom == nil || got.bloom == want.bloom)
                    if !same { return .problem("block #\(offset + 1) receipt \(index) differs") }
                }
            }
            return .saw(reply.observed, "\(lists.reduce(0) { $0 + $1.count }) receipts equal")
        },
    ]

    /// Checks a BlockHeaders answer: headers equal (encoded) to `expected`.
    static func compare(headers reply: EthTests.EthReply, _ expected: [BlockHeader], _ session: EthTests.EthSession) -> Observation {
        guard case .message(.blockHeaders(_, let headers)) = reply else { return .saw(reply.observed, session.describe(reply)) }
        guard headers.map(\.number) == expected.map(\.number) else {
            return .problem(
                "headers \(headers.map { "#\($0.number)" }.joined(separator: ",")), expected \(expected.map { "#\($0.number)" }.joined(separator: ","))"
            )
        }
        for (got, want) in zip(headers, expected) where got.rlpEncoded() != want.rlpEncoded() {
            return .problem("header #\(got.number) differs from the chain file's")
        }
        return .saw(reply.observed, "\(headers.map { "#\($0.number)" }.joined(separator: ",")) equal")
    }
}
