// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// One test of go-ethereum's snap suite as data: the request to send and what the answer must be, with a check
/// over the answer that a live probe and an in-memory server run alike.
public struct SnapCase: Sendable, Identifiable {
    /// The suite's test a case belongs to, in go-ethereum's order.
    public enum Group: String, Sendable, CaseIterable {
        case accountRange = "account-range"
        case byteCodes = "byte-codes"
        case trieNodes = "trie-nodes"
        case storageRanges = "storage-ranges"

        /// go-ethereum's test function.
        public var gethTest: String {
            switch self {
            case .accountRange: "TestSnapGetAccountRange"
            case .byteCodes: "TestSnapGetByteCodes"
            case .trieNodes: "TestSnapTrieNodes"
            case .storageRanges: "TestSnapGetStorageRanges"
            }
        }

        /// The test's name in go-ethereum's suite list.
        public var gethName: String {
            switch self {
            case .accountRange: "AccountRange"
            case .byteCodes: "GetByteCodes"
            case .trieNodes: "GetTrieNodes"
            case .storageRanges: "GetStorageRanges"
            }
        }
    }

    public let group: Group
    /// The sub-case's position in go-ethereum's table (its `-- Test i`).
    public let index: Int
    /// What the case asks, in a line.
    public let summary: String
    /// The request, with the case's own request id.
    public let request: SnapMessage
    /// What the answer must be.
    public let expectation: SnapExpectation

    /// The stable identifier: `snap/<group>/<index>`, e.g. `snap/account-range/3`.
    public var id: String { "snap/\(group.rawValue)/\(index)" }

    /// go-ethereum's name for the sub-case: its test function and table position.
    public var gethName: String { "\(group.gethTest)/\(index)" }

    init(_ group: Group, _ index: Int, _ summary: String, request: SnapMessage, expectation: SnapExpectation) {
        self.group = group
        self.index = index
        self.summary = summary
        self.request = request
        self.expectation = expectation
    }

    /// The request id of case `index` of `group`: distinct across the suite and stable.
    static func requestID(_ group: Group, _ index: Int) -> UInt64 {
        let base: UInt64 =
            switch group {
            case .accountRange: 0x100
            case .byteCodes: 0x200
            case .trieNodes: 0x300
            case .storageRanges: 0x400
            }
        return 0x736e_6170_0000_0000 | base | UInt64(index)
    }
}

/// What a case's answer must be; every value derived from the chain's states, none hard-coded for one chain.
public enum SnapExpectation: Sendable, Hashable {
    /// An AccountRange of `count` accounts from `first` to `last` (nil when none), proven against the requested
    /// root from the requested origin.
    case accountRange(count: Int, first: Hash32?, last: Hash32?)
    /// An AccountRange for a state whose contents the suite lacks: at least one account, the first `first`,
    /// proven against the requested root.
    case provenAccountRange(first: Hash32)
    /// A StorageRanges with exactly these slots (proofs are not checked).
    case storageRanges([[StorageSlot]])
    /// A ByteCodes of `count` codes, each one asked for, in the order asked.
    case byteCodes(count: Int)
    /// A TrieNodes whose nodes hash to these, in order (Keccak-256 of no bytes for an empty entry).
    case trieNodes([Hash32])
    /// The peer is dropped without an answer (an empty TrieNodes passes too).
    case trieNodesRejected
}

/// What came back for a request: the first snap message, or none.
public enum SnapObservation: Sendable, Hashable {
    /// The first snap message received after the request.
    case message(SnapMessage)
    /// No snap message: the peer disconnected, the connection closed or the wait ran out (what happened).
    case noAnswer(String)

    /// What a ``SnapResponder`` answer looks like on the wire.
    public init(_ answer: SnapAnswer) {
        switch answer {
        case .reply(let message): self = .message(message)
        case .drop(let reason): self = .noAnswer("dropped: \(reason)")
        case .notARequest: self = .noAnswer("no answer: not a request")
        }
    }
}

/// A case's verdict, with what was observed, precisely.
public struct SnapVerdict: Sendable, Hashable, CustomStringConvertible {
    public let passed: Bool
    public let observed: String

    public init(passed: Bool, observed: String) {
        self.passed = passed
        self.observed = observed
    }

    static func pass(_ observed: String) -> SnapVerdict { SnapVerdict(passed: true, observed: observed) }
    static func fail(_ observed: String) -> SnapVerdict { SnapVerdict(passed: false, observed: observed) }

    public var description: String { (passed ? "PASS " : "FAIL ") + observed }
}
