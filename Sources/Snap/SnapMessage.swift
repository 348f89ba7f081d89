// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPMacros

/// The code spaces of snap, per version.
public enum SnapVersion {
    /// snap/1, and snap/2 (EIP-8189, a draft that may still change).
    public static let supported: ClosedRange<UInt> = 1...2

    /// Every snap message, as devp2p `caps/snap.md` names it; snap/2 removes the trie-node pair (its codes stay
    /// reserved) and adds the block-access-list pair.
    public static let messages = MessageTable(
        protocolName: "snap", supported: supported,
        messages: [
            MessageDefinition(SnapMessage.Kind.getAccountRange, "GetAccountRange", answeredBy: .accountRange, since: 1),
            MessageDefinition(SnapMessage.Kind.accountRange, "AccountRange", since: 1),
            MessageDefinition(
                SnapMessage.Kind.getStorageRanges, "GetStorageRanges", answeredBy: .storageRanges, since: 1),
            MessageDefinition(SnapMessage.Kind.storageRanges, "StorageRanges", since: 1),
            MessageDefinition(SnapMessage.Kind.getByteCodes, "GetByteCodes", answeredBy: .byteCodes, since: 1),
            MessageDefinition(SnapMessage.Kind.byteCodes, "ByteCodes", since: 1),
            MessageDefinition(
                SnapMessage.Kind.getTrieNodes, "GetTrieNodes", answeredBy: .trieNodes, since: 1, removedIn: 2),
            MessageDefinition(SnapMessage.Kind.trieNodes, "TrieNodes", since: 1, removedIn: 2),
            MessageDefinition(
                SnapMessage.Kind.getBlockAccessLists, "GetBlockAccessLists", answeredBy: .blockAccessLists, since: 2),
            MessageDefinition(SnapMessage.Kind.blockAccessLists, "BlockAccessLists", since: 2),
        ])

    /// The message-code space length per version.
    public static func codeSpaceLength(_ version: UInt) -> UInt64? { messages.codeSpaceLength(version) }

    /// The message `code` names on `version`; nil where it defines none (snap/2 drops the trie-node messages).
    public static func messageName(code: UInt64, version: UInt) -> String? {
        messages.messageName(code: code, version: version)
    }
}

/// Every snap message of snap/1 and snap/2. Every one carries a request id.
public enum SnapMessage: Sendable, Hashable {
    case getAccountRange(requestID: UInt64, AccountRangeRequest)
    case accountRange(requestID: UInt64, accounts: [AccountEntry], proof: [ArraySlice<UInt8>])
    case getStorageRanges(requestID: UInt64, StorageRangesRequest)
    case storageRanges(requestID: UInt64, slots: [[StorageSlot]], proof: [ArraySlice<UInt8>])
    case getByteCodes(requestID: UInt64, hashes: [Hash32], responseBytes: UInt64)
    case byteCodes(requestID: UInt64, codes: [ArraySlice<UInt8>])
    /// snap/1 only: each path set is an account path, then storage paths under it.
    case getTrieNodes(requestID: UInt64, root: Hash32, paths: [[ArraySlice<UInt8>]], responseBytes: UInt64)
    case trieNodes(requestID: UInt64, nodes: [ArraySlice<UInt8>])
    /// snap/2 (EIP-8189, draft).
    case getBlockAccessLists(requestID: UInt64, hashes: [Hash32], responseBytes: UInt64)
    /// snap/2 (EIP-8189, draft): each entry a byte string.
    case blockAccessLists(requestID: UInt64, lists: [ArraySlice<UInt8>])

    /// Which message this is: its code relative to snap's offset (``SnapVersion/messages`` holds the rest).
    public enum Kind: UInt64, CaseIterable, Sendable {
        case getAccountRange = 0
        case accountRange = 1
        case getStorageRanges = 2
        case storageRanges = 3
        case getByteCodes = 4
        case byteCodes = 5
        case getTrieNodes = 6
        case trieNodes = 7
        case getBlockAccessLists = 8
        case blockAccessLists = 9
    }

    /// Which message this is.
    public var kind: Kind {
        switch self {
        case .getAccountRange: .getAccountRange
        case .accountRange: .accountRange
        case .getStorageRanges: .getStorageRanges
        case .storageRanges: .storageRanges
        case .getByteCodes: .getByteCodes
        case .byteCodes: .byteCodes
        case .getTrieNodes: .getTrieNodes
        case .trieNodes: .trieNodes
        case .getBlockAccessLists: .getBlockAccessLists
        case .blockAccessLists: .blockAccessLists
        }
    }

    /// The code relative to snap's offset.
    public var code: UInt64 { kind.rawValue }

    /// The specification's name.
    public var name: String { SnapVersion.messages.message(code: code)?.name ?? "?" }

    /// The request id.
    public var requestID: UInt64 {
        switch self {
        case .getAccountRange(let id, _), .accountRange(let id, _, _), .getStorageRanges(let id, _),
            .storageRanges(let id, _, _), .getByteCodes(let id, _, _), .byteCodes(let id, _),
            .getTrieNodes(let id, _, _, _), .trieNodes(let id, _), .getBlockAccessLists(let id, _, _),
            .blockAccessLists(let id, _):
            id
        }
    }
}

/// GetAccountRange: accounts of the trie `root` from `origin` up to `limit`, at most `responseBytes` of them.
public struct AccountRangeRequest: Sendable, Hashable {
    public var root: Hash32
    public var origin: Hash32
    public var limit: Hash32
    public var responseBytes: UInt64

    public init(root: Hash32, origin: Hash32, limit: Hash32, responseBytes: UInt64) {
        self.root = root
        self.origin = origin
        self.limit = limit
        self.responseBytes = responseBytes
    }
}

/// GetStorageRanges: storage slots of `accounts` in the state `root`, from `origin` to `limit` (empty for the
/// whole range).
public struct StorageRangesRequest: Sendable, Hashable {
    public var root: Hash32
    public var accounts: [Hash32]
    public var origin: [UInt8]
    public var limit: [UInt8]
    public var responseBytes: UInt64

    public init(root: Hash32, accounts: [Hash32], origin: [UInt8], limit: [UInt8], responseBytes: UInt64) {
        self.root = root
        self.accounts = accounts
        self.origin = origin
        self.limit = limit
        self.responseBytes = responseBytes
    }
}

/// One account of an AccountRange: its hash and its body in slim form.
///
/// devp2p `caps/snap.md` writes the body as a byte string holding `rlp(slim account)`; go-ethereum writes the slim
/// account list in place (`rlp.RawValue`). Both are read, and the form received is kept, so re-encoding gives the
/// same bytes.
public struct AccountEntry: Sendable, Hashable {
    public var hash: Hash32
    public var account: SlimAccount
    /// The body's exact encoding as received (a list, or a byte string wrapping one).
    public var bodyEncoding: ArraySlice<UInt8>

    public init(hash: Hash32, account: SlimAccount, bodyEncoding: ArraySlice<UInt8>) {
        self.hash = hash
        self.account = account
        self.bodyEncoding = bodyEncoding
    }
}

/// An account in slim form: `[nonce, balance, storageRoot or empty, codeHash or empty]` (empty for the empty trie
/// root and the empty code hash).
public struct SlimAccount: Sendable, Hashable, RLPCodable {
    public var nonce: UInt64
    public var balance: UInt256
    /// nil when the storage trie is empty.
    public var storageRoot: Hash32?
    /// nil when the account has no code.
    public var codeHash: Hash32?

    public init(nonce: UInt64, balance: UInt256, storageRoot: Hash32?, codeHash: Hash32?) {
        self.nonce = nonce
        self.balance = balance
        self.storageRoot = storageRoot
        self.codeHash = codeHash
    }

    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(integer: nonce)
            list.write(balance)
            if let storageRoot { list.write(storageRoot) } else { list.write(bytes: [UInt8]()) }
            if let codeHash { list.write(codeHash) } else { list.write(bytes: [UInt8]()) }
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.readList { list throws(RLPError) in
            SlimAccount(
                nonce: try list.read(field: "nonce"), balance: try list.read(field: "balance"),
                storageRoot: try Self.optionalHash(&list, field: "storageRoot"),
                codeHash: try Self.optionalHash(&list, field: "codeHash"))
        }
    }

    private static func optionalHash(_ list: inout RLPReader, field: String) throws(RLPError) -> Hash32? {
        let offset = list.offset
        let bytes = try list.read([UInt8].self, field: field)
        if bytes.isEmpty { return nil }
        guard let hash = Hash32(bytes) else {
            throw RLPError(.wrongByteCount, "expected 32 bytes or none, found \(bytes.count)", at: offset, path: [field])
        }
        return hash
    }
}

/// One storage slot of a StorageRanges response: its hash and its value's bytes.
@RLPList
public struct StorageSlot: Sendable, Hashable {
    public var hash: Hash32
    public var data: [UInt8]

    public init(hash: Hash32, data: [UInt8]) {
        self.hash = hash
        self.data = data
    }
}

extension SnapMessage {
    /// What a node that does not have the requested state answers (an empty response with the same id), for a
    /// request; nil for a response.
    public var emptyResponse: SnapMessage? {
        switch self {
        case .getAccountRange(let id, _): .accountRange(requestID: id, accounts: [], proof: [])
        case .getStorageRanges(let id, _): .storageRanges(requestID: id, slots: [], proof: [])
        case .getByteCodes(let id, _, _): .byteCodes(requestID: id, codes: [])
        case .getTrieNodes(let id, _, _, _): .trieNodes(requestID: id, nodes: [])
        case .getBlockAccessLists(let id, _, _): .blockAccessLists(requestID: id, lists: [])
        case .accountRange, .storageRanges, .byteCodes, .trieNodes, .blockAccessLists: nil
        }
    }
}
