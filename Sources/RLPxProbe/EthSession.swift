// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth

extension EthTests {
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

        /// The node's Status at the session's version: what a peer on the node's chain sends.
        var mirroredStatus: Status {
            var mirrored = self.status
            mirrored.version = UInt32(version)
            return mirrored
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
            let response = message.code + 1
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

    /// Opens a session that shares eth at `minimumVersion` or later (and snap beside it when `snap`), reads the
    /// node's Status and sends `status`'s if it gives one; stopped (a problem, or UNSUPPORTED) when it cannot.
    static func open(
        _ context: inout ProbeContext, minimumVersion: UInt = 0, snap: Bool = false, status: (EthSession) -> Status? = { _ in nil }
    ) throws(ProbeError) -> Result<EthSession, Stopped> {
        var connection: ProbeConnection
        switch try context.established() {
        case .failure(let stopped): return .failure(stopped)
        case .success(let ready): connection = ready
        }
        guard let eth = connection.session.matchedProtocols.first(where: { $0.name == "eth" }) else {
            context.keep(connection)
            return .failure(Stopped(.unsupported("the node shares no eth version with eth/68-69")))
        }
        var payload: [UInt8]?
        let reaction = connection.waitFor(timeout: context.timeout) { event in
            guard case .message(let matched, 0, let bytes) = event, matched.name == "eth" else { return false }
            payload = bytes
            return true
        }
        guard case .event = reaction, let payload else {
            context.keep(connection)
            return .failure(Stopped(.problem("no Status from the node: \(reaction)")))
        }
        guard case .status(let nodeStatus) = try? EthMessage(version: eth.version, code: 0, payload: payload) else {
            context.keep(connection)
            return .failure(Stopped(.problem("the node's Status does not decode as eth/\(eth.version)")))
        }
        var session = EthSession(connection: connection, version: eth.version, status: nodeStatus)
        guard session.version >= minimumVersion else {
            context.keep(session.connection)
            return .failure(Stopped(.unsupported("the session speaks eth/\(session.version); the test needs eth/\(minimumVersion)")))
        }
        guard !snap || session.connection.session.matchedProtocols.contains(where: { $0.name == "snap" }) else {
            context.keep(session.connection)
            return .failure(Stopped(.unsupported("the node shares no snap version")))
        }
        if let ours = status(session) { session.send(.status(ours)) }
        return .success(session)
    }
}

extension EthTests.EthReply {
    /// The reply as the runner judges it: a message by its name, or what the node did instead.
    var observed: ObservedReaction {
        switch self {
        case .message(let message): .message(message.name)
        case .reaction(let reaction): reaction.observed
        case .malformed(let error): .other("a malformed answer: \(error)")
        }
    }
}

extension ProbeStage where Input == EthTests.EthSession {
    /// A session that shares eth at `minimumVersion` or later (and snap beside it when `snap`; UNSUPPORTED
    /// otherwise), with the node's Status read and, when `mirrored`, sent back as ours.
    static func eth(minimumVersion: UInt = 0, snap: Bool = false, mirrored: Bool = true) -> ProbeStage<EthTests.EthSession> {
        ProbeStage(
            open: { context throws(ProbeError) in
                try EthTests.open(&context, minimumVersion: minimumVersion, snap: snap) { mirrored ? $0.mirroredStatus : nil }
            },
            keep: { context, session in context.keep(session.connection) })
    }
}

/// An eth session with the chain the node is known to hold.
struct ChainSession {
    var session: EthTests.EthSession
    let known: KnownChain
}

/// What a test on a known chain needs of it: the test is UNSUPPORTED without it, before any connection.
struct ChainNeed: Sendable {
    let admits: @Sendable (KnownChain) -> Bool
    /// The UNSUPPORTED note.
    let missing: String
}

/// The Status a test on a known chain sends after reading the node's.
enum ChainStatus: Sendable {
    case none
    /// The node's own.
    case mirrored
    /// go-ethereum's suite's, for the chain (``GethEthSuite/ourStatus(_:version:)``).
    case chain
}

extension ProbeStage where Input == ChainSession {
    /// An eth session as ``eth(minimumVersion:snap:mirrored:)`` opens it, on a chain that `need` admits, sending `status`.
    static func onChain(_ need: ChainNeed, minimumVersion: UInt = 0, snap: Bool = false, status: ChainStatus) -> ProbeStage<ChainSession> {
        ProbeStage(
            open: { context throws(ProbeError) in
                guard let known = context.known, need.admits(known) else { return .failure(Stopped(.unsupported(need.missing))) }
                let opened = try EthTests.open(&context, minimumVersion: minimumVersion, snap: snap) { session in
                    switch status {
                    case .none: return nil
                    case .mirrored: return session.mirroredStatus
                    case .chain: return GethEthSuite.ourStatus(known, version: session.version)
                    }
                }
                return opened.map { ChainSession(session: $0, known: known) }
            },
            keep: { context, chain in context.keep(chain.session.connection) })
    }
}
