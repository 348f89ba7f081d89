// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing

/// Each check rejects a deliberately wrong answer, and says precisely what is wrong.
@Suite struct SnapCheckRejectionTests {
    let fixture: SnapFixture
    init() throws { fixture = try SnapFixture.shared() }

    func testCase(_ id: String) throws -> SnapCase { try #require(fixture.suite.testCase(id: id)) }

    /// The correct AccountRange for a case, taken apart.
    func accountRange(_ test: SnapCase) throws -> (id: UInt64, accounts: [AccountEntry], proof: [ArraySlice<UInt8>]) {
        guard case .accountRange(let id, let accounts, let proof) = try fixture.reply(test.request) else {
            throw Vectors.MissingVectors(description: "no AccountRange for \(test.id)")
        }
        return (id, accounts, proof)
    }

    func verdict(_ test: SnapCase, _ message: SnapMessage) -> SnapVerdict { test.check(.message(message)) }

    @Test func anAccountDroppedFromTheMiddle() throws {
        let test = try testCase("snap/account-range/0")
        var (id, accounts, proof) = try accountRange(test)
        accounts.remove(at: 30)
        let counted = verdict(test, .accountRange(requestID: id, accounts: accounts, proof: proof))
        #expect(!counted.passed)
        #expect(counted.observed.hasPrefix("67 accounts"), "\(counted.observed)")
        // Where the count is not known (a state the suite lacks), the range proof catches the gap.
        let chain = fixture.suite.chain
        let blind = try SnapSuite(
            chain: .init(
                head: chain.head, headRoot: chain.headRoot, parentRoot: chain.parentRoot, ancestorRoot: chain.ancestorRoot,
                genesisRoot: chain.genesisRoot))
        let old = try #require(blind.testCase(id: "snap/account-range/12"))
        guard case .provenAccountRange = old.expectation else {
            Issue.record("case 12 without the state of block 473: \(old.expectation)")
            return
        }
        var full = try accountRange(old)
        #expect(old.check(.message(.accountRange(requestID: full.id, accounts: full.accounts, proof: full.proof))).passed)
        full.accounts.remove(at: 30)
        let proven = old.check(.message(.accountRange(requestID: full.id, accounts: full.accounts, proof: full.proof)))
        #expect(!proven.passed)
        #expect(proven.observed.contains("range proof fails") && proven.observed.contains("rootMismatch"), "\(proven.observed)")
    }

    @Test func aChangedAccountBody() throws {
        let test = try testCase("snap/account-range/1")
        var (id, accounts, proof) = try accountRange(test)
        var changed = accounts[10].account
        changed.nonce += 1
        accounts[10] = AccountEntry(hash: accounts[10].hash, account: changed, bodyEncoding: changed.rlpEncoded()[...])
        let result = verdict(test, .accountRange(requestID: id, accounts: accounts, proof: proof))
        #expect(!result.passed)
        #expect(result.observed.contains("rootMismatch"), "\(result.observed)")
    }

    @Test(arguments: [0, 2, 5]) func aTamperedProofNodeIsNamed(index: Int) throws {
        let test = try testCase("snap/account-range/0")
        var (id, accounts, proof) = try accountRange(test)
        var node = Array(proof[index])
        node[node.count - 1] ^= 0x01
        proof[index] = node[...]
        let result = verdict(test, .accountRange(requestID: id, accounts: accounts, proof: proof))
        #expect(!result.passed)
        #expect(result.observed.contains("missingNode"), "\(result.observed)")
        #expect(result.observed.contains("proof node \(index) (hash \(Hash32.keccak(proof[index])))"), "\(result.observed)")
    }

    @Test func aTruncatedProof() throws {
        let test = try testCase("snap/account-range/0")
        let (id, accounts, proof) = try accountRange(test)
        let result = verdict(test, .accountRange(requestID: id, accounts: accounts, proof: Array(proof.dropLast())))
        #expect(!result.passed)
        #expect(result.observed.contains("missingNode") && result.observed.contains("is not in the proof"), "\(result.observed)")
        // A proof of absence without its nodes does not show the absence.
        let absent = try testCase("snap/account-range/14")
        let none = verdict(absent, .accountRange(requestID: absent.request.requestID, accounts: [], proof: [proof[0]]))
        #expect(!none.passed, "\(none.observed)")
    }

    @Test func accountsOutOfOrderOrAtTheWrongEdge() throws {
        let test = try testCase("snap/account-range/5")
        let (id, accounts, proof) = try accountRange(test)
        let swapped = verdict(test, .accountRange(requestID: id, accounts: accounts.reversed(), proof: proof))
        #expect(!swapped.passed && swapped.observed.contains("does not follow"), "\(swapped.observed)")
        let ninth = try testCase("snap/account-range/9")
        let fromZero = try accountRange(try testCase("snap/account-range/0"))
        let shifted = verdict(ninth, .accountRange(requestID: ninth.request.requestID, accounts: fromZero.accounts, proof: fromZero.proof))
        #expect(!shifted.passed && shifted.observed.hasPrefix("first account 0x00aa781a"), "\(shifted.observed)")
    }

    @Test func theWrongRequestIDOrKind() throws {
        for test in fixture.suite.cases where test.expectation != .trieNodesRejected {
            let answer = try fixture.reply(test.request)
            let wrongID: SnapMessage =
                switch answer {
                case .accountRange(let id, let accounts, let proof): .accountRange(requestID: id &+ 1, accounts: accounts, proof: proof)
                case .storageRanges(let id, let slots, let proof): .storageRanges(requestID: id &+ 1, slots: slots, proof: proof)
                case .byteCodes(let id, let codes): .byteCodes(requestID: id &+ 1, codes: codes)
                case .trieNodes(let id, let nodes): .trieNodes(requestID: id &+ 1, nodes: nodes)
                default: answer
                }
            let result = test.check(.message(wrongID))
            #expect(!result.passed && result.observed.contains("with request id \(test.request.requestID &+ 1), asked with"), "\(test.id)")
            let other: SnapMessage =
                test.group == .byteCodes
                ? .trieNodes(requestID: test.request.requestID, nodes: [])
                : .byteCodes(requestID: test.request.requestID, codes: [])
            #expect(!test.check(.message(other)).passed, "\(test.id)")
            #expect(!test.check(.noAnswer("timed out after 2 s")).passed, "\(test.id)")
        }
    }

    @Test func aNodeForTheWrongPath() throws {
        let test = try testCase("snap/trie-nodes/5")
        guard case .trieNodes(let id, let nodes) = try fixture.reply(test.request) else { return }
        let swapped = verdict(test, .trieNodes(requestID: id, nodes: [nodes[0], nodes[2], nodes[1]]))
        #expect(!swapped.passed)
        #expect(swapped.observed.hasPrefix("node 1 ("), "\(swapped.observed)")
        let short = verdict(test, .trieNodes(requestID: id, nodes: Array(nodes.dropLast())))
        #expect(!short.passed && short.observed == "2 trie nodes, expected 3", "\(short.observed)")
        // A node where an empty entry is due.
        let filled = verdict(test, .trieNodes(requestID: id, nodes: [nodes[1], nodes[1], nodes[2]]))
        #expect(!filled.passed && filled.observed.contains("(an empty entry)"), "\(filled.observed)")
    }

    @Test func aMalformedRequestMustNotBeAnswered() throws {
        let test = try testCase("snap/trie-nodes/1")
        #expect(test.check(.noAnswer("disconnected: breach of protocol")).passed)
        #expect(test.check(.message(.trieNodes(requestID: test.request.requestID, nodes: []))).passed)
        let answered = test.check(.message(.trieNodes(requestID: test.request.requestID, nodes: [[0xc0]])))
        #expect(!answered.passed)
    }

    @Test func wrongStorage() throws {
        let test = try testCase("snap/storage-ranges/0")
        guard case .storageRanges(let id, let slots, let proof) = try fixture.reply(test.request) else { return }
        var changed = slots
        changed[0][1].data = [0x07]
        let value = verdict(test, .storageRanges(requestID: id, slots: changed, proof: proof))
        #expect(!value.passed && value.observed.hasPrefix("list 0 slot 1: "), "\(value.observed)")
        let dropped = verdict(test, .storageRanges(requestID: id, slots: [Array(slots[0].dropFirst())], proof: proof))
        #expect(!dropped.passed && dropped.observed.hasPrefix("list 0: 2 slots"), "\(dropped.observed)")
        let unordered = verdict(test, .storageRanges(requestID: id, slots: [slots[0].reversed()], proof: proof))
        #expect(!unordered.passed && unordered.observed.contains("does not follow"), "\(unordered.observed)")
        let extra = verdict(test, .storageRanges(requestID: id, slots: slots + slots, proof: proof))
        #expect(!extra.passed && extra.observed.hasPrefix("2 slot lists"), "\(extra.observed)")
    }

    @Test func wrongCodes() throws {
        let test = try testCase("snap/byte-codes/8")
        guard case .byteCodes(let id, let codes) = try fixture.reply(test.request) else { return }
        let missing = verdict(test, .byteCodes(requestID: id, codes: Array(codes.dropLast())))
        #expect(!missing.passed && missing.observed.hasPrefix("3 codes"), "\(missing.observed)")
        var unasked = codes
        unasked[3] = [0x60, 0x00]
        let foreign = verdict(test, .byteCodes(requestID: id, codes: unasked))
        #expect(!foreign.passed && foreign.observed.hasPrefix("code 3 (2 bytes"), "\(foreign.observed)")
        // Order matters: two codes asked for in one order, answered in the other.
        let all = try testCase("snap/byte-codes/5")
        guard case .byteCodes(let allID, let allCodes) = try fixture.reply(all.request) else { return }
        var reordered = allCodes
        reordered.swapAt(0, 1)
        let order = verdict(all, .byteCodes(requestID: allID, codes: reordered))
        #expect(!order.passed && order.observed.hasPrefix("code 1 "), "\(order.observed)")
    }
}
