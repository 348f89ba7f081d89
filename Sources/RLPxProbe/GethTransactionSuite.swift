// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxCrypto

/// go-ethereum's transaction tests of its eth suite, test for test: each names the head through the node's Engine
/// API first (go-ethereum takes transactions only once synced), then sends and watches on fresh connections as
/// go-ethereum's test does, with its expectations. Unlike go-ethereum's suite, every wait is bounded by the probe's
/// timeout, what a test does not look for is recorded rather than fatal, transactions the node announces from
/// earlier runs are ignored, and each test can be rerun against the same node (``freshLevel(_:timeout:representative:_:)``).
/// Each test signs with its own sender, so the tests do not depend on each other's nonces.
enum GethTransactionSuite {
    static let all: [ProbeTest] = [largeRequest, propagate, invalid, announced, blobViolations, blobWithoutSidecar, blobMismatchedSidecar]

    /// What every test's `sends` adds about the node's pool.
    static let poolDependence = """
        Depends on the node's pool: it first asks (GetPooledTransactions) whether the node already holds these \
        transactions from an earlier run, at any fee level, and then sends them one level above the highest held \
        (each level doubles fee cap and tip, and blob fee cap: a replacement go-ethereum takes), so the test can be \
        rerun against the same node.
        """

    static let largeRequest = ProbeTest(
        "eth/tx/large-request", section: "caps/eth.md Transactions (0x02), GetPooledTransactions (0x09)",
        sends: "2,000 contract-creation DynamicFeeTxs from sender 1 (nonces 0 to 1,999, gas 75,000) in one Transactions on one "
            + "connection; then, on a third, GetPooledTransactions id 1234 for all of them. \(poolDependence)",
        expects: [.message("PooledTransactions")],
        content: "id 1234 holding only those transactions (a subset passes), once every hash reached the second connection (in full or "
            + "announced) within the timeout",
        geth: "LargeTxRequest", from: .transactions
    ) { context, setup throws(ProbeError) in
        let propagated: Propagated
        switch try propagation(
            &context, setup,
            representative: { level throws(RLPError) in
                try setup.transactions.dynamicFee(sender: 1, nonce: 0, level: level, gas: 75_000, to: nil).hash
            },
            { level throws(RLPError) in
                try (0..<UInt64(2000)).map { nonce throws(RLPError) in
                    try setup.transactions.dynamicFee(sender: 1, nonce: nonce, level: level, gas: 75_000, to: nil)
                }
            })
        {
        case .failure(let stopped): return stopped.observation.asStep
        case .success(let done): propagated = done
        }
        let sent = propagated.sent
        let propagatedNote = propagated.observation.note
        var requester: TransactionPeer
        switch try TransactionPeer.open("requester", &context, setup.known) {
        case .failure(let stopped): return stopped.observation
        case .success(let opened): requester = opened
        }
        defer { context.keep(requester.session.connection) }
        requester.send(.getPooledTransactions(requestID: 1234, sent.map(\.hash)))
        var answer: (id: UInt64, txs: [Transaction])?
        let reaction = requester.watch(timeout: context.timeout) { message in
            guard case .pooledTransactions(let id, let txs) = message else { return false }
            answer = (id, txs)
            return true
        }
        guard let answer else { return .saw(reaction.observed, "\(propagatedNote); GetPooledTransactions id 1234: \(reaction)") }
        guard answer.id == 1234 else { return .problem("\(propagatedNote); PooledTransactions id \(answer.id), not 1234") }
        let hashes = Set(sent.map(\.hash))
        let foreign = answer.txs.count { !hashes.contains($0.hash) }
        guard foreign == 0 else { return .problem("\(propagatedNote); PooledTransactions id 1234 holds \(foreign) transactions not asked for") }
        return .saw(
            .message("PooledTransactions"),
            report("\(propagatedNote); PooledTransactions id 1234 with \(answer.txs.count) of them", level: 0, [requester], joining: false))
    }

    static let propagate = ProbeTest(
        "eth/tx/propagate", section: "caps/eth.md Transactions (0x02), NewPooledTransactionHashes (0x08)",
        sends: "one DynamicFeeTx from sender 0 (nonce 0, gas 30,000, 1 wei to 0xaa00…00) in Transactions on one connection. \(poolDependence)",
        expects: relayed, content: "its hash on a second connection, in full or announced, within the timeout", geth: "Transaction",
        from: .transactions
    ) { context, setup throws(ProbeError) in
        let made = setup.transactions
        let transaction = { (level: Int) throws(RLPError) -> Transaction in
            try made.dynamicFee(sender: 0, nonce: 0, level: level, gas: 30_000, to: SuiteTransactions.recipient, value: UInt256(1))
        }
        switch try propagation(
            &context, setup, representative: { level throws(RLPError) in try transaction(level).hash },
            { level throws(RLPError) in
                [try transaction(level)]
            })
        {
        case .failure(let stopped): return stopped.observation
        case .success(let propagated): return propagated.observation
        }
    }

    static let invalid = ProbeTest(
        "eth/tx/invalid", section: "caps/eth.md Transactions (0x02): a node relays only valid transactions",
        sends: "a valid DynamicFeeTx from sender 2 (nonce 0; go-ethereum's suite uses sender 0 after its Transaction test) as "
            + "eth/tx/propagate does; then on two fresh connections five invalid ones from the same sender in one Transactions: "
            + "nonce 2^64 − 1, a value of 2^256 − 1 (more than any balance), gas 1,337 (below intrinsic), 50 KiB of init code, "
            + "128 KiB of data. \(poolDependence)",
        expects: [.silence],
        content: "no invalid hash reaches the second connection within the timeout, which stays connected (once the valid one propagated)",
        geth: "InvalidTxs", from: .transactions
    ) { context, setup throws(ProbeError) in
        let made = setup.transactions
        let valid = { (level: Int) throws(RLPError) -> Transaction in
            try made.dynamicFee(sender: 2, nonce: 0, level: level, gas: 30_000, to: SuiteTransactions.recipient)
        }
        let propagated: Propagated
        switch try propagation(
            &context, setup, representative: { level throws(RLPError) in try valid(level).hash },
            {
                level throws(RLPError) in [try valid(level)]
            })
        {
        case .failure(let stopped): return stopped.observation.asStep
        case .success(let done): propagated = done
        }
        var random = SystemRandom()
        let level = propagated.level
        let invalid: [Transaction]
        do throws(RLPError) {
            invalid = [
                try made.dynamicFee(sender: 2, nonce: .max, level: level, gas: 100_000, to: nil),
                try made.dynamicFee(sender: 2, nonce: 0, level: level, gas: 100_000, to: nil, value: .max),
                try made.dynamicFee(sender: 2, nonce: 0, level: level, gas: 1_337, to: nil),
                try made.dynamicFee(sender: 2, nonce: 0, level: level, gas: 1_000_000, to: nil, data: randomBytes(50 * 1024, &random)),
                try made.dynamicFee(
                    sender: 2, nonce: 0, level: level, gas: 5_000_000, to: SuiteTransactions.recipient, data: randomBytes(128 * 1024, &random)),
            ]
        } catch {
            return .unsupported("the probe could not build the invalid transactions: \(error)")
        }
        var quiet = try quietRelay(&context, setup, invalid)
        quiet.note = "\(propagated.observation.note); then \(quiet.note)"
        return quiet
    }

    static let announced = ProbeTest(
        "eth/tx/announced", section: "caps/eth.md NewPooledTransactionHashes (0x08), GetPooledTransactions (0x09)",
        sends: "NewPooledTransactionHashes for 50 DynamicFeeTxs never sent (sender 1, nonces 2,000 to 2,049, as in go-ethereum's "
            + "full run), types and sizes exact. \(poolDependence)",
        expects: [.message("GetPooledTransactions")], content: "one for exactly those 50 hashes within the timeout (order free)",
        geth: "NewPooledTxs",
        from: .transactions
    ) { context, setup throws(ProbeError) in
        var peer: TransactionPeer
        switch try TransactionPeer.open("announcer", &context, setup.known) {
        case .failure(let stopped): return stopped.observation
        case .success(let opened): peer = opened
        }
        defer { context.keep(peer.session.connection) }
        let fresh = freshLevel(
            &peer, timeout: context.timeout,
            representative: { level throws(RLPError) in
                try setup.transactions.dynamicFee(sender: 1, nonce: 2000, level: level, gas: 75_000, to: nil).hash
            }
        ) { level throws(RLPError) in
            try (UInt64(2000)..<2050).map { nonce throws(RLPError) in
                try setup.transactions.dynamicFee(sender: 1, nonce: nonce, level: level, gas: 75_000, to: nil)
            }
        }
        let found: (level: Int, made: [Transaction])
        switch fresh {
        case .failure(let stopped): return stopped.observation
        case .success(let value): found = value
        }
        let (level, txs) = (found.level, found.made)
        let wanted = Set(txs.map(\.hash))
        peer.send(
            .newPooledTransactionHashes(
                TransactionAnnouncement(
                    types: txs.map(\.type.rawValue), sizes: txs.map { UInt32(clamping: $0.encoded.count) }, hashes: txs.map(\.hash))))
        let start = peer.clock.now
        var asked: [Hash32]?
        var others: [String] = []
        let reaction = peer.watch(timeout: context.timeout) { message in
            switch message {
            case .getPooledTransactions(_, let hashes) where hashes.contains(where: wanted.contains):
                asked = hashes
                return true
            case .newPooledTransactionHashes, .transactions: return false
            default:
                others.append(message.name)
                return false
            }
        }
        if !others.isEmpty { peer.note("also \(TransactionPeer.counted(others))") }
        guard let asked else {
            return .saw(reaction.observed, report("no GetPooledTransactions for the announced hashes: \(reaction)", level: level, [peer]))
        }
        let ours = asked.count { wanted.contains($0) }
        guard asked.count == wanted.count, Set(asked) == wanted else {
            return .problem(report("GetPooledTransactions for \(asked.count) hashes, \(ours) of the 50 announced", level: level, [peer]))
        }
        return .saw(
            .message("GetPooledTransactions"),
            report("GetPooledTransactions for all 50 after \(seconds(since: start, peer.clock)) s", level: level, [peer]))
    }

    static let blobViolations = ProbeTest(
        "eth/tx/blob-violations", section: "caps/eth.md NewPooledTransactionHashes (0x08): announced types and sizes",
        sends: "on one connection NewPooledTransactionHashes for two BlobTxs from sender 5 (blobs of 0x01) with the second size "
            + "10 bytes too large; on another, two BlobTxs (blobs of 0x02) with the first announced as type 2; each connection "
            + "then delivers both transactions when asked. \(poolDependence)",
        expects: violationEnding, content: "on each connection, asked for the transactions first, within the timeout", geth: "BlobViolations",
        from: .transactions
    ) { context, setup throws(ProbeError) in
        var first: TransactionPeer
        switch try TransactionPeer.open("size peer", &context, setup.known) {
        case .failure(let stopped): return stopped.observation
        case .success(let opened): first = opened
        }
        let fresh = freshLevel(
            &first, timeout: context.timeout,
            representative: { level throws(RLPError) in
                try setup.transactions.blobHash(blobs: 2, byte: 0x01, sender: 5, level: level)
            }
        ) { level throws(RLPError) in
            (
                try setup.transactions.blobTransactions(count: 2, blobs: 3, byte: 0x01, sender: 5, level: level).map(\.tx),
                try setup.transactions.blobTransactions(count: 2, blobs: 3, byte: 0x02, sender: 5, level: level).map(\.tx)
            )
        }
        let found: (level: Int, made: ([Transaction], [Transaction]))
        switch fresh {
        case .failure(let stopped):
            context.keep(first.session.connection)
            return stopped.observation
        case .success(let value): found = value
        }
        let (level, sizeCase, typeCase) = (found.level, found.made.0, found.made.1)
        let sizes = sizeCase.map { UInt32(clamping: $0.encoded.count) }
        let one = violation(&first, sizeCase, types: [3, 3], sizes: [sizes[0], sizes[1] + 10], timeout: context.timeout)
        context.keep(first.session.connection)
        var second: TransactionPeer
        switch try TransactionPeer.open("type peer", &context, setup.known) {
        case .failure(let stopped): return Observation(kind: stopped.observation.kind, note: "size: \(one.note); type: \(stopped.observation.note)")
        case .success(let opened): second = opened
        }
        let two = violation(&second, typeCase, types: [2, 3], sizes: typeCase.map { UInt32(clamping: $0.encoded.count) }, timeout: context.timeout)
        context.keep(second.session.connection)
        let text = report("second size 10 bytes too large: \(one.note); first announced as type 2: \(two.note)", level: level, [first, second])
        // The first connection's ending is a step before the second's, which is judged.
        guard one.isAccepted(by: violationEnding) else { return .problem(text) }
        return Observation(kind: two.kind, note: text)
    }

    /// What a Transactions test accepts on the watching connection: the transactions in full, or announced.
    static let relayed: [ExpectedReaction] = [.message("Transactions"), .message("NewPooledTransactionHashes")]

    /// How a node ends a connection that broke the announcement rules: a Disconnect, or a close.
    static let violationEnding: [ExpectedReaction] = .refusal(nil)

    static let blobWithoutSidecar = badBlob(
        "eth/tx/blob-without-sidecar", geth: "TestBlobTxWithoutSidecar", byte: 42, sender: 6,
        spoiled: "the same transaction without its sidecar (same hash, announced with its smaller size)"
    ) { builder in
        var spoiled = builder
        spoiled.sidecar = nil
        return spoiled
    }

    static let blobMismatchedSidecar = badBlob(
        "eth/tx/blob-mismatched-sidecar", geth: "TestBlobTxWithMismatchedSidecar", byte: 43, sender: 7,
        spoiled: "the same transaction with its first commitment zeroed (same hash, same size)"
    ) { builder in
        var spoiled = builder
        if let sidecar = builder.sidecar {
            var commitments = sidecar.commitments
            if !commitments.isEmpty { commitments[0] = FixedBytes<48>() }
            spoiled.sidecar = BlobSidecar(
                version: sidecar.version, blobs: sidecar.blobs.map(Array.init), commitments: commitments, proofs: sidecar.proofs)
        }
        return spoiled
    }

    // MARK: The tests' frame

    /// What a transaction test works with.
    struct Setup: Sendable {
        let known: KnownChain
        let transactions: SuiteTransactions
        /// What the Engine API answered when it was not a VALID forkchoice update (reported, not judged).
        var engineNote: String?
    }

    /// `engine_forkchoiceUpdatedV3` naming `head` as head, safe and finalized block, without payload attributes:
    /// what go-ethereum's `headfcu.json` holds for its chain.
    static func forkchoiceRequest(head: Hash32) -> [UInt8] {
        let state = "{\"headBlockHash\":\"\(head)\",\"safeBlockHash\":\"\(head)\",\"finalizedBlockHash\":\"\(head)\"}"
        return Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"engine_forkchoiceUpdatedV3\",\"params\":[\(state),null]}".utf8)
    }

    /// A report line: `main`, the fee level when above 0, the transactions the node held already, and what each peer
    /// noted (`joining` false leaves the held transactions out, for a second stage of a test).
    static func report(_ main: String, level: Int, _ peers: [TransactionPeer], joining: Bool = true) -> String {
        var parts = [main]
        if level > 0 { parts.append("fee level \(level): the node held level \(level - 1) from an earlier run") }
        if joining, let held = peers.map(\.heldOnJoining).max(), held > 0 {
            parts.append("on joining, each connection was told of up to \(held) transactions the node held already (ignored)")
        }
        parts += peers.map(\.summary).filter { !$0.isEmpty }
        return parts.joined(separator: "; ")
    }

    static func seconds(since start: ContinuousClock.Instant, _ clock: any ProbeClock) -> String {
        let value = clock.seconds(since: start)
        return String(Double(Int((value * 1000).rounded())) / 1000)
    }

    static func randomBytes(_ count: Int, _ random: inout SystemRandom) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: random.next()) { bytes += $0 } }
        return Array(bytes.prefix(count))
    }
}

extension ProbeStage where Input == GethTransactionSuite.Setup {
    /// go-ethereum's test chain with its funded accounts, and the head named through the node's Engine API:
    /// UNSUPPORTED without them, or when the forkchoice update cannot be posted (the probe's problem, not the node's).
    static var transactions: ProbeStage<GethTransactionSuite.Setup> {
        ProbeStage(
            open: { context throws(ProbeError) in
                guard let known = context.known, let config = known.config, known.blocks.count >= 2, known.senders.count >= 8 else {
                    return .failure(
                        Stopped(
                            .unsupported(
                                "needs go-ethereum's test chain with its funded accounts (--chain-dir DIR: genesis.json, chain.rlp, accounts.json)")))
                }
                guard let engine = context.engine else {
                    return .failure(
                        Stopped(
                            .unsupported(
                                "give --engine-api URL --jwt-secret HEX|FILE: go-ethereum takes transactions only once the consensus side names the head"
                            )))
                }
                let request = known.forkchoiceRequest ?? GethTransactionSuite.forkchoiceRequest(head: known.tip.hash)
                var engineNote: String?
                switch engine.post(request, 2 * context.timeout) {
                case .failed(let reason):
                    return .failure(Stopped(.unsupported("the forkchoice update could not be posted to \(engine.url): \(reason)")))
                case .answered(let status, let answer):
                    let text = String(decoding: answer.prefix(200), as: UTF8.self)
                    if status != 200 || !text.contains("VALID") { engineNote = "the Engine API answered HTTP \(status): \(text)" }
                }
                let transactions = SuiteTransactions(chainID: config.chainID, senders: known.senders, head: known.tip)
                return .success(GethTransactionSuite.Setup(known: known, transactions: transactions, engineNote: engineNote))
            },
            annotate: { setup, observation in
                if let note = setup.engineNote { observation.note += " (\(note))" }
            })
    }
}
