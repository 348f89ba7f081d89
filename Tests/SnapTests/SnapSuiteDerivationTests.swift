// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP
import RLPxTestSupport
import Snap
import Testing

/// The suite's expectations, derived in code from the chain's states, equal the values worked out independently
/// (by a colleague, in Python, from go-ethereum's serving rules) for this chain.
@Suite struct SnapSuiteDerivationTests {
    let fixture: SnapFixture
    init() throws { fixture = try SnapFixture.shared() }

    func expectation(_ id: String) throws -> SnapExpectation { try #require(fixture.suite.testCase(id: id)).expectation }
    func request(_ id: String) throws -> SnapMessage { try #require(fixture.suite.testCase(id: id)).request }

    @Test func chainRoots() throws {
        #expect(fixture.roots[600] == (try hash("0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b")))
        #expect(fixture.roots[599] == (try hash("0x62d156f5ddab09f393224bf2f3932e87a93a6c39679aca2f580234fcb4dfb3ca")))
        #expect(fixture.roots[473] == (try hash("0x4cdee9ef273af6c95159af584b45cc77f2a085839708c8f7618e697a645a821c")))
        #expect(fixture.genesisRoot == (try hash("0xdc43f460541a253c0f64b6943ef83fa3bd601699a255622f088d46f7fde359fc")))
        #expect(fixture.parent.root == fixture.roots[599] && fixture.ancestor.root == fixture.roots[473])
    }

    @Test func accountRangeExpectations() throws {
        let first = try hash("0x00aa781aff39a8284ef43790e3a511b2caa50803613c5096bc782e8de08fa4c5")
        let second = try hash("0x010c21d7a511db44071d870baf13ba54cbfc4937cae61371a71bcd5767e92822")
        let at4000 = try hash("0x59312f89c13e9e24c1cb8b103aa39a9b2800348d97a92c2c9e2a78fa02b70025")
        let expected: [Int: SnapExpectation] = [
            0: .accountRange(count: 68, first: first, last: at4000),
            1: .accountRange(count: 50, first: first, last: try hash("0x4615e5f5df5b25349a00ad313c6cd0436b6c08ee5826e33a018661997f85ebaa")),
            2: .accountRange(count: 35, first: first, last: try hash("0x2de4bdbddcfbb9c3e195dae6b45f9c38daff897e926764bf34887fb0db5c3284")),
            3: .accountRange(count: 1, first: first, last: first),
            4: .accountRange(count: 1, first: first, last: first),
            5: .accountRange(count: 2, first: first, last: second),
            6: .accountRange(count: 1, first: first, last: first),
            7: .accountRange(count: 1, first: first, last: first),
            8: .accountRange(count: 68, first: first, last: at4000),
            9: .accountRange(count: 68, first: second, last: try hash("0x59a7c8818f1c16b298a054020dc7c3f403a970d1d1db33f9478b1c36e3a2e509")),
            10: .accountRange(count: 0, first: nil, last: nil),
            11: .accountRange(count: 0, first: nil, last: nil),
            13: .accountRange(count: 0, first: nil, last: nil),
            14: .accountRange(count: 0, first: nil, last: nil),
            15: .accountRange(count: 1, first: first, last: first),
            16: .accountRange(count: 1, first: first, last: first),
        ]
        for (index, want) in expected {
            #expect(try expectation("snap/account-range/\(index)") == want, "case \(index)")
        }
        // Head − 127: derived from state-473 (go-ethereum's literal for it is not known; its first key is the head's).
        guard case .accountRange(let count, let got, _) = try expectation("snap/account-range/12") else {
            Issue.record("case 12 is not derived from the state of block 473")
            return
        }
        #expect(count > 1 && got == first)
        // The requests: origins and limits next to the first key, and the roots asked for.
        guard case .getAccountRange(_, let five) = try request("snap/account-range/5"),
            case .getAccountRange(_, let eleven) = try request("snap/account-range/11"),
            case .getAccountRange(_, let thirteen) = try request("snap/account-range/13")
        else { return }
        #expect(five.origin == (try hash("0x00aa781aff39a8284ef43790e3a511b2caa50803613c5096bc782e8de08fa2d1")))
        #expect(five.limit == (try hash("0x00aa781aff39a8284ef43790e3a511b2caa50803613c5096bc782e8de08fa4c6")))
        #expect(eleven.root == fixture.genesisRoot)
        #expect(thirteen.root == (try hash("0xc784c4978b7142c2f59d78be0ea1f14a39ffec9c512f9bbe75703ef7590970cc")))
    }

    @Test func proofSizesMatchGoEthereums() throws {
        // The number of distinct proof nodes a go-ethereum node sends, worked out for this chain.
        let sizes = [0: 6, 1: 5, 2: 6, 3: 3, 4: 3, 5: 5, 6: 3, 7: 3, 8: 6, 9: 6, 14: 3, 15: 3, 16: 3]
        for (index, size) in sizes {
            let answer = try fixture.reply(try request("snap/account-range/\(index)"))
            guard case .accountRange(_, _, let proof) = answer else { continue }
            #expect(proof.count == size, "case \(index)")
        }
        for index in 1...4 {
            guard case .storageRanges(_, _, let proof) = try fixture.reply(try request("snap/storage-ranges/\(index)")) else { continue }
            #expect(proof.count == 3, "storage case \(index)")
        }
        guard case .storageRanges(_, _, let none) = try fixture.reply(try request("snap/storage-ranges/0")) else { return }
        #expect(none.isEmpty)
    }

    @Test func storageRangeExpectations() throws {
        let slot1 = StorageSlot(hash: try hash("0x405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace"), data: [0x02])
        let slot2 = StorageSlot(hash: try hash("0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6"), data: [0x01])
        let slot3 = StorageSlot(hash: try hash("0xc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b"), data: [0x03])
        let expected: [[[StorageSlot]]] = [
            [[slot1, slot2, slot3]], [[slot1, slot2, slot3]], [[slot2, slot3]], [[slot1, slot2]], [[slot2, slot3]],
        ]
        for (index, slots) in expected.enumerated() {
            #expect(try expectation("snap/storage-ranges/\(index)") == .storageRanges(slots), "case \(index)")
        }
        guard case .getStorageRanges(_, let request) = try request("snap/storage-ranges/4") else { return }
        #expect(request.accounts == [try hash("0x445cb5c1278fdce2f9cbdb681bdd76c52f8e50e41dbd9e220242a69ba99ac099")])
        #expect(request.origin == [0x4f] + [UInt8](repeating: 0xff, count: 31))
        #expect(request.limit == (try hash("0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf7")).bytes)
    }

    @Test func byteCodeExpectations() throws {
        let counts = [0, 0, 0, 1, 3, 65, 1, 1, 4]
        for (index, count) in counts.enumerated() {
            #expect(try expectation("snap/byte-codes/\(index)") == .byteCodes(count: count), "case \(index)")
        }
        guard case .getByteCodes(_, let all, _) = try request("snap/byte-codes/5") else { return }
        #expect(all.first == (try hash("0x017dac995561f4ad38ea01f7cd0d0a599ad4fd54610ec4bbb0a022c6c25b0102")))
        #expect(all.last == (try hash("0xfcc60211b6d08e046c0587a81331df89a1fbab58efa0b6acf075c2ded4ea62d9")))
    }

    @Test func trieNodeExpectations() throws {
        let empty = Hash32.keccak([][...])
        let branch = try hash("0x4bdecec09691ad38113eebee2df94fadefdff5841c0f182bae1be3c8a6d60bf3")
        let leaf = try hash("0x4c7bdc38332df8364a5f4f44fed66ee41ec0147f6fd270d603487546e52202ff")
        let storageRoot = try hash("0xbe3d75a1729be157e79c3b77f00206db4d54e3ea14375a015451c88ec067c790")
        #expect(try expectation("snap/trie-nodes/0") == .trieNodes([]))
        #expect(try expectation("snap/trie-nodes/1") == .trieNodesRejected)
        #expect(try expectation("snap/trie-nodes/2") == .trieNodes([try #require(fixture.roots[599])]))
        #expect(try expectation("snap/trie-nodes/3") == .trieNodes([empty]))
        #expect(try expectation("snap/trie-nodes/4") == .trieNodes([branch, leaf] + Array(repeating: empty, count: 63)))
        #expect(try expectation("snap/trie-nodes/5") == .trieNodes([empty, leaf, branch]))
        #expect(try expectation("snap/trie-nodes/6") == .trieNodes([storageRoot]))
        #expect(
            try expectation("snap/trie-nodes/7")
                == .trieNodes([
                    storageRoot, try hash("0xf4984a11f61a2921456141df88de6e1a710d28681b91af794c5a721e47839cd7"),
                ]))
        // go-ethereum's paths: 1 nibble is [0] (0x10), 65 are the 64 key nibbles and a 0 (odd: flag 1).
        guard case .getTrieNodes(_, _, let paths, _) = try request("snap/trie-nodes/4") else { return }
        #expect(paths[0] == [[0x10]])
        #expect(paths[1] == [[0x00, 0x00]])
        #expect(paths[64].first?.count == 33 && paths[64].first?.first == 0x10)
        guard case .getTrieNodes(_, _, let offTrie, _) = try request("snap/trie-nodes/3") else { return }
        #expect(offTrie.first?.first?.count == 54)
    }
}
