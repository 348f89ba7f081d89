// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import Snap

/// The snap tests, for nodes that offer snap (after the eth Status exchange it runs beside).
enum SnapTests {
    static let all: [ProbeTest] = [
        test("snap/account-range/unknown-root", section: "caps/snap.md GetAccountRange (0x00)",
             sends: "GetAccountRange on a state root no block has", passes: "AccountRange with the same id and no account") { context, session in
            let asked = AccountRangeRequest(root: EthTests.unknownHash, origin: Hash32(), limit: allOnes, responseBytes: 4096)
            let reply = snapRequest(&session, .getAccountRange(requestID: 21, asked), timeout: context.timeout)
            guard case .message(.accountRange(21, let accounts, _)) = reply else { return .fail(describe(reply)) }
            return accounts.isEmpty ? .pass("empty AccountRange") : .fail("\(accounts.count) accounts for an unknown root")
        },
        test("snap/account-range/byte-limit", section: "caps/snap.md GetAccountRange (responseBytes)",
             sends: "GetAccountRange on the head's state root with a response limit of 1 byte",
             passes: "AccountRange with the same id and at most one account") { context, session in
            // The head's state root, from its header.
            let head = session.headHash
            let (headers, _) = session.request(.getBlockHeaders(requestID: 22, HeaderRequest(origin: .hash(head), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(_, let found)) = headers, let header = found.first else {
                return Check(result: .unsupported, observed: "the head header is not served: \(session.describe(headers))")
            }
            let asked = AccountRangeRequest(root: header.base.stateRoot, origin: Hash32(), limit: allOnes, responseBytes: 1)
            let reply = snapRequest(&session, .getAccountRange(requestID: 23, asked), timeout: context.timeout)
            guard case .message(.accountRange(23, let accounts, _)) = reply else { return .fail(describe(reply)) }
            return accounts.count <= 1 ? .pass("\(accounts.count) account(s)") : .fail("\(accounts.count) accounts for a 1-byte limit")
        },
    ]

    static let allOnes = Hash32(Array(repeating: 0xff, count: 32)) ?? Hash32()

    enum SnapReply {
        case message(SnapMessage)
        case other(String)
    }

    static func describe(_ reply: SnapReply) -> String {
        switch reply {
        case .message(let message): message.name + " id=\(message.requestID)"
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
        guard case .event = reaction else { return .other("\(reaction)") }
        do {
            return .message(try SnapMessage(version: snap.version, code: code, payload: payload))
        } catch {
            return .other("a malformed answer: \(error)")
        }
    }

    /// A snap test: the eth Status exchange first (mirrored), then `body`; UNSUPPORTED when snap is not shared.
    static func test(
        _ id: String, section: String, sends: String, passes: String,
        _ body: @escaping @Sendable (ProbeContext, inout EthTests.EthSession) -> Check
    ) -> ProbeTest {
        EthTests.exchange(id, section: section, sends: sends, passes: passes) { context, session in
            guard session.connection.session.matchedProtocols.contains(where: { $0.name == "snap" }) else {
                return Check(result: .unsupported, observed: "the node shares no snap version with snap/1")
            }
            return body(context, &session)
        }
    }
}
