// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState

/// The snap side of a node that serves fixed world states, sans-I/O: it answers snap/1 and snap/2 requests as
/// go-ethereum's snap handler does, from the states it holds, keyed by state root.
///
/// A root it does not hold (an old state, a storage root, a random hash) gets an empty answer with the request's
/// id, never an error; a malformed request (a GetTrieNodes path set with no element) drops the peer. Budgets are
/// clamped to go-ethereum's soft limit of 2 MiB and lookups capped as it caps them; its 5-second time cap on trie
/// node lookups is left out (answers here take no I/O).
///
/// ```swift
/// let responder = SnapResponder(states: [head, parent])
/// if case .reply(let answer) = responder.respond(to: request) { send(answer) }
/// ```
public struct SnapResponder: Sendable {
    /// The most bytes any answer is built up to, whatever the request asks (go-ethereum's soft response limit).
    public static let softResponseLimit: UInt64 = 2 * 1024 * 1024
    /// The most code hashes of one GetByteCodes looked up.
    public static let maxCodeLookups = 1024
    /// The most trie-node reads one GetTrieNodes makes before it stops.
    public static let maxTrieNodeLookups = 1024
    /// The most block hashes of one GetBlockAccessLists looked up.
    public static let maxAccessListLookups = 1024
    /// How far past its budget a storage answer may run before it is cut (and then proven): 10 %.
    public static let storageLookupSlack = 0.1

    /// The states served, by state root.
    public let states: [Hash32: WorldState]
    /// Every code of every state, by hash (a node's code store is not per state).
    let codes: [Hash32: [UInt8]]

    /// A responder serving `states`; of two with the same root the later is kept.
    public init(states: some Sequence<WorldState>) {
        var byRoot: [Hash32: WorldState] = [:]
        var codes: [Hash32: [UInt8]] = [:]
        for state in states {
            byRoot[state.root] = state
            for account in state.accounts where account.hasCode { codes[account.codeHash] = account.code }
        }
        self.states = byRoot
        self.codes = codes
    }

    /// The answer to `message`.
    public func respond(to message: SnapMessage) -> SnapAnswer {
        switch message {
        case .getAccountRange(let id, let request):
            .reply(accountRange(id: id, request))
        case .getStorageRanges(let id, let request):
            .reply(storageRanges(id: id, request))
        case .getByteCodes(let id, let hashes, let bytes):
            .reply(byteCodes(id: id, hashes: hashes, responseBytes: bytes))
        case .getTrieNodes(let id, let root, let paths, let bytes):
            trieNodes(id: id, root: root, paths: paths, responseBytes: bytes)
        case .getBlockAccessLists(let id, let hashes, let bytes):
            .reply(accessLists(id: id, hashes: hashes, responseBytes: bytes))
        case .accountRange, .storageRanges, .byteCodes, .trieNodes, .blockAccessLists:
            .notARequest
        }
    }

    /// GetBlockAccessLists (snap/2): no block of these states has an access list, so one empty entry (a byte on the
    /// wire) per hash looked up, until the entries pass the budget.
    func accessLists(id: UInt64, hashes: [Hash32], responseBytes: UInt64) -> SnapMessage {
        let budget = Self.budget(responseBytes)
        let looked = min(hashes.count, Self.maxAccessListLookups)
        let count = budget >= UInt64(looked) ? looked : Int(budget) &+ 1
        return .blockAccessLists(requestID: id, lists: Array(repeating: [], count: count))
    }

    /// A request's byte budget, clamped to the soft limit.
    static func budget(_ requested: UInt64) -> UInt64 { min(requested, softResponseLimit) }
}

/// What a snap server does with a message.
public enum SnapAnswer: Sendable, Hashable {
    /// Send this response.
    case reply(SnapMessage)
    /// Send nothing and drop the peer: the request is malformed (why, for logs).
    case drop(String)
    /// The message is a response, which only a node's own requests await: nothing to serve.
    case notARequest
}
