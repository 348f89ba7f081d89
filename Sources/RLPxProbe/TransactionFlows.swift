// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP

/// The exchanges go-ethereum's transaction tests are made of, each on fresh connections and bounded by the timeout.
extension GethTransactionSuite {
    /// The fee level to send at, and what `build` makes at it: one above the highest level whose transactions the
    /// node holds (0 when it holds none), asked on `peer` with one GetPooledTransactions for `representative`'s hash
    /// at every level (a pool keeps one transaction per sender and nonce, the latest replacement, so lower levels may be
    /// gone). A node that does not answer gets level 0 (noted); one that drops the session fails.
    static func freshLevel<Made>(
        _ peer: inout TransactionPeer, timeout: Double, representative: (Int) throws(RLPError) -> Hash32,
        _ build: (Int) throws(RLPError) -> Made
    ) -> Result<(level: Int, made: Made), Stopped> {
        let levels = Array(0...SuiteTransactions.maximumLevel)
        let asked: [Hash32]
        do throws(RLPError) {
            asked = try levels.map { level throws(RLPError) in try representative(level) }
        } catch {
            return .failure(Stopped(.unsupported("the probe could not build its transactions: \(error)")))
        }
        let id: UInt64 = 0x7e1d
        peer.send(.getPooledTransactions(requestID: id, asked))
        var held: Set<Hash32> = []
        let reaction = peer.watch(timeout: timeout) { message in
            guard case .pooledTransactions(id, let txs) = message else { return false }
            held = Set(txs.map(\.hash))
            return true
        }
        var level = 0
        switch reaction {
        case .event:
            if let highest = levels.last(where: { held.contains(asked[$0]) }) { level = highest + 1 }
        case .silence:
            peer.note("no answer to GetPooledTransactions (does it hold them?) within \(timeout) s, so fee level 0")
        default:
            return .failure(Stopped(.problem("\(peer.role): \(reaction) when asked whether it holds the transactions")))
        }
        guard level <= SuiteTransactions.maximumLevel else {
            return .failure(
                Stopped(.problem("the node holds the transactions at fee level \(SuiteTransactions.maximumLevel), the highest the probe sends")))
        }
        do throws(RLPError) {
            return .success((level, try build(level)))
        } catch {
            return .failure(Stopped(.unsupported("the probe could not build its transactions: \(error)")))
        }
    }

    /// go-ethereum's `sendTxs`: a sender and a watcher connection; the transactions `build` makes (at a level the
    /// node has not seen) go out in one Transactions on the sender, and every hash must reach the watcher, in full or
    /// announced, within the timeout. Hashes of other transactions are ignored; other messages noted. Stopped with
    /// the watcher's reaction when not every hash arrived.
    static func propagation(
        _ context: inout ProbeContext, _ setup: Setup, representative: (Int) throws(RLPError) -> Hash32,
        _ build: (Int) throws(RLPError) -> [Transaction]
    ) throws(ProbeError) -> Result<Propagated, Stopped> {
        var sender: TransactionPeer
        switch try TransactionPeer.open("sender", &context, setup.known) {
        case .failure(let stopped): return .failure(stopped)
        case .success(let opened): sender = opened
        }
        let found: (level: Int, made: [Transaction])
        switch freshLevel(&sender, timeout: context.timeout, representative: representative, build) {
        case .failure(let stopped):
            context.keep(sender.session.connection)
            return .failure(stopped)
        case .success(let value): found = value
        }
        let (level, txs) = (found.level, found.made)
        var watcher: TransactionPeer
        switch try TransactionPeer.open("watcher", &context, setup.known) {
        case .failure(let stopped):
            context.keep(sender.session.connection)
            return .failure(stopped)
        case .success(let opened): watcher = opened
        }
        let wanted = Set(txs.map(\.hash))
        sender.send(.transactions(txs))
        let start = watcher.clock.now
        var seen: Set<Hash32> = []
        var full = 0
        var announced = 0
        var ignored = 0
        var others: [String] = []
        var last = ""
        let reaction = watcher.watch(timeout: context.timeout) { message in
            let hashes: [Hash32]
            switch message {
            case .transactions(let got):
                hashes = got.map(\.hash)
                full += hashes.count { wanted.contains($0) && !seen.contains($0) }
            case .newPooledTransactionHashes(let announcement):
                hashes = announcement.hashes
                announced += hashes.count { wanted.contains($0) && !seen.contains($0) }
            default:
                others.append(message.name)
                return false
            }
            for hash in hashes {
                if wanted.contains(hash) { seen.insert(hash) } else { ignored += 1 }
            }
            last = message.name
            return seen.count == wanted.count
        }
        let took = seconds(since: start, watcher.clock)
        if ignored > 0 { watcher.note("ignored \(ignored) hashes of other transactions") }
        if !others.isEmpty { watcher.note("also \(TransactionPeer.counted(others))") }
        if let dropped = sender.drain(0.05) { sender.note("\(dropped)") }
        context.keep(sender.session.connection)
        context.keep(watcher.session.connection)
        let count = txs.count == 1 ? "the transaction" : "all \(txs.count) transactions"
        guard seen.count == wanted.count else {
            let text = "the watching connection saw \(seen.count) of \(txs.count) hashes within \(context.timeout) s: \(reaction)"
            return .failure(Stopped(.saw(reaction.observed, report(text, level: level, [sender, watcher]))))
        }
        let how = [full > 0 ? "\(full) in full" : nil, announced > 0 ? "\(announced) announced" : nil].compactMap { $0 }.joined(separator: ", ")
        let observation = Observation.saw(
            .message(last), report("\(count) reached the watching connection after \(took) s (\(how))", level: level, [sender, watcher]))
        return .success(Propagated(level: level, sent: txs, observation: observation))
    }

    /// Transactions that reached the watching connection: their fee level, and the watcher's reaction that completed them.
    struct Propagated {
        let level: Int
        let sent: [Transaction]
        let observation: Observation
    }

    /// go-ethereum's `sendInvalidTxs`: `txs` in one Transactions on a fresh sender; for the timeout none of their
    /// hashes may reach a fresh watcher, and the watcher must stay connected.
    static func quietRelay(_ context: inout ProbeContext, _ setup: Setup, _ txs: [Transaction]) throws(ProbeError) -> Observation {
        var sender: TransactionPeer
        switch try TransactionPeer.open("invalid sender", &context, setup.known) {
        case .failure(let stopped): return stopped.observation
        case .success(let opened): sender = opened
        }
        var watcher: TransactionPeer
        switch try TransactionPeer.open("invalid watcher", &context, setup.known) {
        case .failure(let stopped):
            context.keep(sender.session.connection)
            return stopped.observation
        case .success(let opened): watcher = opened
        }
        let invalid = Set(txs.map(\.hash))
        sender.send(.transactions(txs))
        var relayed: Set<Hash32> = []
        var relayedBy = ""
        var ignored = 0
        var others: [String] = []
        let reaction = watcher.watch(timeout: context.timeout) { message in
            let hashes: [Hash32]
            switch message {
            case .transactions(let got): hashes = got.map(\.hash)
            case .newPooledTransactionHashes(let announcement): hashes = announcement.hashes
            default:
                others.append(message.name)
                return false
            }
            for hash in hashes {
                if invalid.contains(hash) { relayed.insert(hash) } else { ignored += 1 }
            }
            if !relayed.isEmpty { relayedBy = message.name }
            return !relayed.isEmpty
        }
        if ignored > 0 { watcher.note("ignored \(ignored) hashes of other transactions") }
        if !others.isEmpty { watcher.note("also \(TransactionPeer.counted(others))") }
        if let dropped = sender.drain(0.05) { sender.note("\(dropped)") }
        context.keep(sender.session.connection)
        context.keep(watcher.session.connection)
        if !relayed.isEmpty {
            let which = txs.enumerated().filter { relayed.contains($0.element.hash) }.map { "#\($0.offset + 1)" }.joined(separator: ", ")
            return .saw(
                .message(relayedBy),
                report("invalid transaction \(which) reached the watching connection", level: 0, [sender, watcher], joining: false))
        }
        guard case .silence = reaction else {
            return .saw(reaction.observed, report("the watching connection: \(reaction)", level: 0, [sender, watcher], joining: false))
        }
        return .saw(
            .silence,
            report(
                "none of the \(txs.count) invalid transactions reached the watching connection in \(context.timeout) s", level: 0, [sender, watcher],
                joining: false))
    }

    /// One BlobViolations case on `peer`: announce `txs` with `types` and `sizes`, deliver both when asked, then the
    /// node must disconnect (``violationEnding``).
    static func violation(
        _ peer: inout TransactionPeer, _ txs: [Transaction], types: [UInt8], sizes: [UInt32], timeout: Double
    ) -> Observation {
        let hashes = txs.map(\.hash)
        let ours = Set(hashes)
        peer.send(.newPooledTransactionHashes(TransactionAnnouncement(types: types, sizes: sizes, hashes: hashes)))
        var requestID: UInt64?
        let asked = peer.watch(timeout: timeout) { message in
            guard case .getPooledTransactions(let id, let wanted) = message, wanted.contains(where: ours.contains) else { return false }
            requestID = id
            return true
        }
        guard let requestID else { return .problem("no GetPooledTransactions for the announced transactions: \(asked)") }
        peer.send(.pooledTransactions(requestID: requestID, txs))
        let start = peer.clock.now
        var between: [String] = []
        let ending = peer.watch(timeout: timeout) { message in
            between.append(message.name)
            return false
        }
        if !between.isEmpty { peer.note("before the end: \(TransactionPeer.counted(between))") }
        switch ending {
        case .disconnect, .closed: return .saw(ending.observed, "asked, then \(ending) \(seconds(since: start, peer.clock)) s after the delivery")
        default: return .saw(ending.observed, "asked, but after the delivery \(ending)")
        }
    }

    /// go-ethereum's `testBadBlobTx`: a bad peer announces a BlobTx (two blobs of `byte`, from `sender`) and, when
    /// asked, delivers it spoiled; it must be disconnected, and a good peer that announced it too must be asked for it
    /// and keep its session after delivering it intact.
    static func badBlob(
        _ id: String, geth: String, byte: UInt8, sender: Int, spoiled: String, _ spoil: @escaping @Sendable (TransactionBuilder) -> TransactionBuilder
    ) -> ProbeTest {
        ProbeTest(
            id, section: "caps/eth.md PooledTransactions (0x0a): blob transactions in network form (EIP-4844)",
            sends: "a bad connection announces a BlobTx from sender \(sender) (two blobs of \(byte); go-ethereum's suite uses sender 5) "
                + "and, when asked, delivers \(spoiled); a good connection announces it too and delivers it intact when asked. \(poolDependence)",
            expects: violationEnding,
            content: "on the bad connection, within the timeout of its delivery; the good one is then asked for the transaction within "
                + "the timeout and stays connected for a second after its delivery",
            geth: geth, from: .transactions
        ) { context, setup throws(ProbeError) in
            var bad: TransactionPeer
            switch try TransactionPeer.open("bad peer", &context, setup.known) {
            case .failure(let stopped): return stopped.observation
            case .success(let opened): bad = opened
            }
            let fresh = freshLevel(
                &bad, timeout: context.timeout,
                representative: { level throws(RLPError) in
                    try setup.transactions.blobHash(blobs: 2, byte: byte, sender: sender, level: level)
                }
            ) { level throws(RLPError) in
                try setup.transactions.blobTransactions(count: 1, blobs: 2, byte: byte, sender: sender, level: level)
            }
            let found: (level: Int, made: [(tx: Transaction, builder: TransactionBuilder)])
            switch fresh {
            case .failure(let stopped):
                context.keep(bad.session.connection)
                return stopped.observation
            case .success(let value): found = value
            }
            let level = found.level
            guard let (tx, builder) = found.made.first else {
                context.keep(bad.session.connection)
                return .unsupported("the probe built no transaction")
            }
            let badTx: Transaction
            do throws(RLPError) {
                badTx = try spoil(builder).assembled(recoveryID: UInt8(tx.v.uint64 ?? 0), r: tx.r, s: tx.s)
            } catch {
                context.keep(bad.session.connection)
                return .unsupported("the probe could not build the spoiled transaction: \(error)")
            }
            let hash = tx.hash
            bad.send(.newPooledTransactionHashes(TransactionAnnouncement(types: [3], sizes: [UInt32(clamping: badTx.encoded.count)], hashes: [hash])))
            var badRequest: UInt64?
            let asked = bad.watch(timeout: context.timeout) { message in
                guard case .getPooledTransactions(let id, let hashes) = message, hashes.contains(hash) else { return false }
                badRequest = id
                return true
            }
            guard let badRequest else {
                context.keep(bad.session.connection)
                return .problem(report("the bad peer was not asked for the announced transaction: \(asked)", level: level, [bad]))
            }
            var good: TransactionPeer
            switch try TransactionPeer.open("good peer", &context, setup.known) {
            case .failure(let stopped):
                context.keep(bad.session.connection)
                return stopped.observation
            case .success(let opened): good = opened
            }
            defer {
                context.keep(bad.session.connection)
                context.keep(good.session.connection)
            }
            good.send(.newPooledTransactionHashes(TransactionAnnouncement(types: [3], sizes: [UInt32(clamping: tx.encoded.count)], hashes: [hash])))
            bad.send(.pooledTransactions(requestID: badRequest, [badTx]))
            let delivered = bad.clock.now
            var between: [String] = []
            let ending = bad.watch(timeout: context.timeout) { message in
                between.append(message.name)
                return false
            }
            if !between.isEmpty { bad.note("before the end: \(TransactionPeer.counted(between))") }
            let badEnd: String
            switch ending {
            case .disconnect, .closed: badEnd = "\(ending) \(seconds(since: delivered, bad.clock)) s after its delivery"
            default:
                return .saw(ending.observed, report("the bad peer was not disconnected after its delivery: \(ending)", level: level, [bad, good]))
            }
            var goodRequest: (id: UInt64, hashes: [Hash32])?
            let reasked = good.watch(timeout: context.timeout) { message in
                guard case .getPooledTransactions(let id, let hashes) = message, hashes.contains(hash) else { return false }
                goodRequest = (id, hashes)
                return true
            }
            guard let goodRequest else {
                return .problem(
                    report("bad peer: \(badEnd); the good peer was not asked for the transaction: \(reasked)", level: level, [bad, good]))
            }
            let askedAfter = seconds(since: delivered, good.clock)
            guard goodRequest.hashes.first == hash else {
                return .problem(report("bad peer: \(badEnd); the good peer's request starts with another hash", level: level, [bad, good]))
            }
            good.send(.pooledTransactions(requestID: goodRequest.id, [tx]))
            let quiet = min(1, context.timeout)
            if let dropped = good.drain(quiet) {
                return .problem(
                    report(
                        "bad peer: \(badEnd); the good peer, asked \(askedAfter) s after, was dropped after delivering: \(dropped)", level: level,
                        [bad, good]))
            }
            return .saw(
                ending.observed,
                report(
                    "bad peer: \(badEnd); good peer asked \(askedAfter) s after it, its delivery taken without Disconnect for \(quiet) s",
                    level: level, [bad, good]))
        }
    }
}
