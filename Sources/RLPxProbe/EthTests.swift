// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCrypto

/// The eth tests, for nodes that offer eth: no chain file needed, the probe mirrors the node's own Status so that
/// any node accepts it.
enum EthTests {
    static let all: [ProbeTest] = [
        exchange("eth/status/mirror", section: "caps/eth.md Status (0x00)", sends: "the node's own Status back, then GetBlockHeaders for block 0",
                 passes: "the session stays up and the request is answered") { context, session in
            let (reply, _) = session.request(.getBlockHeaders(requestID: 1, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders) = reply else { return .fail("after the mirrored Status: \(session.describe(reply))") }
            return .pass("Status accepted; \(session.describe(reply))")
        },
        exchange("eth/headers/genesis", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "GetBlockHeaders for block 0 by number",
                 passes: "BlockHeaders with the same request id and one header whose hash is the Status genesis") { context, session in
            let (reply, _) = session.request(.getBlockHeaders(requestID: 7, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(let id, let headers)) = reply else { return .fail(session.describe(reply)) }
            guard id == 7 else { return .fail("request id \(id), not 7") }
            guard headers.count == 1, let first = headers.first else { return .fail("\(headers.count) headers for one") }
            guard first.number == 0, first.hash == session.status.genesis else {
                return .fail("header #\(first.number) hash \(first.hash); the Status genesis is \(session.status.genesis)")
            }
            return .pass("genesis \(first.hash)")
        },
        exchange("eth/headers/request-ids", section: "caps/eth.md Request IDs (EIP-2481)", sends: "GetBlockHeaders with request ids 0 and 2^64-1",
                 passes: "each answered with exactly its id") { context, session in
            for id in [UInt64(0), UInt64.max] {
                let (reply, _) = session.request(.getBlockHeaders(requestID: id, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
                guard case .message(.blockHeaders(let echoed, _)) = reply else { return .fail("id \(id): \(session.describe(reply))") }
                guard echoed == id else { return .fail("id \(id) answered as \(echoed)") }
            }
            return .pass("0 and 18446744073709551615 echoed")
        },
        exchange("eth/headers/run", section: "caps/eth.md GetBlockHeaders (skip, reverse)",
                 sends: "GetBlockHeaders from the head by hash, 8 headers in reverse; then 4 from 9 below the head with skip 2",
                 passes: "headers whose parent hashes link and whose numbers follow skip and reverse, same ids") { context, session in
            let head = session.headHash
            let (reply, _) = session.request(.getBlockHeaders(requestID: 41, HeaderRequest(origin: .hash(head), amount: 8, skip: 0, reverse: true)), timeout: context.timeout)
            guard case .message(.blockHeaders(41, let run)) = reply, let top = run.first else { return .fail(session.describe(reply)) }
            guard top.hash == head else { return .fail("the first header is not the Status head") }
            for (child, parent) in zip(run, run.dropFirst()) where child.base.parentHash != parent.hash || parent.number &+ 1 != child.number {
                return .fail("#\(child.number) does not link to #\(parent.number)")
            }
            guard top.number >= 9 else { return .pass("\(run.count) linked headers (the chain is too short for the skip request)") }
            let origin = top.number - 9
            let (spaced, _) = session.request(.getBlockHeaders(requestID: 42, HeaderRequest(origin: .number(origin), amount: 4, skip: 2, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(42, let headers)) = spaced else { return .fail(session.describe(spaced)) }
            let numbers = headers.map(\.number)
            guard numbers == [origin, origin + 3, origin + 6, origin + 9] else { return .fail("skip 2 from #\(origin) gave \(numbers)") }
            return .pass("\(run.count) linked headers down from #\(top.number); #\(origin) skip 2 gave \(numbers)")
        },
        exchange("eth/headers/too-many", section: "caps/eth.md GetBlockHeaders; go-ethereum's 1,024-header and 2 MiB caps",
                 sends: "GetBlockHeaders for 100,000 headers from block 0", passes: "at most 1,024 headers in at most 2 MiB, same id") { context, session in
            let (reply, size) = session.request(.getBlockHeaders(requestID: 3, HeaderRequest(origin: .number(0), amount: 100_000, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(3, let headers)) = reply else { return .fail(session.describe(reply)) }
            guard headers.count <= EthMessage.maximumHeadersServed else { return .fail("\(headers.count) headers") }
            guard size <= EthMessage.softResponseLimit + 4096 else { return .fail("\(size) bytes") }
            return .pass("\(headers.count) headers, \(size) bytes")
        },
        exchange("eth/headers/unknown", section: "caps/eth.md GetBlockHeaders (0x03)", sends: "GetBlockHeaders from a hash no chain has",
                 passes: "BlockHeaders with no header, same id, no Disconnect") { context, session in
            let (reply, _) = session.request(.getBlockHeaders(requestID: 13, HeaderRequest(origin: .hash(Self.unknownHash), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            guard case .message(.blockHeaders(13, let headers)) = reply else { return .fail(session.describe(reply)) }
            return headers.isEmpty ? .pass("empty BlockHeaders") : .fail("\(headers.count) headers for an unknown hash")
        },
        exchange("eth/bodies/unknown", section: "caps/eth.md GetBlockBodies (0x05)", sends: "GetBlockBodies for a hash no chain has",
                 passes: "BlockBodies with no body, same id, no Disconnect") { context, session in
            let (reply, _) = session.request(.getBlockBodies(requestID: 11, [Self.unknownHash]), timeout: context.timeout)
            guard case .message(.blockBodies(11, let bodies)) = reply else { return .fail(session.describe(reply)) }
            return bodies.isEmpty ? .pass("empty BlockBodies") : .fail("\(bodies.count) bodies for an unknown hash")
        },
        exchange("eth/receipts/unknown", section: "caps/eth.md GetReceipts (0x0f)", sends: "GetReceipts for a hash no chain has",
                 passes: "Receipts with no list, same id, no Disconnect") { context, session in
            let request: EthMessage = session.version >= 70
                ? .getReceipts(requestID: 12, firstBlockReceiptIndex: 0, [Self.unknownHash])
                : .getReceipts(requestID: 12, firstBlockReceiptIndex: nil, [Self.unknownHash])
            let (reply, _) = session.request(request, timeout: context.timeout)
            guard case .message(.receipts(12, _, let receipts)) = reply else { return .fail(session.describe(reply)) }
            return receipts.isEmpty ? .pass("empty Receipts") : .fail("\(receipts.count) receipt lists for an unknown hash")
        },
        refusal("eth/status/wrong-genesis", sends: "the node's Status with another genesis hash") { status in
            status.genesis = Self.unknownHash
        },
        refusal("eth/status/wrong-network", sends: "the node's Status with another network ID") { status in
            status.networkID = status.networkID &+ 1
        },
        refusal("eth/status/incompatible-fork-id", sends: "the node's Status with a fork ID of no known chain") { status in
            status.forkID = ForkID(hash: FixedBytes<4>([0xde, 0xad, 0xbe, 0xef]) ?? FixedBytes<4>(), next: 0)
        },
        exchange("eth/status/twice", section: "caps/eth.md Status (sent once)", sends: "a second Status after the handshake",
                 passes: "a Disconnect or a close") { context, session in
            session.send(.status(session.status))
            let reaction = session.connection.waitFor(timeout: context.timeout) { _ in false }
            return reaction.isRefusal(Set(DisconnectReason.known)) ? .pass("\(reaction)") : .fail("\(reaction)")
        },
        exchange("eth/block-range/invalid", section: "caps/eth.md BlockRangeUpdate (EIP-7642)", sends: "BlockRangeUpdate with earliest > latest",
                 passes: "a Disconnect or a close", geth: "BlockRangeUpdateInvalid", minimumVersion: 69) { context, session in
            session.send(.blockRangeUpdate(BlockRange(earliest: 100, latest: 10, latestHash: Self.unknownHash)))
            let reaction = session.connection.waitFor(timeout: context.timeout) { _ in false }
            return reaction.isRefusal(Set(DisconnectReason.known)) ? .pass("\(reaction)") : .fail("\(reaction)")
        },
    ]

    static let unknownHash = Hash32(Array(repeating: 0x5a, count: 32)) ?? Hash32()

    /// An eth conversation past the Status exchange.
    struct EthSession {
        var connection: ProbeConnection
        let version: UInt
        /// The node's Status.
        let status: Status

        /// The hash of the node's head block, as its Status names it.
        var headHash: Hash32 {
            switch status.head {
            case .totalDifficulty(_, let best): best
            case .range(let range): range.latestHash
            }
        }

        mutating func send(_ message: EthMessage) {
            connection.send(protocol: "eth", code: message.code, payload: message.encoded(version: version))
        }

        /// Sends the request `message` and returns the node's response to it (announcements the node sends
        /// meanwhile, such as BlockRangeUpdate or transaction hashes, are passed over), or what happened instead, and
        /// the response's size.
        mutating func request(_ message: EthMessage, timeout: Double) -> (EthReply, Int) {
            send(message)
            var payload: [UInt8] = []
            var code: UInt64 = 0
            let response = EthVersion.messages.message(code: message.code)?.responseCode
            let reaction = connection.waitFor(timeout: timeout) { event in
                guard case .message(let matched, let received, let bytes) = event, matched.name == "eth", received == response else { return false }
                (code, payload) = (received, bytes)
                return true
            }
            guard case .event = reaction else { return (.reaction(reaction), 0) }
            do {
                return (.message(try EthMessage(version: version, code: code, payload: payload)), payload.count)
            } catch {
                return (.malformed("\(error)"), payload.count)
            }
        }

        /// The eth message a session event carries, decoded; nil for anything else or a payload that does not decode.
        func decode(_ event: SessionEvent) -> EthMessage? {
            guard case .message(let matched, let code, let payload) = event, matched.name == "eth" else { return nil }
            return try? EthMessage(version: version, code: code, payload: payload)
        }

        func describe(_ reply: EthReply) -> String {
            switch reply {
            case .message(let message): "\(message.name)" + (message.requestID.map { " id=\($0)" } ?? "")
            case .reaction(let reaction): "\(reaction)"
            case .malformed(let error): "a malformed answer: \(error)"
            }
        }
    }

    enum EthReply {
        case message(EthMessage)
        case reaction(Reaction)
        case malformed(String)
    }

    /// Opens a session that shares eth and has the node's Status; `nil` with the check when it cannot.
    static func open(_ context: inout ProbeContext) throws(ProbeError) -> Result<EthSession, CheckFailure> {
        var connection: ProbeConnection
        switch try context.established() {
        case .failure(let failure): return .failure(failure)
        case .success(let ready): connection = ready
        }
        guard let eth = connection.session.matchedProtocols.first(where: { $0.name == "eth" }) else {
            context.keep(connection)
            return .failure(CheckFailure(check: Check(result: .unsupported, observed: "the node shares no eth version with eth/68-69")))
        }
        var payload: [UInt8]?
        let reaction = connection.waitFor(timeout: context.timeout) { event in
            guard case .message(let matched, 0, let bytes) = event, matched.name == "eth" else { return false }
            payload = bytes
            return true
        }
        guard case .event = reaction, let payload else {
            context.keep(connection)
            return .failure(CheckFailure(check: .fail("no Status from the node: \(reaction)")))
        }
        guard case .status(let status) = try? EthMessage(version: eth.version, code: 0, payload: payload) else {
            context.keep(connection)
            return .failure(CheckFailure(check: .fail("the node's Status does not decode as eth/\(eth.version)")))
        }
        return .success(EthSession(connection: connection, version: eth.version, status: status))
    }

    /// A test that mirrors the node's Status and then runs `body`.
    /// - Parameter requires: a check that makes the test UNSUPPORTED before any connection (e.g. no chain given).
    static func exchange(
        _ id: String, section: String, sends: String, passes: String, geth: String? = nil, minimumVersion: UInt = 0,
        requires: (@Sendable (ProbeContext) -> Check?)? = nil, _ body: @escaping @Sendable (ProbeContext, inout EthSession) -> Check
    ) -> ProbeTest {
        ProbeTest(id, section: section, level: .must, sends: sends, passes: passes, geth: geth) { context throws(ProbeError) in
            if let unmet = requires?(context) { return unmet }
            var session: EthSession
            switch try open(&context) {
            case .failure(let failure): return failure.check
            case .success(let opened): session = opened
            }
            guard session.version >= minimumVersion else {
                context.keep(session.connection)
                return Check(result: .unsupported, observed: "the session speaks eth/\(session.version); the test needs eth/\(minimumVersion)")
            }
            var mirrored = session.status
            mirrored.version = UInt32(session.version)
            session.send(.status(mirrored))
            let check = body(context, &session)
            context.keep(session.connection)
            return check
        }
    }

    /// A test whose Status the node must refuse.
    static func refusal(_ id: String, sends: String, _ change: @escaping @Sendable (inout Status) -> Void) -> ProbeTest {
        ProbeTest(id, section: "caps/eth.md Status; EIP-2124", level: .must, sends: sends, passes: "a Disconnect (useless peer, typically) or a close") { context throws(ProbeError) in
            var session: EthSession
            switch try open(&context) {
            case .failure(let failure): return failure.check
            case .success(let opened): session = opened
            }
            var status = session.status
            status.version = UInt32(session.version)
            change(&status)
            session.send(.status(status))
            // A node that accepted would answer this request; one that refused has gone.
            let (reply, _) = session.request(.getBlockHeaders(requestID: 1, HeaderRequest(origin: .number(0), amount: 1, skip: 0, reverse: false)), timeout: context.timeout)
            context.keep(session.connection)
            if case .reaction(let reaction) = reply, reaction.isRefusal(Set(DisconnectReason.known)) { return .pass("\(reaction)") }
            return .fail("the node kept the session: \(session.describe(reply))")
        }
    }
}
