// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing
import Trie

/// GetTrieNodes beyond the suite: budgets and lookup caps, path encodings, storage paths, nodes held inline.
@Suite struct SnapResponderTrieNodeTests {
    let fixture: SnapFixture
    init() throws { fixture = try SnapFixture.shared() }

    var headRoot: Hash32 { fixture.head.root }

    @Test func trieNodeBudgetsAndLookupCaps() throws {
        let root: [ArraySlice<UInt8>] = [[0x00]]
        guard
            case .trieNodes(_, let two) = try fixture.reply(
                .getTrieNodes(requestID: 1, root: headRoot, paths: Array(repeating: root, count: 10), responseBytes: 1000))
        else { return }
        let rootSize = try #require(fixture.head.accountTrie.node(atPath: [])).count
        #expect(rootSize > 500 && two.count == 2)
        // Each root read is one lookup: the 1025th passes the cap of 1024.
        guard
            case .trieNodes(_, let capped) = try fixture.reply(
                .getTrieNodes(requestID: 1, root: headRoot, paths: Array(repeating: root, count: 1100), responseBytes: .max))
        else { return }
        #expect(capped.count == SnapResponder.maxTrieNodeLookups + 1)
        // A child of the root costs the root's read once, then one read each.
        let child: [ArraySlice<UInt8>] = [[0x10]]
        guard
            case .trieNodes(_, let children) = try fixture.reply(
                .getTrieNodes(requestID: 1, root: headRoot, paths: Array(repeating: child, count: 1100), responseBytes: .max))
        else { return }
        #expect(children.count == SnapResponder.maxTrieNodeLookups)
        // A storage path set costs the account's lookup and its trie's opening, then its nodes: storage roots of
        // an account read 3 each, so the 342nd set passes the cap.
        let rich = try #require(fixture.head.accounts.first { !$0.storage.isEmpty })
        let storageRoot: [ArraySlice<UInt8>] = [rich.hashedKey.bytes[...], [0x00]]
        guard
            case .trieNodes(_, let storage) = try fixture.reply(
                .getTrieNodes(requestID: 1, root: headRoot, paths: Array(repeating: storageRoot, count: 400), responseBytes: .max))
        else { return }
        #expect(storage.count == 342)
        // An empty path set after the budget is spent is never reached; before, it drops the peer.
        guard
            case .trieNodes(_, let early) = try fixture.reply(
                .getTrieNodes(requestID: 1, root: headRoot, paths: [root, root, [], root], responseBytes: 600))
        else { return }
        #expect(early.count == 2)
        guard
            case .drop(let reason) = fixture.responder.respond(
                to: .getTrieNodes(requestID: 1, root: headRoot, paths: [root, [], root], responseBytes: 5000))
        else {
            Issue.record("an empty path set was answered")
            return
        }
        #expect(reason.contains("path set 1 is empty"))
    }

    @Test func trieNodePaths() throws {
        let head = fixture.head
        let first = head.accounts[0]
        func nodes(_ paths: [[[UInt8]]]) throws -> [[UInt8]] {
            guard
                case .trieNodes(_, let nodes) = try fixture.reply(
                    .getTrieNodes(
                        requestID: 1, root: headRoot, paths: paths.map { $0.map { $0[...] } }, responseBytes: 100_000))
            else { return [] }
            return nodes.map { Array($0) }
        }
        let rootNode = try #require(head.accountTrie.node(atPath: []))
        // The root: 0x00, the empty string, and any flag whose odd bit is clear with its pad nibble ignored.
        #expect(try nodes([[[0x00]], [[]], [[0x0f]]]) == [rootNode, rootNode, rootNode])
        // A leaf-flagged path that spells a whole key names a value: nothing is answered for it. One that spells
        // no key is an empty entry.
        let key = TriePath.nibbles(first.hashedKey.bytes)
        #expect(try nodes([[TriePath.compact(key, leaf: true)]]).isEmpty)
        #expect(try nodes([[TriePath.compact(key.dropLast() + [(key[63] + 1) % 16], leaf: true)]]) == [[]])
        #expect(try nodes([[TriePath.compact(key, leaf: false)]]) == [[]])
        // Storage: an account without storage answers empty entries; an unknown account nothing; a short account
        // hash is left-padded.
        let bare = try #require(head.accounts.first { $0.storage.isEmpty })
        #expect(try nodes([[bare.hashedKey.bytes, [0x00], [0x10]]]) == [[], []])
        #expect(try nodes([[Hash32.keccak([7][...]).bytes, [0x00]]]).isEmpty)
        let rich = try #require(head.accounts.first { !$0.storage.isEmpty })
        let storageRoot = try #require(rich.storageTrie.node(atPath: []))
        #expect(try nodes([[rich.hashedKey.bytes, [0x00]], [[0x00]]]) == [storageRoot, rootNode])
    }

    @Test func nodesHeldInlineAreNotAnswered() throws {
        // Short keys make short nodes: a branch whose children are leaves of a few bytes, held inline.
        let trie = MerkleTrie([(key: [0x10], value: [0x01]), (key: [0x20], value: [0x02]), (key: [0x30], value: Array(repeating: 0xaa, count: 40))])
        #expect(trie.lookup(path: [1]).result == .embedded)
        #expect(trie.lookup(path: [3]).result == .node(try #require(trie.node(atPath: [3]))))
        #expect(trie.lookup(path: [1, 0, 16]).result == .value)
        #expect(trie.lookup(path: [1, 1]).result == .absent)
        #expect(trie.lookup(path: [4]).result == .absent)
        #expect(trie.lookup(path: [3]).opened == [trie.root])
        #expect(trie.lookup(path: []).opened.isEmpty)
        #expect(MerkleTrie([MerkleTrie.Entry]()).lookup(path: []).result == .absent)
    }
}
