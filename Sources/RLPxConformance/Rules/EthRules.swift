// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxEvents
import RLPxProtocols

extension DecodedMessage {
    /// The eth message and the version it was read as, when this is a decoded eth message.
    var eth: (message: EthMessage, version: UInt)? {
        guard case .decoded(.eth(let message, let version)) = value else { return nil }
        return (message, version)
    }
}

/// Status opens each side's eth conversation, once.
public struct StatusFirstRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/status-first", statement: "Status is the first eth message each side sends, and it is sent exactly once",
        section: "caps/eth.md Status", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .every("eth")
    private var spoken = BothSides(repeating: false)
    private var statuses = BothSides(repeating: false)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, message.protocolName == "eth" else { return }
        let isStatus = message.code == EthMessage.Kind.status.rawValue
        if !spoken[side] && !isStatus {
            findings.report(side, "the first eth message is \(message.name), not Status")
        }
        spoken[side] = true
        if isStatus && statuses[side] {
            findings.report(side, "a second Status")
        }
        if isStatus { statuses[side] = true }
    }
}

/// Both Status messages speak the matched version, on the same network and genesis.
public struct StatusMatchRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/status-match",
        statement: "each Status carries the matched eth version, and both carry the same network ID and genesis hash",
        section: "caps/eth.md Status; geth eth/protocols/eth/handshake.go", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.status).decoded
    private var statuses: [Side: Status] = [:]

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, version) = message.eth,
            case .status(let status) = eth, statuses[side] == nil
        else { return }
        if UInt(status.version) != version {
            findings.report(side, "Status says eth/\(status.version), the connection matched eth/\(version)")
        }
        statuses[side] = status
        guard let initiator = statuses[.initiator], let recipient = statuses[.recipient] else { return }
        if initiator.networkID != recipient.networkID {
            findings.report(nil, "network IDs differ: initiator \(initiator.networkID), recipient \(recipient.networkID)")
        }
        if initiator.genesis != recipient.genesis {
            findings.report(nil, "genesis hashes differ: initiator \(initiator.genesis), recipient \(recipient.genesis)")
        }
    }
}

/// A Status fork ID passes EIP-2124's rules against the chain the peers should be on.
public struct ForkIDRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/fork-id",
        statement:
            "a Status fork ID is compatible (EIP-2124) with the given chain at the capture's time, and names its genesis; without a chain it is reported",
        section: "EIP-2124 Validation rules; EIP-6122; caps/eth.md Status", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.status).decoded
    private let chain: ChainConfig?
    private var seen: Set<Side> = []

    public init(configuration: RuleConfiguration) {
        chain = configuration.chain
    }

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth, case .status(let status) = eth,
            seen.insert(side).inserted
        else { return }
        guard let chain else {
            findings.report(
                side, "fork ID \(status.forkID) on genesis \(status.genesis) (no --chain or --genesis: not validated)", severity: .informational)
            return
        }
        if status.genesis != chain.genesisHash {
            findings.report(side, "genesis \(status.genesis) is not \(chain.name)'s \(chain.genesisHash)")
            return
        }
        // The capture's clock is the head time; a Status range names the head block, else every block fork is past.
        var head = UInt64.max
        if case .range(let range) = status.head { head = range.latest }
        let time = event.time > 0 && event.time < 1.8e19 ? UInt64(event.time) : 0
        let verdict = chain.validate(status.forkID, head: head, time: time)
        if verdict != .compatible {
            findings.report(
                side,
                "fork ID \(status.forkID) is \(verdict.rawValue) against \(chain.name) (expected \(chain.forkID(head: head, time: time)) at time \(time))"
            )
        }
    }
}

/// NewPooledTransactionHashes lists types, sizes and hashes of equal length.
public struct AnnouncementLengthsRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/announcement-lengths", statement: "NewPooledTransactionHashes carries as many types and sizes as hashes",
        section: "caps/eth.md NewPooledTransactionHashes (EIP-5793)", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.newPooledTransactionHashes).decoded

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth,
            case .newPooledTransactionHashes(let announcement) = eth, !announcement.isConsistent
        else { return }
        findings.report(side, "\(announcement.types.count) types, \(announcement.sizes.count) sizes, \(announcement.hashes.count) hashes")
    }
}

/// A transaction delivered after its announcement has the announced type and size (go-ethereum drops the peer).
public struct AnnouncementMatchRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/announcement-match",
        statement: "a pooled transaction delivered after its announcement has the type and size the announcement gave",
        section: "caps/eth.md NewPooledTransactionHashes; geth eth/fetcher/tx_fetcher.go", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.newPooledTransactionHashes, .pooledTransactions).decoded
    /// Announcements remembered per side; the oldest are forgotten past this.
    static let limit = 32768
    private var announced: [Side: [Hash32: (type: UInt8, size: UInt32)]] = [:]
    private var order: [Side: [Hash32]] = [:]

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth else { return }
        switch eth {
        case .newPooledTransactionHashes(let announcement) where announcement.isConsistent:
            for (index, hash) in announcement.hashes.enumerated() {
                if announced[side, default: [:]].updateValue((announcement.types[index], announcement.sizes[index]), forKey: hash) == nil {
                    order[side, default: []].append(hash)
                }
            }
            while (order[side]?.count ?? 0) > Self.limit, let oldest = order[side]?.first {
                order[side]?.removeFirst()
                announced[side]?[oldest] = nil
            }
        case .pooledTransactions(_, let transactions):
            for transaction in transactions {
                guard let announcement = announced[side]?[transaction.hash] else { continue }
                if announcement.type != transaction.type.rawValue {
                    findings.report(
                        side,
                        "transaction \(transaction.hash) was announced as type \(announcement.type), delivered as type \(transaction.type.rawValue)")
                } else if Int(announcement.size) != transaction.encoded.count {
                    findings.report(
                        side, "transaction \(transaction.hash) was announced as \(announcement.size) bytes, delivered as \(transaction.encoded.count)"
                    )
                }
            }
        default: break
        }
    }
}

/// Blob transactions are announced and fetched, never broadcast.
public struct BlobBroadcastRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/blob-broadcast", statement: "a Transactions broadcast holds no blob transaction",
        section: "caps/eth.md Transactions; EIP-4844 Networking", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.transactions).decoded

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth, case .transactions(let transactions) = eth,
            let blob = transactions.first(where: { $0.type == .blob })
        else { return }
        findings.report(side, "Transactions broadcast holds blob transaction \(blob.hash)")
    }
}

/// Blob transactions travel with their sidecar when fetched.
public struct BlobNetworkFormRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/blob-network-form",
        statement: "a blob transaction in PooledTransactions comes in network form, with its blobs, commitments and proofs",
        section: "caps/eth.md PooledTransactions; EIP-4844 Networking", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.pooledTransactions).decoded

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth,
            case .pooledTransactions(let id, let transactions) = eth,
            let bare = transactions.first(where: { $0.type == .blob && $0.sidecar == nil })
        else { return }
        findings.report(side, "PooledTransactions id=\(id) holds blob transaction \(bare.hash) without its sidecar")
    }
}

/// eth/69's served range is well formed and only moves forward.
public struct BlockRangeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/block-range",
        statement: "a block range (eth/69 Status and BlockRangeUpdate) has earliest ≤ latest and a latest hash, and its latest block never goes back",
        section: "caps/eth.md BlockRangeUpdate (EIP-7642); geth BlockRangeUpdateInvalid", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .eth(.status, .blockRangeUpdate).decoded
    private var latest: [Side: UInt64] = [:]

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, let (eth, _) = message.eth else { return }
        let range: BlockRange
        switch eth {
        case .blockRangeUpdate(let update): range = update
        case .status(let status):
            guard case .range(let served) = status.head else { return }
            range = served
        default: return
        }
        if range.earliest > range.latest {
            findings.report(side, "\(message.name): earliest #\(range.earliest) is after latest #\(range.latest)")
        }
        if range.latestHash == Hash32() {
            findings.report(side, "\(message.name): the latest block hash is zero")
        }
        if let previous = latest[side], range.latest < previous {
            findings.report(side, "\(message.name): latest went back from #\(previous) to #\(range.latest)")
        }
        latest[side] = max(latest[side] ?? 0, range.latest)
    }
}

/// eth/69 removed block announcements.
public struct NoBlockAnnouncementsRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "eth/no-block-announcements", statement: "NewBlock and NewBlockHashes are never sent on eth/69 or later",
        section: "EIP-7642; caps/eth.md", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .codes("eth", EthVersion.messages.removedCodes)

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind, message.protocolName == "eth", let version = message.version,
            EthVersion.messages.isRemoved(code: message.code, version: version),
            let removed = EthVersion.messages.message(code: message.code)
        else { return }
        findings.report(side, "\(removed.name) on eth/\(version)")
    }
}
