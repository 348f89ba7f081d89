// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import Snap

/// The snap tests, for nodes that offer snap (after the eth Status exchange it runs beside).
enum SnapTests {
    static let all: [ProbeTest] = [
        ProbeTest(
            "snap/account-range/unknown-root", section: "caps/snap.md GetAccountRange (0x00)", sends: "GetAccountRange on a state root no block has",
            expects: [.message("AccountRange")], content: "the same id and no account", from: .eth(snap: true)
        ) { context, session in
            let asked = AccountRangeRequest(root: EthTests.unknownHash, origin: Hash32(), limit: allOnes, responseBytes: 4096)
            let reply = snapRequest(&session, .getAccountRange(requestID: 21, asked), timeout: context.timeout)
            guard case .message(.accountRange(let id, let accounts, _)) = reply else { return .saw(reply.observed, describe(reply)) }
            guard id == 21 else { return .problem(describe(reply)) }
            return accounts.isEmpty ? .saw(reply.observed, "empty AccountRange") : .problem("\(accounts.count) accounts for an unknown root")
        },
        ProbeTest(
            "snap/account-range/byte-limit", section: "caps/snap.md GetAccountRange (responseBytes)",
            sends: "GetAccountRange on the head's state root with a response limit of 1 byte", expects: [.message("AccountRange")],
            content: "the same id and at most one account", from: .eth(snap: true)
        ) { context, session in
            // The head's state root, from its header.
            let head = session.headHash
            let (headers, _) = session.request(
                .getBlockHeaders(requestID: 22, HeaderRequest(origin: .hash(head), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(_, let found)) = headers, let header = found.first else {
                return .unsupported("the head header is not served: \(session.describe(headers))")
            }
            let asked = AccountRangeRequest(root: header.base.stateRoot, origin: Hash32(), limit: allOnes, responseBytes: 1)
            let reply = snapRequest(&session, .getAccountRange(requestID: 23, asked), timeout: context.timeout)
            guard case .message(.accountRange(let id, let accounts, _)) = reply else { return .saw(reply.observed, describe(reply)) }
            guard id == 23 else { return .problem(describe(reply)) }
            return accounts.count <= 1
                ? .saw(reply.observed, "\(accounts.count) account(s)") : .problem("\(accounts.count) accounts for a 1-byte limit")
        },
    ]

    static let allOnes = Hash32(Array(repeating: 0xff, count: 32)) ?? Hash32()

    enum SnapReply {
        case message(SnapMessage)
        case reaction(Reaction)
        case other(String)

        /// The reply as the runner judges it.
        var observed: ObservedReaction {
            switch self {
            case .message(let message): .message(message.name)
            case .reaction(let reaction): reaction.observed
            case .other(let text): .other(text)
            }
        }
    }

    static func describe(_ reply: SnapReply) -> String {
        switch reply {
        case .message(let message): message.name + " id=\(message.requestID)"
        case .reaction(let reaction): "\(reaction)"
        case .other(let text): text
        }
    }

    /// Sends a snap request and returns the node's next snap message.
    static func snapRequest(_ session: inout EthTests.EthSession, _ message: SnapMessage, timeout: Double) -> SnapReply {
        guard let snap = session.connection.session.matchedProtocols.first(where: { $0.name == "snap" }) else { return .other("no snap") }
        session.connection.send(protocol: "snap", code: message.code, payload: message.encoded())
        var code: UInt64 = 0
        var payload: [UInt8] = []
        let response = SnapVersion.messages.message(code: message.code)?.responseCode
        let reaction = session.connection.waitFor(timeout: timeout) { event in
            guard case .message(let matched, let received, let bytes) = event, matched.name == "snap", received == response else { return false }
            (code, payload) = (received, bytes)
            return true
        }
        guard case .event = reaction else { return .reaction(reaction) }
        do {
            return .message(try SnapMessage(version: snap.version, code: code, payload: payload))
        } catch {
            return .other("a malformed answer: \(error)")
        }
    }
}
