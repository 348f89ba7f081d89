// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxEvents
import RLPxProtocols
import Snap

/// An eth or snap request, as the request/response rules remember it until its answer.
struct PendingRequest: Sendable {
    enum Asked: Sendable {
        case headers(HeaderRequest)
        /// How many items (hashes, accounts, paths) were asked for.
        case items(Int)
        case accountRange(AccountRangeRequest)
        case storageRanges(StorageRangesRequest)
    }

    let name: String
    let id: UInt64
    let time: Double
    let asked: Asked
    /// The byte budget a snap request gives (nil for eth).
    let responseBytes: UInt64?

    /// How many items a response may hold at most.
    var itemLimit: Int {
        switch asked {
        case .headers(let request): Int(clamping: request.amount)
        case .items(let count): count
        case .accountRange: Int.max
        case .storageRanges(let request): request.accounts.count
        }
    }
}

/// An eth or snap message seen as one half of a request/response exchange.
enum Exchange {
    case request(PendingRequest)
    /// A response: its name, request id, item count, and the code of the request it answers.
    case response(name: String, id: UInt64, items: Int)

    /// Where a request and its response meet: the protocol, the request's code and the id.
    struct Key: Hashable {
        var protocolName: String
        var requestCode: UInt64
        var id: UInt64
    }

    /// The exchange half `message` is, if any.
    static func of(_ message: DecodedMessage, time: Double) -> Exchange? {
        guard case .decoded(let decoded) = message.value else { return nil }
        let name = message.name
        switch decoded {
        case .eth(let eth, _):
            switch eth {
            case .getBlockHeaders(let id, let request):
                return .request(.init(name: name, id: id, time: time, asked: .headers(request), responseBytes: nil))
            case .getBlockBodies(let id, let hashes), .getPooledTransactions(let id, let hashes), .getReceipts(let id, _, let hashes),
                .getBlockAccessLists(let id, let hashes), .getCells(let id, let hashes, _):
                return .request(.init(name: name, id: id, time: time, asked: .items(hashes.count), responseBytes: nil))
            case .blockHeaders(let id, let headers): return .response(name: name, id: id, items: headers.count)
            case .blockBodies(let id, let bodies): return .response(name: name, id: id, items: bodies.count)
            case .pooledTransactions(let id, let transactions): return .response(name: name, id: id, items: transactions.count)
            case .receipts(let id, _, let receipts): return .response(name: name, id: id, items: receipts.count)
            case .blockAccessLists(let id, let lists): return .response(name: name, id: id, items: lists.count)
            case .cells(let id, let hashes, _, _): return .response(name: name, id: id, items: hashes.count)
            case .status, .newBlockHashes, .transactions, .newBlock, .newPooledTransactionHashes, .blockRangeUpdate: return nil
            }
        case .snap(let snap, _):
            switch snap {
            case .getAccountRange(let id, let request):
                return .request(.init(name: name, id: id, time: time, asked: .accountRange(request), responseBytes: request.responseBytes))
            case .getStorageRanges(let id, let request):
                return .request(.init(name: name, id: id, time: time, asked: .storageRanges(request), responseBytes: request.responseBytes))
            case .getByteCodes(let id, let hashes, let bytes), .getBlockAccessLists(let id, let hashes, let bytes):
                return .request(.init(name: name, id: id, time: time, asked: .items(hashes.count), responseBytes: bytes))
            case .getTrieNodes(let id, _, let paths, let bytes):
                let count = paths.reduce(0) { $0 + max(1, $1.count - 1) }
                return .request(.init(name: name, id: id, time: time, asked: .items(count), responseBytes: bytes))
            case .accountRange(let id, let accounts, _): return .response(name: name, id: id, items: accounts.count)
            case .storageRanges(let id, let slots, _): return .response(name: name, id: id, items: slots.count)
            case .byteCodes(let id, let codes): return .response(name: name, id: id, items: codes.count)
            case .trieNodes(let id, let nodes): return .response(name: name, id: id, items: nodes.count)
            case .blockAccessLists(let id, let lists): return .response(name: name, id: id, items: lists.count)
            }
        }
    }
}

/// The requests each side has sent and not yet seen answered, bounded so a flood cannot grow it without limit.
struct OutstandingRequests {
    /// Requests remembered per side; beyond this the oldest are forgotten (and counted).
    static let limit = 4096
    private var open: [Side: [Exchange.Key: PendingRequest]] = [:]
    private var order: [Side: [Exchange.Key]] = [:]
    private(set) var forgotten = 0

    /// Reads `message` from `side`: remembers a request, or takes out the request a response answers.
    /// - Returns: for a response, the request it answers (nil when none is outstanding); nil otherwise.
    mutating func read(_ message: DecodedMessage, from side: Side, time: Double) -> (response: Exchange, request: PendingRequest?)? {
        switch Exchange.of(message, time: time) {
        case .request(let request):
            let key = Exchange.Key(protocolName: message.protocolName, requestCode: message.code, id: request.id)
            if open[side, default: [:]].updateValue(request, forKey: key) == nil { order[side, default: []].append(key) }
            while (open[side]?.count ?? 0) > Self.limit, let oldest = order[side]?.first {
                order[side]?.removeFirst()
                if open[side]?.removeValue(forKey: oldest) != nil { forgotten += 1 }
            }
            return nil
        case .response(let name, let id, let items):
            guard
                let requestCode = KnownProtocols.requestCode(protocolName: message.protocolName, answeredBy: message.code)
            else { return nil }
            let key = Exchange.Key(protocolName: message.protocolName, requestCode: requestCode, id: id)
            let request = open[side.other]?.removeValue(forKey: key)
            // Answered keys stay in the order list until it is twice the open set: compacting then is amortised O(1).
            if let keys = order[side.other], keys.count > 2 * (open[side.other]?.count ?? 0) + 64 {
                order[side.other] = keys.filter { open[side.other]?[$0] != nil }
            }
            return (.response(name: name, id: id, items: items), request)
        case nil:
            return nil
        }
    }

    /// The requests `side` sent that are still unanswered, oldest first.
    func unanswered(by side: Side) -> [PendingRequest] {
        (order[side] ?? []).compactMap { open[side]?[$0] }
    }
}
