// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth

/// One peered connection of a transaction test: the Status exchanged on the known chain, GetBlockHeaders answered
/// from it whenever the test waits (a Ping is answered by the session), and what the test does not look for kept as
/// notes for the report, never fatal.
struct TransactionPeer {
    /// Who this connection is in the test ("sender", "watcher", "bad peer", ...).
    let role: String
    var session: EthTests.EthSession
    private var responder: EthResponder
    /// Things seen that the test did not look for.
    private(set) var notes: [String] = []
    private var headerAnswers = 0
    /// Transactions the node announced or sent on joining, before the test sent anything (ignored).
    private(set) var heldOnJoining = 0
    /// The connection's clock.
    var clock: any ProbeClock { session.connection.clock }

    /// A session past the Status exchange whose peer the node has registered: a GetBlockHeaders answered proves the
    /// node's eth handler runs for it (a node announces transactions only to registered peers).
    static func open(_ role: String, _ context: inout ProbeContext, _ known: KnownChain) throws(ProbeError) -> Result<TransactionPeer, Stopped> {
        let session: EthTests.EthSession
        switch try EthTests.open(&context) {
        case .failure(let failure): return .failure(failure)
        case .success(let opened): session = opened
        }
        let status = GethEthSuite.ourStatus(known, version: session.version)
        var responder = EthResponder(version: session.version, chain: known.config ?? .mainnet, blocks: known.blocks)
        _ = responder.receive(.status(status), time: known.tip.base.timestamp)
        var peer = TransactionPeer(role: role, session: session, responder: responder)
        peer.send(.status(status))
        peer.send(.getBlockHeaders(requestID: 0x5e771e, HeaderRequest(origin: .number(known.tip.number), amount: 1, skip: 0, reverse: false)))
        var others: [String] = []
        var held = 0
        let reaction = peer.watch(timeout: context.timeout) { message in
            switch message {
            case .blockHeaders(0x5e771e, _): return true
            case .newPooledTransactionHashes(let announcement): held += announcement.hashes.count
            case .transactions(let txs): held += txs.count
            default: others.append(message.name)
            }
            return false
        }
        peer.heldOnJoining = held
        if !others.isEmpty { peer.note("on joining, \(counted(others))") }
        guard case .event = reaction else {
            context.keep(peer.session.connection)
            return .failure(Stopped(.problem("\(role): no answer to GetBlockHeaders after the Status exchange: \(reaction)")))
        }
        return .success(peer)
    }

    mutating func send(_ message: EthMessage) { session.send(message) }

    mutating func note(_ text: String) { notes.append(text) }

    /// Reads for up to `timeout` seconds until `look` accepts an eth message. GetBlockHeaders is answered from the
    /// chain and not shown to `look`; eth messages that do not decode are noted. Returns the reaction that ended the
    /// wait: `.event` when `look` accepted, a Disconnect, a close, or silence.
    mutating func watch(timeout: Double, _ look: (EthMessage) -> Bool) -> Reaction {
        let deadline = clock.now + .nanoseconds(Int64(max(0, timeout) * 1e9))
        let version = session.version
        while true {
            let seconds = (deadline - clock.now).inSeconds
            guard seconds > 0 else { return .silence(timeout) }
            var headerRequest: (UInt64, HeaderRequest)?
            var undecodable: [String] = []
            let reaction = session.connection.waitFor(timeout: seconds) { event in
                guard case .message(let matched, let code, let payload) = event, matched.name == "eth" else { return false }
                let message: EthMessage
                do {
                    message = try EthMessage(version: version, code: code, payload: payload)
                } catch {
                    undecodable.append("an eth message \(code) that does not decode (\(error))")
                    return false
                }
                if case .getBlockHeaders(let id, let request) = message {
                    headerRequest = (id, request)
                    return true
                }
                return look(message)
            }
            notes += undecodable
            if let (id, request) = headerRequest {
                for answer in responder.receive(.getBlockHeaders(requestID: id, request), time: 0).send { send(answer) }
                headerAnswers += 1
                continue
            }
            if case .silence = reaction { return .silence(timeout) }
            return reaction
        }
    }

    /// Reads what has arrived within `seconds` without waiting for anything, noting it; the reaction if the node
    /// disconnected or closed.
    mutating func drain(_ seconds: Double) -> Reaction? {
        var seen: [String] = []
        let reaction = watch(timeout: seconds) { message in
            seen.append(message.name)
            return false
        }
        if !seen.isEmpty { notes.append("then \(Self.counted(seen))") }
        switch reaction {
        case .disconnect, .closed, .refused: return reaction
        default: return nil
        }
    }

    /// The notes and header answers, as one clause of a report (empty when there is nothing to say).
    var summary: String {
        var parts = notes
        if headerAnswers > 0 { parts.append("answered \(headerAnswers) GetBlockHeaders") }
        return parts.isEmpty ? "" : "\(role): " + parts.joined(separator: ", ")
    }

    /// Names counted: "2 × NewPooledTransactionHashes, Transactions".
    static func counted(_ names: [String]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for name in names {
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
        }
        return order.map { (counts[$0] ?? 1) > 1 ? "\(counts[$0] ?? 1) × \($0)" : $0 }.joined(separator: ", ")
    }
}
