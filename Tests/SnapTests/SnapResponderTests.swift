// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing
import Trie

/// The responder's answers beyond the suite: account-range budgets and a whole-state sync, roots it does not
/// serve, request ids, byte-code caps and the soft limit, responses and access lists.
@Suite struct SnapResponderTests {
    let fixture: SnapFixture
    init() throws { fixture = try SnapFixture.shared() }

    var headRoot: Hash32 { fixture.head.root }
    static let top = Hash32([UInt8](repeating: 0xff, count: 32)) ?? Hash32()

    func accounts(_ request: AccountRangeRequest, id: UInt64 = 7) throws -> (accounts: [AccountEntry], proof: [ArraySlice<UInt8>]) {
        guard case .accountRange(let echoed, let accounts, let proof) = try fixture.reply(.getAccountRange(requestID: id, request)) else {
            throw Vectors.MissingVectors(description: "no AccountRange")
        }
        #expect(echoed == id)
        return (accounts, proof)
    }

    @Test(arguments: [UInt64(0), 1, 100, 500, 1000, 4000, 11494, 11495, 20000, .max])
    func accountRangeBudgets(budget: UInt64) throws {
        let (accounts, proof) = try accounts(AccountRangeRequest(root: headRoot, origin: Hash32(), limit: Self.top, responseBytes: budget))
        let sizes = accounts.map { UInt64(32 + $0.bodyEncoding.count) }
        let total = sizes.reduce(0, +)
        // Everything before the last account fits; the last one passes the budget, or the state ends.
        #expect(total - (sizes.last ?? 0) <= budget)
        #expect(total > budget || accounts.count == fixture.head.accounts.count)
        #expect(accounts.count >= 1)
        let hasMore = try RangeProof.verify(
            root: headRoot, firstKey: Hash32().bytes, keys: accounts.map { $0.hash.bytes },
            values: accounts.map { $0.account.stateEncoding }, proof: proof)
        #expect(hasMore == (accounts.count < fixture.head.accounts.count))
    }

    @Test(arguments: [1, 10, 100]) func aBudgetMetExactlyTakesOneMore(prefix: Int) throws {
        // The answer stops only once the total passes the budget: one that meets it exactly goes on.
        let budget = fixture.head.accounts.prefix(prefix).reduce(UInt64(0)) { $0 + 32 + UInt64(AccountEntry($1).bodyEncoding.count) }
        let (accounts, _) = try accounts(AccountRangeRequest(root: headRoot, origin: Hash32(), limit: Self.top, responseBytes: budget))
        #expect(accounts.count == prefix + 1)
    }

    @Test func aSyncerRebuildsTheStateFromRanges() throws {
        var origin = Hash32()
        var collected: [AccountEntry] = []
        var requests = 0
        while true {
            let (accounts, proof) = try accounts(AccountRangeRequest(root: headRoot, origin: origin, limit: Self.top, responseBytes: 1500))
            requests += 1
            let hasMore = try RangeProof.verify(
                root: headRoot, firstKey: origin.bytes, keys: accounts.map { $0.hash.bytes },
                values: accounts.map { $0.account.stateEncoding }, proof: proof)
            collected += accounts
            guard hasMore, let last = accounts.last?.hash else { break }
            var next = last.bytes
            for index in next.indices.reversed() {
                next[index] &+= 1
                if next[index] != 0 { break }
            }
            origin = try #require(Hash32(next))
        }
        #expect(requests == 8)
        #expect(collected.map(\.hash) == fixture.head.accounts.map(\.hashedKey))
        #expect(MerkleTrie(collected.map { (key: $0.hash.bytes, value: $0.account.stateEncoding) }).root == headRoot)
    }

    @Test func rootsNotServedGetEmptyAnswersWithTheirIDs() throws {
        let storageRoot = try #require(fixture.head.accounts.first { !$0.storage.isEmpty }).storageRoot
        let account = try #require(fixture.head.accounts.first { !$0.storage.isEmpty }).hashedKey
        for (offset, root) in [fixture.genesisRoot, storageRoot, Hash32.keccak([1][...])].enumerated() {
            let id = UInt64(100 + offset)
            #expect(
                fixture.responder.respond(
                    to: .getAccountRange(
                        requestID: id, AccountRangeRequest(root: root, origin: Hash32(), limit: Self.top, responseBytes: 4000)))
                    == .reply(.accountRange(requestID: id, accounts: [], proof: [])))
            #expect(
                fixture.responder.respond(
                    to: .getStorageRanges(
                        requestID: id, StorageRangesRequest(root: root, accounts: [account], origin: [], limit: [], responseBytes: 4000)))
                    == .reply(.storageRanges(requestID: id, slots: [], proof: [])))
            #expect(
                fixture.responder.respond(to: .getTrieNodes(requestID: id, root: root, paths: [[[0x00]]], responseBytes: 4000))
                    == .reply(.trieNodes(requestID: id, nodes: [])))
            // Codes are not per state: a state root is simply no code's hash.
            #expect(
                fixture.responder.respond(to: .getByteCodes(requestID: id, hashes: [root], responseBytes: 4000))
                    == .reply(.byteCodes(requestID: id, codes: [])))
        }
        // Request ids are echoed whatever their value.
        for id: UInt64 in [0, 1, .max] {
            guard case .reply(let answer) = fixture.responder.respond(to: .getByteCodes(requestID: id, hashes: [], responseBytes: 1)) else {
                Issue.record("no answer")
                continue
            }
            #expect(answer.requestID == id)
        }
    }

    @Test func responsesAndAccessLists() throws {
        #expect(fixture.responder.respond(to: .byteCodes(requestID: 1, codes: [])) == .notARequest)
        #expect(fixture.responder.respond(to: .accountRange(requestID: 1, accounts: [], proof: [])) == .notARequest)
        // No access lists: an empty entry of one byte per hash, until the budget is passed.
        let hashes = Array(repeating: headRoot, count: 3)
        for (budget, count) in [(UInt64(0), 1), (1, 2), (2, 3), (3, 3), (.max, 3)] {
            #expect(
                fixture.responder.respond(to: .getBlockAccessLists(requestID: 9, hashes: hashes, responseBytes: budget))
                    == .reply(.blockAccessLists(requestID: 9, lists: Array(repeating: [], count: count))), "budget \(budget)")
        }
        guard
            case .reply(.blockAccessLists(_, let many)) = fixture.responder.respond(
                to: .getBlockAccessLists(requestID: 9, hashes: Array(repeating: headRoot, count: 2000), responseBytes: .max))
        else { return }
        #expect(many.count == SnapResponder.maxAccessListLookups)
    }

    @Test func byteCodeCapsAndTheSoftLimit() throws {
        let empty = WorldState.emptyCodeHash
        guard
            case .byteCodes(_, let empties) = try fixture.reply(
                .getByteCodes(requestID: 1, hashes: Array(repeating: empty, count: 1500), responseBytes: 0))
        else { return }
        #expect(empties.count == SnapResponder.maxCodeLookups)
        let known = try #require(fixture.head.codeHashes.first)
        let unknown = Array(repeating: headRoot, count: 1024)
        guard case .byteCodes(_, let beyond) = try fixture.reply(.getByteCodes(requestID: 1, hashes: unknown + [known], responseBytes: 10000)) else {
            return
        }
        #expect(beyond.isEmpty)
        // A budget met exactly goes on to the next code.
        let size = try #require(fixture.head.code(hash: known)).count
        guard
            case .byteCodes(_, let three) = try fixture.reply(
                .getByteCodes(requestID: 1, hashes: [known, known, known], responseBytes: UInt64(2 * size)))
        else { return }
        #expect(three.count == 3)
        // Four codes of 1 MiB + 1 byte, asked with no budget: the soft limit of 2 MiB stops after the second.
        let big = (0..<4).map { index in
            StateAccount(
                address: Address([UInt8](repeating: UInt8(index + 1), count: 20)) ?? Address(), nonce: 0, balance: 0,
                code: [UInt8(index)] + [UInt8](repeating: 0x5b, count: 1 << 20))
        }
        let responder = SnapResponder(states: [WorldState(accounts: big)])
        guard
            case .reply(.byteCodes(_, let codes)) = responder.respond(
                to: .getByteCodes(requestID: 1, hashes: big.map(\.codeHash), responseBytes: .max))
        else { return }
        #expect(codes.count == 2)
    }
}
