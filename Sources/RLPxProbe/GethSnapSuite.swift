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

    /// The chain's head state, from which go-ethereum's snap cases are derived (UNSUPPORTED without).
    static let headState = ChainNeed(
        admits: { $0.snapSuite != nil }, missing: "needs go-ethereum's test chain with its head state (--chain-dir DIR)")

    /// go-ethereum's snap suite's first test: a session that shares snap beside eth completes the eth Status
    /// exchange on the chain and stays up.
    static let status = ProbeTest(
        "snap/status", section: "caps/snap.md (snap runs beside eth)", sends: "a Hello with eth and snap, then the chain's Status, then a Ping",
        expects: [.message("Pong")], content: "snap shared, the node's Status taken and ours accepted (the Ping answered)", geth: "TestSnapStatus",
        from: .onChain(GethEthSuite.testChain, snap: true, status: .chain)
    ) { context, chain in
        let snap = chain.session.connection.session.matchedProtocols.first { $0.name == "snap" }
        let reaction = chain.session.connection.ping(timeout: context.timeout)
        guard case .event = reaction else { return .saw(reaction.observed, "after the Status exchange: \(reaction)") }
        return .saw(reaction.observed, "snap/\(snap?.version ?? 0) beside eth/\(chain.session.version); Status exchanged, Ping answered")
    }

    static func test(_ group: SnapCase.Group, _ index: Int) -> ProbeTest {
        let id = "snap/\(group.rawValue)/\(index)"
        let message = [
            "accountRange": "GetAccountRange", "byteCodes": "GetByteCodes", "trieNodes": "GetTrieNodes", "storageRanges": "GetStorageRanges",
        ]
        let request = message["\(group)"] ?? group.rawValue
        return ProbeTest(
            id, section: "caps/snap.md \(request)", sends: "go-ethereum's \(group.gethTest) case \(index) (the request --list --chain-dir shows)",
            // go-ethereum's trie-node case with an empty path set passes on no answer (or an empty one).
            expects: [.message(String(request.dropFirst("Get".count)))]
                + (group == .trieNodes ? [ExpectedReaction].refusal(nil) + [.silence, .refusedByProbe] : []),
            content: "the answer go-ethereum's case expects, proofs verified against the requested root", geth: "\(group.gethTest)/\(index)",
            from: .onChain(headState, snap: true, status: .chain)
        ) { context, chain in
            guard let testCase = chain.known.snapSuite?.testCase(id: id) else { return .unsupported("no such case in this suite") }
            let snap = chain.session.connection.session.matchedProtocols.first { $0.name == "snap" }
            chain.session.connection.send(protocol: "snap", code: testCase.request.code, payload: testCase.request.encoded())
            var answer: SnapMessage?
            var malformed: String?
            let reaction = chain.session.connection.waitFor(timeout: context.timeout) { event in
                guard case .message(let matched, let code, let payload) = event, matched.name == "snap" else { return false }
                do {
                    answer = try SnapMessage(version: snap?.version ?? 1, code: code, payload: payload)
                } catch {
                    malformed = "\(error)"
                }
                return true
            }
            if let malformed { return .problem("a malformed snap answer: \(malformed)") }
            let verdict = testCase.check(answer.map(SnapObservation.message) ?? .noAnswer("\(reaction)"))
            let observed = answer.map { ObservedReaction.message($0.name) } ?? reaction.observed
            return verdict.passed
                ? .saw(observed, "\(testCase.summary): \(verdict.observed)") : .problem("\(testCase.summary): \(verdict.observed)")
        }
    }
}

extension GethSnapSuite {
    /// The suite for a chain (from its genesis block on) and the states given: nil without the head's state.
    public static func suite(blocks: [Block], states: [WorldState]) throws(SnapError) -> SnapSuite? {
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
