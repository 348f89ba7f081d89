// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCrypto

/// go-ethereum's eth suite (`devp2p rlpx eth-test`, what hive runs against every client), test for test, on the
/// chain it runs on (`--chain-dir`, go-ethereum's test data): the same requests and the same expectations, with
/// every wait bounded and an unexpected message recorded rather than fatal. The transaction tests are in
/// ``GethTransactionSuite``.
enum GethEthSuite {
    /// go-ethereum's test chain: a genesis and at least 36 blocks (UNSUPPORTED without).
    static let testChain = ChainNeed(
        admits: { $0.config != nil && $0.blocks.count >= 36 },
        missing: "needs go-ethereum's test chain (--chain-dir DIR, or --genesis FILE --chain-file FILE)")

    static let all: [ProbeTest] = [
        ProbeTest(
            "eth/status/chain-head", section: "caps/eth.md Status (0x00); EIP-2124", sends: "a Status for the chain (after reading the node's)",
            expects: [.message("Pong")],
            content: "the node's Status names the chain's network, genesis, head and fork ID, and it takes ours (a Ping is answered after it)",
            geth: "Status", from: .onChain(testChain, status: .none)
        ) { context, chain in
            let known = chain.known
            let expected = ourStatus(known, version: chain.session.version)
            let status = chain.session.status
            var wrong: [String] = []
            if status.networkID != expected.networkID { wrong.append("network \(status.networkID), not \(expected.networkID)") }
            if status.genesis != expected.genesis { wrong.append("genesis \(status.genesis), not \(expected.genesis)") }
            if status.forkID != expected.forkID { wrong.append("fork ID \(status.forkID), not \(expected.forkID)") }
            switch (status.head, expected.head) {
            case (.range(let got), .range(let want)):
                if got.latest != want.latest || got.latestHash != want.latestHash {
                    wrong.append("head #\(got.latest) \(got.latestHash), not #\(want.latest) \(want.latestHash)")
                }
                if got.earliest > got.latest { wrong.append("earliest \(got.earliest) > latest \(got.latest)") }
            case (.totalDifficulty(_, let best), _):
                if best != known.tip.hash { wrong.append("best hash \(best), not the head \(known.tip.hash)") }
            default: wrong.append("a Status of another shape than eth/\(chain.session.version)'s")
            }
            guard wrong.isEmpty else { return .problem(wrong.joined(separator: "; ")) }
            chain.session.send(.status(expected))
            let reaction = chain.session.connection.ping(timeout: context.timeout)
            guard case .event = reaction else { return .saw(reaction.observed, "after our Status: \(reaction)") }
            return .saw(reaction.observed, "head #\(known.tip.number) \(known.tip.hash), fork ID \(expected.forkID); our Status taken")
        },
        maliciousHandshake,
        rangeUpdate("eth/block-range/expired", geth: "BlockRangeUpdateExpired", describing: "an expired range (earliest head − 10)") { known in
            BlockRange(earliest: known.tip.number - min(10, known.tip.number), latest: known.tip.number, latestHash: known.tip.hash)
        },
        rangeUpdate("eth/block-range/future", geth: "BlockRangeUpdateFuture", describing: "a future range (head + 10 to head + 50, an unknown hash)")
        { known in
            BlockRange(earliest: known.tip.number + 10, latest: known.tip.number + 50, latestHash: EthTests.unknownHash)
        },
        ProbeTest(
            "eth/headers/skip", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "GetBlockHeaders id 33 from block 1's hash, 2 headers, skip 1",
            expects: [.message("BlockHeaders")], content: "id 33 with blocks 1 and 3, byte for byte", geth: "GetBlockHeaders",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            let request = HeaderRequest(origin: .hash(chain.known.blocks[1].header.hash), amount: 2, skip: 1, reverse: false)
            let (reply, _) = chain.session.request(.getBlockHeaders(requestID: 33, request), timeout: context.timeout)
            return headers(reply, id: 33, equal: [1, 3], chain)
        },
        ProbeTest(
            "eth/headers/nonexistent", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "ten GetBlockHeaders (ids 0 to 9) from block 2^64 − 1",
            expects: [.message("BlockHeaders"), .silence], content: "no Disconnect (an empty BlockHeaders for each is expected)",
            geth: "GetNonexistentBlockHeaders", from: .onChain(testChain, status: .chain)
        ) { context, chain in
            for id in UInt64(0)..<10 {
                chain.session.send(.getBlockHeaders(requestID: id, HeaderRequest(origin: .number(.max), amount: 1, skip: 0, reverse: false)))
            }
            var answered: [UInt64] = []
            var nonEmpty = 0
            let reaction = chain.session.connection.waitFor(timeout: context.timeout) { [session = chain.session] event in
                guard let message = session.decode(event), case .blockHeaders(let id, let headers) = message else { return false }
                answered.append(id)
                if !headers.isEmpty { nonEmpty += 1 }
                return answered.count == 10
            }
            switch reaction {
            case .disconnect, .closed, .refused: return .saw(reaction.observed, "\(reaction) after \(answered.count) answers")
            case .event, .silence:
                if nonEmpty > 0 { return .problem("\(nonEmpty) answers carry headers for a block that cannot exist") }
                let observed: ObservedReaction = answered.count == 10 ? .message("BlockHeaders") : .silence
                return .saw(observed, "no Disconnect; \(answered.count) of 10 answered, all empty")
            }
        },
        ProbeTest(
            "eth/headers/simultaneous", section: "caps/eth.md Request IDs (EIP-2481)",
            sends: "GetBlockHeaders id 111 (block 1's hash, 2, skip 1) and id 222 (4, skip 1) back to back",
            expects: [.message("BlockHeaders")], content: "both answered, each with its id: blocks 1, 3 and 1, 3, 5, 7", geth: "SimultaneousRequests",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            let origin = BlockOrigin.hash(chain.known.blocks[1].header.hash)
            chain.session.send(.getBlockHeaders(requestID: 111, HeaderRequest(origin: origin, amount: 2, skip: 1, reverse: false)))
            chain.session.send(.getBlockHeaders(requestID: 222, HeaderRequest(origin: origin, amount: 4, skip: 1, reverse: false)))
            return collectHeaders(&chain, timeout: context.timeout, count: 2) { id, headers in
                switch id {
                case 111: numbers(headers) == [1, 3] ? nil : "id 111: \(numbers(headers)), not [1, 3]"
                case 222: numbers(headers) == [1, 3, 5, 7] ? nil : "id 222: \(numbers(headers)), not [1, 3, 5, 7]"
                default: "an answer with id \(id), asked for 111 and 222"
                }
            }
        },
        ProbeTest(
            "eth/headers/same-request-id", section: "caps/eth.md Request IDs (EIP-2481)",
            sends: "two GetBlockHeaders with id 1234: block 1, 2 headers; block 33, 3 headers",
            expects: [.message("BlockHeaders")], content: "both answered with id 1234: blocks 1, 2 and 33, 34, 35", geth: "SameRequestID",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            chain.session.send(.getBlockHeaders(requestID: 1234, HeaderRequest(origin: .number(1), amount: 2, skip: 0, reverse: false)))
            chain.session.send(.getBlockHeaders(requestID: 1234, HeaderRequest(origin: .number(33), amount: 3, skip: 0, reverse: false)))
            return collectHeaders(&chain, timeout: context.timeout, count: 2) { id, headers in
                guard id == 1234 else { return "an answer with id \(id), not 1234" }
                switch headers.count {
                case 2: return numbers(headers) == [1, 2] ? nil : "\(numbers(headers)), not [1, 2]"
                case 3: return numbers(headers) == [33, 34, 35] ? nil : "\(numbers(headers)), not [33, 34, 35]"
                default: return "\(headers.count) headers, asked for 2 and 3"
                }
            }
        },
        ProbeTest(
            "eth/headers/zero-request-id", section: "caps/eth.md Request IDs (EIP-2481)", sends: "GetBlockHeaders id 0 from block 0, 2 headers",
            expects: [.message("BlockHeaders")], content: "id 0 with blocks 0 and 1, byte for byte", geth: "ZeroRequestID",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            let (reply, _) = chain.session.request(
                .getBlockHeaders(requestID: 0, HeaderRequest(origin: .number(0), amount: 2, skip: 0, reverse: false)), timeout: context.timeout)
            return headers(reply, id: 0, equal: [0, 1], chain)
        },
        ProbeTest(
            "eth/bodies/two-blocks", section: "caps/eth.md GetBlockBodies (0x05)", sends: "GetBlockBodies id 55 for blocks 54 and 75",
            expects: [.message("BlockBodies")], content: "id 55 with their two bodies (byte for byte)", geth: "GetBlockBodies",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            let wanted = [54, 75].filter { $0 < chain.known.blocks.count }.map { chain.known.blocks[$0] }
            let (reply, _) = chain.session.request(.getBlockBodies(requestID: 55, wanted.map(\.header.hash)), timeout: context.timeout)
            guard case .message(.blockBodies(let id, let bodies)) = reply else { return .saw(reply.observed, chain.session.describe(reply)) }
            guard id == 55 else { return .problem("request id \(id), not 55") }
            guard bodies.count == wanted.count else { return .problem("\(bodies.count) bodies for \(wanted.count)") }
            for (body, block) in zip(bodies, wanted) where body.rlpEncoded() != block.body.rlpEncoded() {
                return .problem("the body of block #\(block.header.number) differs from the chain's")
            }
            return .saw(reply.observed, "\(bodies.count) bodies equal")
        },
        ProbeTest(
            "eth/receipts/first-blocks", section: "caps/eth.md GetReceipts (0x0f), Receipts (0x10)",
            sends: "GetReceipts id 66 for the first three blocks with transactions (not the large-receipt block)",
            expects: [.message("Receipts")], content: "id 66 with three lists, each matching its header's receipts root", geth: "GetReceipts",
            from: .onChain(testChain, status: .chain)
        ) { context, chain in
            let known = chain.known
            let blocks = known.blocks.dropFirst().filter { !$0.body.transactions.isEmpty && $0.header.number != known.largeReceiptBlock }.prefix(3)
            guard blocks.count == 3 else { return .unsupported("the chain has fewer than three blocks with transactions") }
            let hashes = blocks.map(\.header.hash)
            let request: EthMessage =
                chain.session.version >= 70
                ? .getReceipts(requestID: 66, firstBlockReceiptIndex: 0, hashes) : .getReceipts(requestID: 66, firstBlockReceiptIndex: nil, hashes)
            let (reply, _) = chain.session.request(request, timeout: context.timeout)
            guard case .message(.receipts(let id, _, let lists)) = reply else { return .saw(reply.observed, chain.session.describe(reply)) }
            guard id == 66 else { return .problem("request id \(id), not 66") }
            guard lists.count == 3 else { return .problem("\(lists.count) receipt lists for 3 blocks") }
            for (list, block) in zip(lists, blocks) where Receipt.root(of: list) != block.header.base.receiptsRoot {
                return .problem("block #\(block.header.number): the receipts' root is not the header's receiptsRoot")
            }
            return .saw(
                reply.observed, "blocks \(blocks.map { "#\($0.header.number)" }.joined(separator: ", ")): \(lists.map(\.count)) receipts, roots equal"
            )
        },
        largeReceipts,
    ]

    // MARK: Sessions on the chain

    /// The Status go-ethereum's suite sends: the chain's network, genesis, fork ID at the head, and its head.
    static func ourStatus(_ known: KnownChain, version: UInt) -> Status {
        guard let config = known.config else {
            return Status(
                version: UInt32(version), networkID: 0, genesis: Hash32(), forkID: ForkID(hash: FixedBytes<4>(), next: 0),
                head: .range(BlockRange(earliest: 0, latest: 0, latestHash: Hash32())))
        }
        return EthResponder(version: version, chain: config, blocks: known.blocks).status(time: known.tip.base.timestamp)
    }

    static func numbers(_ headers: [BlockHeader]) -> [UInt64] { headers.map(\.number) }

    /// Checks a BlockHeaders answer: the id, and headers equal (encoded) to the chain's blocks `numbers`.
    static func headers(_ reply: EthTests.EthReply, id: UInt64, equal wanted: [Int], _ chain: ChainSession) -> Observation {
        guard case .message(.blockHeaders(let got, let headers)) = reply else { return .saw(reply.observed, chain.session.describe(reply)) }
        guard got == id else { return .problem("request id \(got), not \(id)") }
        guard numbers(headers) == wanted.map(UInt64.init) else { return .problem("headers \(numbers(headers)), not \(wanted)") }
        for (header, number) in zip(headers, wanted) where header.rlpEncoded() != chain.known.blocks[number].header.rlpEncoded() {
            return .problem("header #\(number) differs from the chain's")
        }
        return .saw(reply.observed, "blocks \(wanted) equal")
    }

    /// Reads `count` BlockHeaders answers, checking each with `problem` (nil when right) and its headers against the
    /// chain.
    static func collectHeaders(
        _ chain: inout ChainSession, timeout: Double, count: Int, problem: (UInt64, [BlockHeader]) -> String?
    ) -> Observation {
        var answers: [(UInt64, [BlockHeader])] = []
        let reaction = chain.session.connection.waitFor(timeout: timeout) { [session = chain.session] event in
            guard let message = session.decode(event), case .blockHeaders(let id, let headers) = message else { return false }
            answers.append((id, headers))
            return answers.count == count
        }
        guard case .event = reaction else { return .saw(reaction.observed, "\(answers.count) of \(count) answers, then \(reaction)") }
        let blocks = chain.known.blocks
        for (id, headers) in answers {
            if let problem = problem(id, headers) { return .problem(problem) }
            for header in headers where header.number < blocks.count && header.rlpEncoded() != blocks[Int(header.number)].header.rlpEncoded() {
                return .problem("header #\(header.number) differs from the chain's")
            }
        }
        return .saw(.message("BlockHeaders"), answers.map { "id \($0.0): \(numbers($0.1))" }.joined(separator: "; "))
    }

    // MARK: Block ranges

    /// BlockRangeUpdate that a node must take silently: ten Pings, 100 ms apart, each answered, no Disconnect.
    static func rangeUpdate(_ id: String, geth: String, describing what: String, _ range: @escaping @Sendable (KnownChain) -> BlockRange) -> ProbeTest
    {
        ProbeTest(
            id, section: "caps/eth.md BlockRangeUpdate (EIP-7642)", sends: "BlockRangeUpdate with \(what), then ten Pings 100 ms apart",
            expects: [.message("Pong")], content: "every Ping answered, no Disconnect", geth: geth,
            from: .onChain(testChain, minimumVersion: 69, status: .chain)
        ) { context, chain in
            chain.session.send(.blockRangeUpdate(range(chain.known)))
            for round in 1...10 {
                context.clock.sleep(0.1)
                let reaction = chain.session.connection.ping(timeout: context.timeout)
                guard case .event = reaction else { return .saw(reaction.observed, "Ping \(round): \(reaction)") }
            }
            return .saw(.message("Pong"), "ten Pongs, no Disconnect")
        }
    }

    // MARK: MaliciousHandshake

    /// Five Hellos with malformed identities or capability names, each on its own connection under one key, sent
    /// as go-ethereum's suite sends them (at eth's first code, 0x10, before any Hello of ours).
    static let maliciousHandshake = ProbeTest(
        "p2p/hello/malformed-identities", section: "rlpx.md Hello (node ID, capabilities); go-ethereum's 2 KiB message limit before Hello",
        sends: "five Hellos at code 0x10 (2 KiB capability names; node IDs of 65, 128 and 2,048 bytes), one per connection, one key",
        expects: [.disconnect(nil), .closed, .silence, .refusedByProbe],
        content: "on each connection, no message but the node's own Hello before it (within --timeout, at most 2 s)",
        geth: "MaliciousHandshake", from: .context
    ) { context, _ throws(ProbeError) in
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        let id = key.publicKey.nodeID
        let long = (0..<2048).map { _ in UInt8.random(in: 0x61...0x7a, using: &random) }
        let name = String(decoding: long, as: UTF8.self)
        let hellos: [Hello] = [
            Hello(protocolVersion: 5, clientID: "", capabilities: [Capability(name: name, version: 69)], listenPort: 0, nodeID: id),
            Hello(protocolVersion: 5, clientID: "", capabilities: [Capability(name: "eth", version: 69)], listenPort: 0, nodeID: id + [0]),
            Hello(protocolVersion: 5, clientID: "", capabilities: [Capability(name: "eth", version: 69)], listenPort: 0, nodeID: id + id),
            Hello(protocolVersion: 5, clientID: "", capabilities: [Capability(name: "eth", version: 69)], listenPort: 0, nodeID: long),
            Hello(protocolVersion: 5, clientID: "", capabilities: [Capability(name: name, version: 69)], listenPort: 0, nodeID: long),
        ]
        var seen: [String] = []
        var reactions: [ObservedReaction] = []
        for (index, hello) in hellos.enumerated() {
            var connection = try context.connect({ configuration in
                configuration.staticKey = key
                configuration.sendsHello = false
            })
            let completed = connection.waitFor(timeout: context.timeout) { if case .handshakeCompleted = $0 { return true } else { return false } }
            guard case .event = completed else {
                context.keep(connection)
                return .problem("Hello \(index + 1): no handshake: \(completed)")
            }
            connection.send(connection.session.sendUnchecked(wireCode: 0x10, payload: hello.rlpEncoded(), compressed: false))
            let reaction = connection.waitFor(timeout: min(context.timeout, 2)) { event in
                if case .message = event { return true }
                return false
            }
            context.keep(connection)
            if case .event(let event) = reaction { return .saw(reaction.observed, "Hello \(index + 1): the node sent \(Reaction.describe(event))") }
            seen.append("\(index + 1): \(reaction)")
            reactions.append(reaction.observed)
        }
        // The first connection's reaction that was no Disconnect or close is the one judged.
        let judged =
            reactions.first { reaction in
                switch reaction {
                case .disconnect, .closed: false
                default: true
                }
            } ?? reactions.last ?? .silence
        return .saw(judged, seen.joined(separator: "; "))
    }

    // MARK: GetLargeReceipts

    /// eth/70's partial receipt lists (EIP-7975): the blocks around the one whose receipts pass 10 MiB, paged with
    /// firstBlockReceiptIndex until complete; every block's receipts must give its header's root.
    static let largeReceipts = ProbeTest(
        "eth/receipts/large", section: "caps/eth.md GetReceipts (eth/70, EIP-7975 partial lists)",
        sends: "GetReceipts id 66 for the large-receipt block and its neighbours, then again from the incomplete block's next receipt",
        expects: [.message("Receipts")],
        content:
            "the lists complete within a few requests (one marked incomplete at most per answer; each answer within 3 × --timeout), each matching its header's receipts root",
        geth: "GetLargeReceipts", from: .onChain(testChain, minimumVersion: 70, status: .chain)
    ) { context, chain in
        let known = chain.known
        guard let large = known.largeReceiptBlock, large < known.blocks.count else {
            return .unsupported("the test data names no large-receipt block (txinfo.json tx-largereceipt)")
        }
        let window = Array(known.blocks[Int(large.saturatingSubtract(2))..<min(Int(large) + 2, known.blocks.count)])
        var received = Array(repeating: [Receipt](), count: window.count)
        var next = 0
        var incomplete = false
        var requests = 0
        while incomplete || next < window.count {
            requests += 1
            guard requests <= 2 * window.count + 2 else { return .problem("still incomplete after \(requests - 1) requests") }
            let request = EthMessage.getReceipts(
                requestID: 66, firstBlockReceiptIndex: UInt64(received[next].count), window[next...].map(\.header.hash))
            // An answer of up to 10 MiB: three times --timeout to arrive.
            let (reply, _) = chain.session.request(request, timeout: 3 * context.timeout)
            guard case .message(.receipts(let id, let flag, let lists)) = reply else {
                return .saw(reply.observed, "request \(requests): \(chain.session.describe(reply))")
            }
            guard id == 66 else { return .problem("request \(requests): id \(id), not 66") }
            guard !lists.isEmpty else { return .problem("request \(requests): no receipt list (from block #\(window[next].header.number))") }
            guard lists.count <= window.count - next else {
                return .problem("request \(requests): \(lists.count) lists for \(window.count - next) blocks")
            }
            for (offset, list) in lists.enumerated() { received[next + offset] += list }
            incomplete = flag ?? false
            next += lists.count - (incomplete ? 1 : 0)
            if !incomplete && next >= window.count { break }
        }
        for (block, receipts) in zip(window, received) where Receipt.root(of: receipts) != block.header.base.receiptsRoot {
            return .problem("block #\(block.header.number): \(receipts.count) receipts whose root is not the header's")
        }
        return .saw(
            .message("Receipts"), "blocks \(window.map { "#\($0.header.number)" }.joined(separator: ", ")) in \(requests) requests, roots equal")
    }
}

extension KnownChain {
    /// The head's header, for tests that ``GethEthSuite/testChain`` admits (a chain of at least 36 blocks).
    var tip: BlockHeader { blocks[blocks.count - 1].header }
}

extension UInt64 {
    fileprivate func saturatingSubtract(_ other: UInt64) -> UInt64 { self >= other ? self - other : 0 }
}
