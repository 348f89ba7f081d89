// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import EthState
import Snap

/// go-ethereum's snap suite (`devp2p rlpx snap-test`), case for case: each ``SnapCase`` of ``SnapSuite`` on its own
/// session, after the eth Status exchange on the chain. The requests and expected answers come from the chain's
/// state dumps (`headstate.json`, and the states of blocks head − 1 and head − 127 where given).
public enum GethSnapSuite {
    /// Cases per group, in go-ethereum's order (the identifiers are `snap/<group>/<index>`).
    static let counts: [(SnapCase.Group, Int)] = [(.accountRange, 17), (.byteCodes, 9), (.trieNodes, 8), (.storageRanges, 5)]

    public static let all: [ProbeTest] = [status] + counts.flatMap { group, count in (0..<count).map { test(group, $0) } }

    /// go-ethereum's snap suite's first test: a session that shares snap beside eth completes the eth Status
    /// exchange on the chain and stays up.
    static let status = GethEthSuite.chainTest(
        "snap/status", geth: "TestSnapStatus", section: "caps/snap.md (snap runs beside eth)",
        sends: "a Hello with eth and snap, then the chain's Status, then a Ping",
        passes: "snap shared, the node's Status taken and ours accepted (the Ping answered)"
    ) { context, session, _ in
        guard let snap = session.connection.session.matchedProtocols.first(where: { $0.name == "snap" }) else {
            return Check(result: .unsupported, observed: "the node shares no snap version")
        }
        session.connection.send(session.connection.session.ping(now: session.connection.clock.now))
        let reaction = session.connection.waitFor(timeout: context.timeout) { if case .pong = $0 { return true } else { return false } }
        guard case .event = reaction else { return .fail("after the Status exchange: \(reaction)") }
        return .pass("snap/\(snap.version) beside eth/\(session.version); Status exchanged, Ping answered")
    }

    static func test(_ group: SnapCase.Group, _ index: Int) -> ProbeTest {
        let id = "snap/\(group.rawValue)/\(index)"
        let message = ["accountRange": "GetAccountRange", "byteCodes": "GetByteCodes", "trieNodes": "GetTrieNodes", "storageRanges": "GetStorageRanges"]
        return ProbeTest(
            id, section: "caps/snap.md \(message["\(group)"] ?? group.rawValue)", level: .must,
            sends: "go-ethereum's \(group.gethTest) case \(index) (the request --list --chain-dir shows)",
            passes: "the answer go-ethereum's case expects, proofs verified against the requested root",
            geth: "\(group.gethTest)/\(index)"
        ) { context throws(ProbeError) in
            guard let suite = context.known?.snapSuite else {
                return Check(result: .unsupported, observed: "needs go-ethereum's test chain with its head state (--chain-dir DIR)")
            }
            guard let testCase = suite.testCase(id: id) else { return Check(result: .unsupported, observed: "no such case in this suite") }
            guard let known = context.known else { return Check(result: .unsupported, observed: "no chain") }
            var session: EthTests.EthSession
            switch try EthTests.open(&context) {
            case .failure(let failure): return failure.check
            case .success(let opened): session = opened
            }
            defer { context.keep(session.connection) }
            guard let snap = session.connection.session.matchedProtocols.first(where: { $0.name == "snap" }) else {
                return Check(result: .unsupported, observed: "the node shares no snap version")
            }
            session.send(.status(GethEthSuite.ourStatus(known, version: session.version)))
            session.connection.send(protocol: "snap", code: testCase.request.code, payload: testCase.request.encoded())
            var answer: SnapMessage?
            var malformed: String?
            let reaction = session.connection.waitFor(timeout: context.timeout) { event in
                guard case .message(let matched, let code, let payload) = event, matched.name == "snap" else { return false }
                do {
                    answer = try SnapMessage(version: snap.version, code: code, payload: payload)
                } catch {
                    malformed = "\(error)"
                }
                return true
            }
            let observation: SnapObservation
            if let answer {
                observation = .message(answer)
            } else if let malformed {
                return .fail("a malformed snap answer: \(malformed)")
            } else {
                observation = .noAnswer("\(reaction)")
            }
            let verdict = testCase.check(observation)
            return verdict.passed ? .pass("\(testCase.summary): \(verdict.observed)") : .fail("\(testCase.summary): \(verdict.observed)")
        }
    }
}

extension GethSnapSuite {
    /// The suite for a chain (from its genesis block on) and the states given: nil without the head's state.
    public static func suite(blocks: [Block], states: [WorldState]) throws(SnapSuiteError) -> SnapSuite? {
        guard let head = blocks.last?.header, let genesis = blocks.first?.header else { return nil }
        let byRoot = Dictionary(states.map { ($0.root, $0) }, uniquingKeysWith: { first, _ in first })
        guard let headState = byRoot[head.base.stateRoot] else { return nil }
        let parentRoot = blocks[max(0, blocks.count - 2)].header.base.stateRoot
        let ancestorRoot = blocks[max(0, blocks.count - 1 - 127)].header.base.stateRoot
        return try SnapSuite(
            chain: SnapSuite.Chain(
                head: headState, headRoot: head.base.stateRoot, parentRoot: parentRoot, ancestorRoot: ancestorRoot,
                genesisRoot: genesis.base.stateRoot, parent: byRoot[parentRoot], ancestor: byRoot[ancestorRoot]))
    }
}
