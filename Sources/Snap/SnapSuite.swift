// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import RLP

/// go-ethereum's snap suite (`devp2p rlpx snap-test`: AccountRange, GetByteCodes, GetTrieNodes and GetStorageRanges,
/// 17 + 9 + 8 + 5 sub-cases) as data: each case's request, built from the chain, and what the answer must be,
/// derived from the chain's states where go-ethereum hard-codes values for its own data.
///
/// ```swift
/// let suite = try SnapSuite(chain: .init(head: head, headRoot: roots[600], parentRoot: roots[599],
///                                        ancestorRoot: roots[473], genesisRoot: roots[0], ancestor: state473))
/// for test in suite.cases { print(test.id, test.check(.init(responder.respond(to: test.request)))) }
/// ```
public struct SnapSuite: Sendable {
    /// What the suite is built from: the head state and the roots of the other states it asks for, from the chain
    /// file, and those states where known (to derive answers about them).
    public struct Chain: Sendable {
        /// The head block's state (go-ethereum's `headstate.json`).
        public var head: WorldState
        /// The head block's state root, from its header.
        public var headRoot: Hash32
        /// The state root of the head's parent (head − 1), which a node still serves.
        public var parentRoot: Hash32
        /// The state root of block head − 127, the oldest a go-ethereum node keeps.
        public var ancestorRoot: Hash32
        /// The genesis state root, which a node must no longer serve.
        public var genesisRoot: Hash32
        /// The parent's state, when known.
        public var parent: WorldState?
        /// The head − 127 state, when known; without it that state's AccountRange is checked for its first key and
        /// its proof only.
        public var ancestor: WorldState?

        public init(
            head: WorldState, headRoot: Hash32, parentRoot: Hash32, ancestorRoot: Hash32, genesisRoot: Hash32,
            parent: WorldState? = nil, ancestor: WorldState? = nil
        ) {
            self.head = head
            self.headRoot = headRoot
            self.parentRoot = parentRoot
            self.ancestorRoot = ancestorRoot
            self.genesisRoot = genesisRoot
            self.parent = parent
            self.ancestor = ancestor
        }
    }

    /// The account whose storage the storage and trie-node cases read (a genesis account of go-ethereum's test
    /// chain with three slots).
    public static let storageTestAccount =
        Address([
            0x8b, 0xeb, 0xc8, 0xba, 0x65, 0x1a, 0xee, 0x62, 0x49, 0x37, 0xe7, 0xd8, 0x97, 0x85, 0x3a, 0xc3, 0x0c, 0x95, 0xa0, 0x67,
        ]) ?? Address()

    public let chain: Chain
    /// Every case, in go-ethereum's order: AccountRange, GetByteCodes, GetTrieNodes, GetStorageRanges.
    public let cases: [SnapCase]

    /// The suite for `chain`.
    /// - Throws: ``SnapError`` when a state does not have the root given for it, or the head state lacks what
    ///   the cases are built from (two accounts, an account with storage, the storage test account's slots).
    public init(chain: Chain) throws(SnapError) {
        guard chain.head.root == chain.headRoot else {
            throw SnapError(.stateRootMismatch, "the head state's root is \(chain.head.root), the head header's \(chain.headRoot)")
        }
        if let parent = chain.parent, parent.root != chain.parentRoot {
            throw SnapError(.stateRootMismatch, "the parent state's root is \(parent.root), its header's \(chain.parentRoot)")
        }
        if let ancestor = chain.ancestor, ancestor.root != chain.ancestorRoot {
            throw SnapError(.stateRootMismatch, "the ancestor state's root is \(ancestor.root), its header's \(chain.ancestorRoot)")
        }
        self.chain = chain
        cases =
            try Self.accountRangeCases(chain) + Self.byteCodeCases(chain) + Self.trieNodeCases(chain)
            + Self.storageRangeCases(chain)
    }

    /// The case with identifier `id` (`snap/account-range/3`), or nil.
    public func testCase(id: String) -> SnapCase? { cases.first { $0.id == id } }

    /// The cases of one group, in order.
    public func cases(in group: SnapCase.Group) -> [SnapCase] { cases.filter { $0.group == group } }
}

extension Hash32 {
    /// This hash as a 256-bit big-endian number plus `offset` (wrapping), as the suite makes keys next to others.
    func adding(_ offset: Int) -> Hash32 {
        var bytes = self.bytes
        var carry = Int(offset)
        var index = 31
        while index >= 0, carry != 0 {
            let sum = Int(bytes[index]) &+ carry
            bytes[index] = UInt8(truncatingIfNeeded: sum)
            carry = sum >> 8  // an arithmetic shift: a borrow is -1
            index &-= 1
        }
        return Hash32(bytes) ?? self
    }
}
