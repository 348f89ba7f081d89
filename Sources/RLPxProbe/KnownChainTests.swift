// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// Requests whose answers are known because the node holds a given chain (`--chain-file FILE --genesis FILE`): every
/// header, body and receipt is compared field by field with the chain file.
enum KnownChainTests {
    static let all: [ProbeTest] = [
        test("eth/known/headers-skip-reverse", section: "caps/eth.md GetBlockHeaders (skip, reverse)",
             sends: "GetBlockHeaders from block 40 (or the head), 5 headers, skip 3, reverse", passes: "exactly those headers, byte for byte") { context, session, known in
            let origin = UInt64(min(40, known.blocks.count - 1))
            let request = HeaderRequest(origin: .number(origin), amount: 5, skip: 3, reverse: true)
            let expected = stride(from: Int(origin), through: 0, by: -4).prefix(5).map { known.blocks[$0].header }
            return compare(headers: session.request(.getBlockHeaders(requestID: 31, request), timeout: context.timeout).0, expected, session)
        },
        test("eth/known/headers-by-hash", section: "caps/eth.md GetBlockHeaders (origin by hash)",
             sends: "GetBlockHeaders from block 10's hash, 3 headers", passes: "blocks 10, 11 and 12, byte for byte") { context, session, known in
            let request = HeaderRequest(origin: .hash(known.blocks[10].header.hash), amount: 3, skip: 0, reverse: false)
            return compare(headers: session.request(.getBlockHeaders(requestID: 32, request), timeout: context.timeout).0, Array(known.blocks[10...12].map(\.header)), session)
        },
        test("eth/known/bodies", section: "caps/eth.md GetBlockBodies (0x05)", sends: "GetBlockBodies for blocks 1 to 8",
             passes: "their bodies (every transaction, withdrawal), byte for byte") { context, session, known in
            let wanted = known.blocks[1...8]
            let (reply, _) = session.request(.getBlockBodies(requestID: 33, wanted.map(\.header.hash)), timeout: context.timeout)
            guard case .message(.blockBodies(33, let bodies)) = reply else { return .fail(session.describe(reply)) }
            guard bodies.count == wanted.count else { return .fail("\(bodies.count) bodies for \(wanted.count)") }
            for (body, block) in zip(bodies, wanted) where body.rlpEncoded() != block.body.rlpEncoded() {
                return .fail("the body of block #\(block.header.number) differs")
            }
            let transactions = bodies.reduce(0) { $0 + $1.transactions.count }
            return .pass("\(bodies.count) bodies, \(transactions) transactions, all equal")
        },
        test("eth/known/receipts", section: "caps/eth.md GetReceipts (0x0f), Receipts (0x10)", sends: "GetReceipts for blocks 1 to 4",
             passes: "their receipts: type, status, cumulative gas and logs equal (and the bloom on eth/68)") { context, session, known in
            guard known.receipts.count > 4, !known.receipts[1].isEmpty else {
                return Check(result: .unsupported, observed: "no receipts given (--receipts)")
            }
            let hashes = known.blocks[1...4].map(\.header.hash)
            let request: EthMessage = session.version >= 70
                ? .getReceipts(requestID: 34, firstBlockReceiptIndex: 0, hashes) : .getReceipts(requestID: 34, firstBlockReceiptIndex: nil, hashes)
            let (reply, _) = session.request(request, timeout: context.timeout)
            guard case .message(.receipts(34, _, let lists)) = reply else { return .fail(session.describe(reply)) }
            guard lists.count == 4 else { return .fail("\(lists.count) receipt lists for 4 blocks") }
            for (offset, list) in lists.enumerated() {
                let expected = known.receipts[offset + 1]
                guard list.count == expected.count else { return .fail("block #\(offset + 1): \(list.count) receipts, not \(expected.count)") }
                for (index, (got, want)) in zip(list, expected).enumerated() {
                    let same = got.type == want.type && got.statusOrPostState == want.statusOrPostState
                        && got.cumulativeGasUsed == want.cumulativeGasUsed && got.logs == want.logs && (got.bloom == nil || got.bloom == want.bloom)
                    if !same { return .fail("block #\(offset + 1) receipt \(index) differs") }
                }
            }
            return .pass("\(lists.reduce(0) { $0 + $1.count }) receipts equal")
        },
    ]

    static func compare(headers reply: EthTests.EthReply, _ expected: [BlockHeader], _ session: EthTests.EthSession) -> Check {
        guard case .message(.blockHeaders(_, let headers)) = reply else { return .fail(session.describe(reply)) }
        guard headers.map(\.number) == expected.map(\.number) else {
            return .fail("headers \(headers.map { "#\($0.number)" }.joined(separator: ",")), expected \(expected.map { "#\($0.number)" }.joined(separator: ","))")
        }
        for (got, want) in zip(headers, expected) where got.rlpEncoded() != want.rlpEncoded() {
            return .fail("header #\(got.number) differs from the chain file's")
        }
        return .pass("\(headers.map { "#\($0.number)" }.joined(separator: ",")) equal")
    }

    /// A known-answer test: UNSUPPORTED without a chain of at least 13 blocks.
    static func test(
        _ id: String, section: String, sends: String, passes: String, geth: String? = nil,
        _ body: @escaping @Sendable (ProbeContext, inout EthTests.EthSession, KnownChain) -> Check
    ) -> ProbeTest {
        EthTests.exchange(id, section: section, sends: sends, passes: passes, geth: geth, requires: { context in
            guard let known = context.known, known.blocks.count >= 13 else {
                return Check(result: .unsupported, observed: "no chain of 13 blocks or more given (--chain-file FILE --genesis FILE, or --chain-dir DIR)")
            }
            return nil
        }) { context, session in
            guard let known = context.known else { return Check(result: .unsupported, observed: "no chain given") }
            return body(context, &session, known)
        }
    }
}
