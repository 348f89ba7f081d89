// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCrypto

/// The eth tests, for nodes that offer eth: no chain file needed, the probe mirrors the node's own Status so that
/// any node accepts it.
enum EthTests {
    static let all: [ProbeTest] = [
        ProbeTest(
            "eth/status/mirror", section: "caps/eth.md Status (0x00)", sends: "the node's own Status back, then GetBlockHeaders for block 0",
            expects: [.message("BlockHeaders")], content: "the session stays up and the request is answered", from: .eth()
        ) { context, session in
            let (reply, _) = session.request(
                .getBlockHeaders(requestID: 1, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders) = reply else { return .saw(reply.observed, "after the mirrored Status: \(session.describe(reply))") }
            return .saw(reply.observed, "Status accepted; \(session.describe(reply))")
        },
        ProbeTest(
            "eth/headers/genesis", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "GetBlockHeaders for block 0 by number",
            expects: [.message("BlockHeaders")], content: "the same request id and one header whose hash is the Status genesis", from: .eth()
        ) { context, session in
            let (reply, _) = session.request(
                .getBlockHeaders(requestID: 7, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(let id, let headers)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 7 else { return .problem("request id \(id), not 7") }
            guard headers.count == 1, let first = headers.first else { return .problem("\(headers.count) headers for one") }
            guard first.number == 0, first.hash == session.status.genesis else {
                return .problem("header #\(first.number) hash \(first.hash); the Status genesis is \(session.status.genesis)")
            }
            return .saw(reply.observed, "genesis \(first.hash)")
        },
        ProbeTest(
            "eth/headers/request-ids", section: "caps/eth.md Request IDs (EIP-2481)", sends: "GetBlockHeaders with request ids 0 and 2^64-1",
            expects: [.message("BlockHeaders")], content: "each answered with exactly its id", from: .eth()
        ) { context, session in
            for id in [UInt64(0), UInt64.max] {
                let (reply, _) = session.request(
                    .getBlockHeaders(requestID: id, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
                guard case .message(.blockHeaders(let echoed, _)) = reply else { return .saw(reply.observed, "id \(id): \(session.describe(reply))") }
                guard echoed == id else { return .problem("id \(id) answered as \(echoed)") }
            }
            return .saw(.message("BlockHeaders"), "0 and 18446744073709551615 echoed")
        },
        ProbeTest(
            "eth/headers/run", section: "caps/eth.md GetBlockHeaders (skip, reverse)",
            sends: "GetBlockHeaders from the head by hash, 8 headers in reverse; then 4 from 9 below the head with skip 2",
            expects: [.message("BlockHeaders")], content: "headers whose parent hashes link and whose numbers follow skip and reverse, same ids",
            from: .eth()
        ) { context, session in
            let head = session.headHash
            let (reply, _) = session.request(
                .getBlockHeaders(requestID: 41, HeaderRequest(origin: .hash(head), amount: 8, skip: 0, reverse: true)), timeout: context.timeout)
            guard case .message(.blockHeaders(let id, let run)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 41, let top = run.first else { return .problem(session.describe(reply)) }
            guard top.hash == head else { return .problem("the first header is not the Status head") }
            for (child, parent) in zip(run, run.dropFirst()) where child.base.parentHash != parent.hash || parent.number &+ 1 != child.number {
                return .problem("#\(child.number) does not link to #\(parent.number)")
            }
            guard top.number >= 9 else { return .saw(reply.observed, "\(run.count) linked headers (the chain is too short for the skip request)") }
            let origin = top.number - 9
            let (spaced, _) = session.request(
                .getBlockHeaders(requestID: 42, HeaderRequest(origin: .number(origin), amount: 4, skip: 2, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(let spacedID, let headers)) = spaced else { return .saw(spaced.observed, session.describe(spaced)) }
            guard spacedID == 42 else { return .problem(session.describe(spaced)) }
            let numbers = headers.map(\.number)
            guard numbers == [origin, origin + 3, origin + 6, origin + 9] else { return .problem("skip 2 from #\(origin) gave \(numbers)") }
            return .saw(spaced.observed, "\(run.count) linked headers down from #\(top.number); #\(origin) skip 2 gave \(numbers)")
        },
        ProbeTest(
            "eth/headers/too-many", section: "caps/eth.md GetBlockHeaders; go-ethereum's 1,024-header and 2 MiB caps",
            sends: "GetBlockHeaders for 100,000 headers from block 0", expects: [.message("BlockHeaders")],
            content: "at most 1,024 headers in at most 2 MiB, same id", from: .eth()
        ) { context, session in
            let (reply, size) = session.request(
                .getBlockHeaders(requestID: 3, HeaderRequest(origin: .number(0), amount: 100_000, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(let id, let headers)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 3 else { return .problem(session.describe(reply)) }
            guard headers.count <= EthMessage.maximumHeadersServed else { return .problem("\(headers.count) headers") }
            guard size <= EthMessage.softResponseLimit + 4096 else { return .problem("\(size) bytes") }
            return .saw(reply.observed, "\(headers.count) headers, \(size) bytes")
        },
        ProbeTest(
            "eth/headers/unknown", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "GetBlockHeaders from a hash no chain has",
            expects: [.message("BlockHeaders")], content: "no header, same id, no Disconnect", from: .eth()
        ) { context, session in
            let (reply, _) = session.request(
                .getBlockHeaders(requestID: 13, HeaderRequest(origin: .hash(Self.unknownHash), amount: 1, skip: 0, reverse: false)),
                timeout: context.timeout)
            guard case .message(.blockHeaders(let id, let headers)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 13 else { return .problem(session.describe(reply)) }
            return headers.isEmpty ? .saw(reply.observed, "empty BlockHeaders") : .problem("\(headers.count) headers for an unknown hash")
        },
        ProbeTest(
            "eth/bodies/unknown", section: "caps/eth.md GetBlockBodies (0x05)", sends: "GetBlockBodies for a hash no chain has",
            expects: [.message("BlockBodies")], content: "no body, same id, no Disconnect", from: .eth()
        ) { context, session in
            let (reply, _) = session.request(.getBlockBodies(requestID: 11, [Self.unknownHash]), timeout: context.timeout)
            guard case .message(.blockBodies(let id, let bodies)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 11 else { return .problem(session.describe(reply)) }
            return bodies.isEmpty ? .saw(reply.observed, "empty BlockBodies") : .problem("\(bodies.count) bodies for an unknown hash")
        },
        ProbeTest(
            "eth/receipts/unknown", section: "caps/eth.md GetReceipts (0x0f)", sends: "GetReceipts for a hash no chain has",
            expects: [.message("Receipts")], content: "no list, same id, no Disconnect", from: .eth()
        ) { context, session in
            let request: EthMessage =
                session.version >= 70
                ? .getReceipts(requestID: 12, firstBlockReceiptIndex: 0, [Self.unknownHash])
                : .getReceipts(requestID: 12, firstBlockReceiptIndex: nil, [Self.unknownHash])
            let (reply, _) = session.request(request, timeout: context.timeout)
            guard case .message(.receipts(let id, _, let receipts)) = reply else { return .saw(reply.observed, session.describe(reply)) }
            guard id == 12 else { return .problem(session.describe(reply)) }
            return receipts.isEmpty ? .saw(reply.observed, "empty Receipts") : .problem("\(receipts.count) receipt lists for an unknown hash")
        },
        ProbeTest(
            "eth/status/wrong-genesis", section: "caps/eth.md Status; EIP-2124", sends: "the node's Status with another genesis hash",
            expects: .refusal(Set(DisconnectReason.known)), from: .eth(mirrored: false)
        ) { context, session in
            refusedStatus(&session, timeout: context.timeout) { $0.genesis = Self.unknownHash }
        },
        ProbeTest(
            "eth/status/wrong-network", section: "caps/eth.md Status; EIP-2124", sends: "the node's Status with another network ID",
            expects: .refusal(Set(DisconnectReason.known)), from: .eth(mirrored: false)
        ) { context, session in
            refusedStatus(&session, timeout: context.timeout) { $0.networkID = $0.networkID &+ 1 }
        },
        ProbeTest(
            "eth/status/incompatible-fork-id", section: "caps/eth.md Status; EIP-2124", sends: "the node's Status with a fork ID of no known chain",
            expects: .refusal(Set(DisconnectReason.known)), from: .eth(mirrored: false)
        ) { context, session in
            refusedStatus(&session, timeout: context.timeout) {
                $0.forkID = ForkID(hash: FixedBytes<4>([0xde, 0xad, 0xbe, 0xef]) ?? FixedBytes<4>(), next: 0)
            }
        },
        ProbeTest(
            "eth/status/twice", section: "caps/eth.md Status (sent once)", sends: "a second Status after the handshake",
            expects: .refusal(Set(DisconnectReason.known)), from: .eth()
        ) { context, session in
            session.send(.status(session.status))
            return .saw(session.connection.awaitEnding(timeout: context.timeout))
        },
        ProbeTest(
            "eth/block-range/invalid", section: "caps/eth.md BlockRangeUpdate (EIP-7642)", sends: "BlockRangeUpdate with earliest > latest",
            expects: .refusal(Set(DisconnectReason.known)), geth: "BlockRangeUpdateInvalid", from: .eth(minimumVersion: 69)
        ) { context, session in
            session.send(.blockRangeUpdate(BlockRange(earliest: 100, latest: 10, latestHash: Self.unknownHash)))
            return .saw(session.connection.awaitEnding(timeout: context.timeout))
        },
    ]

    static let unknownHash = Hash32(Array(repeating: 0x5a, count: 32)) ?? Hash32()

    /// Sends the node's Status changed by `change`, then a request that a node keeping the session would answer.
    static func refusedStatus(_ session: inout EthSession, timeout: Double, _ change: (inout Status) -> Void) -> Observation {
        var status = session.mirroredStatus
        change(&status)
        session.send(.status(status))
        let (reply, _) = session.request(
            .getBlockHeaders(requestID: 1, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: timeout)
        if case .reaction(let reaction) = reply {
            switch reaction {
            case .disconnect, .closed: return .saw(reaction)
            default: break
            }
        }
        return .saw(reply.observed, "the node kept the session: \(session.describe(reply))")
    }
}
