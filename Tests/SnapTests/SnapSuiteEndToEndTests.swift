// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing

/// The in-memory end-to-end check: go-ethereum's snap suite, built from the test chain, run against the responder
/// serving the head state and the states of blocks 599 and 473. Every case must pass.
@Suite struct SnapSuiteEndToEndTests {
    @Test func theSuiteHasGoEthereumsCases() throws {
        let suite = try SnapFixture.shared().suite
        #expect(suite.cases(in: .accountRange).count == 17)
        #expect(suite.cases(in: .byteCodes).count == 9)
        #expect(suite.cases(in: .trieNodes).count == 8)
        #expect(suite.cases(in: .storageRanges).count == 5)
        #expect(suite.cases.map(\.group) == SnapCase.Group.allCases.flatMap { group in suite.cases(in: group).map { _ in group } })
        #expect(Set(suite.cases.map(\.id)).count == 39)
        #expect(Set(suite.cases.map(\.request.requestID)).count == 39)
        #expect(suite.testCase(id: "snap/account-range/3")?.gethName == "TestSnapGetAccountRange/3")
        #expect(suite.testCase(id: "snap/trie-nodes/1")?.expectation == .trieNodesRejected)
        #expect(suite.testCase(id: "snap/storage-ranges/5") == nil)
    }

    @Test(arguments: 0..<39) func everyCasePassesAgainstTheResponder(index: Int) throws {
        let fixture = try SnapFixture.shared()
        let test = fixture.suite.cases[index]
        let verdict = test.check(fixture.observe(test.request))
        #expect(verdict.passed, "\(test.id) (\(test.summary)): \(verdict.observed)")
    }

    @Test func theWholeSuiteIsFast() throws {
        let fixture = try SnapFixture.shared()
        let clock = ContinuousClock()
        let start = clock.now
        let verdicts = fixture.suite.cases.map { $0.check(fixture.observe($0.request)) }
        let elapsed = clock.now - start
        #expect(verdicts.allSatisfy { $0.passed })
        #expect(elapsed < .seconds(10), "39 cases took \(elapsed)")
    }

    @Test func aResponderWithoutTheOlderStatesFailsOnlyTheirCases() throws {
        let fixture = try SnapFixture.shared()
        let headOnly = SnapResponder(states: [fixture.head])
        let failed = fixture.suite.cases.filter { !$0.check(SnapObservation(headOnly.respond(to: $0.request))).passed }.map(\.id)
        #expect(failed == ["snap/account-range/12", "snap/trie-nodes/2"])
    }

    @Test func aResponderServingGenesisFailsTheGenesisCase() throws {
        let fixture = try SnapFixture.shared()
        let genesis = try SnapFixture.genesisState()
        #expect(genesis.root == fixture.genesisRoot)
        let archive = SnapResponder(states: [fixture.head, fixture.parent, fixture.ancestor, genesis])
        let test = try #require(fixture.suite.testCase(id: "snap/account-range/11"))
        let verdict = test.check(SnapObservation(archive.respond(to: test.request)))
        #expect(!verdict.passed)
        #expect(verdict.observed.hasPrefix("27 accounts"), "\(verdict.observed)")
    }
}

/// The same run with every message through its wire encoding: the request as the probe sends it, decoded by the
/// server; the answer as the server sends it, decoded by the probe.
@Suite struct SnapSuiteOverTheWireTests {
    @Test func everyCasePassesThroughTheCodec() throws {
        let fixture = try SnapFixture.shared()
        for test in fixture.suite.cases {
            let request = try SnapMessage(version: 1, code: test.request.code, payload: test.request.encoded())
            #expect(request == test.request, "\(test.id)")
            let observation: SnapObservation
            switch fixture.responder.respond(to: request) {
            case .reply(let answer):
                observation = .message(try SnapMessage(version: 1, code: answer.code, payload: answer.encoded()))
            case .drop(let reason):
                observation = .noAnswer("disconnected: \(reason)")
            case .notARequest:
                observation = .noAnswer("nothing")
            }
            let verdict = test.check(observation)
            #expect(verdict.passed, "\(test.id): \(verdict.observed)")
        }
    }
}
