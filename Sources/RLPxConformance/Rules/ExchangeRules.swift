// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxEvents
import RLPxProtocols
import Snap

/// Every response answers a request of its kind that is outstanding on the connection, and only once.
public struct ResponseIDRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "exchange/response-id",
        statement:
            "every eth or snap response carries the request id of an outstanding request of its kind on the same connection, and answers it at most once",
        section: "caps/eth.md Request IDs (EIP-2481); caps/snap.md", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .exchanges.decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind,
            let (response, request) = requests.read(message, from: side, time: event.time), request == nil,
            case .response(let name, let id, _) = response
        else { return }
        findings.report(side, "\(name) id=\(id) answers no outstanding request (never asked, or already answered)")
    }
}

/// A response holds no more than was asked, in the order asked.
public struct ResponseCountRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "exchange/response-count",
        statement:
            "a response holds at most what its request asked for: headers at most amount, numbered from the origin by skip and reverse; bodies, receipts, transactions, codes and nodes at most the hashes or paths asked",
        section: "caps/eth.md GetBlockHeaders, GetBlockBodies, GetReceipts, GetPooledTransactions; caps/snap.md", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .exchanges.decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind,
            let (response, found) = requests.read(message, from: side, time: event.time), let request = found,
            case .response(let name, let id, let items) = response
        else { return }
        if items > request.itemLimit {
            findings.report(side, "\(name) id=\(id) holds \(items) items; \(request.name) asked for \(request.itemLimit)")
        }
        if case .headers(let asked) = request.asked, case .decoded(.eth(.blockHeaders(_, let headers), _)) = message.value,
            let problem = Self.sequenceProblem(headers, asked)
        {
            findings.report(side, "BlockHeaders id=\(id): \(problem)")
        }
    }

    /// Where `headers` leave the sequence `request` describes, if they do.
    static func sequenceProblem(_ headers: [BlockHeader], _ request: HeaderRequest) -> String? {
        guard let first = headers.first else { return nil }
        switch request.origin {
        case .number(let number) where first.number != number:
            return "the first header is #\(first.number), the request starts at #\(number)"
        case .hash(let hash) where first.hash != hash:
            return "the first header's hash is \(first.hash), the request starts at \(hash)"
        default: break
        }
        let (step, overflow) = request.skip.addingReportingOverflow(1)
        guard !overflow else { return headers.count > 1 ? "skip \(request.skip) allows one header only" : nil }
        for (index, header) in headers.enumerated().dropFirst() {
            let (distance, wide) = step.multipliedReportingOverflow(by: UInt64(index))
            let (expected, past) =
                request.reverse ? first.number.subtractingReportingOverflow(distance) : first.number.addingReportingOverflow(distance)
            if wide || past || header.number != expected {
                return
                    "header \(index) is #\(header.number), expected #\(wide || past ? "none" : String(expected)) (skip \(request.skip), reverse \(request.reverse))"
            }
        }
        return nil
    }
}

/// Responses stay within go-ethereum's serving limits: 1,024 items, and the byte budget (2 MiB, or a snap
/// request's own smaller one) exceeded by at most the last item.
public struct ResponseLimitRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "exchange/response-limit",
        statement:
            "a response holds at most 1024 headers, bodies or receipts, and passes its byte budget (2 MiB, or a snap request's smaller one) by at most its last item",
        section: "caps/eth.md (soft limits); caps/snap.md responseBytes; geth eth/handler.go", severity: .nonStrict)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .exchanges.decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind,
            let (response, request) = requests.read(message, from: side, time: event.time),
            case .response(let name, let id, let items) = response
        else { return }
        let capped =
            message.protocolName == "eth"
            && [EthMessage.Kind.blockHeaders, .blockBodies, .receipts].contains { $0.rawValue == message.code }
        if capped && items > EthMessage.maximumHeadersServed {
            findings.report(side, "\(name) id=\(id) holds \(items) items, above go-ethereum's 1024")
        }
        let budget = min(request?.responseBytes ?? UInt64(EthMessage.softResponseLimit), UInt64(EthMessage.softResponseLimit))
        guard UInt64(message.payload.count) > budget, let shorter = Self.sizeWithoutLastItem(message), UInt64(shorter) > budget else { return }
        findings.report(
            side, "\(name) id=\(id) is \(message.payload.count) bytes and still \(shorter) without its last item: over its \(budget)-byte budget")
    }

    /// The payload size of the same response without its last item.
    static func sizeWithoutLastItem(_ message: DecodedMessage) -> Int? {
        guard case .decoded(let decoded) = message.value else { return nil }
        switch decoded {
        case .eth(let eth, let version):
            let shorter: EthMessage
            switch eth {
            case .blockHeaders(let id, let items): shorter = .blockHeaders(requestID: id, Array(items.dropLast()))
            case .blockBodies(let id, let items): shorter = .blockBodies(requestID: id, Array(items.dropLast()))
            case .pooledTransactions(let id, let items): shorter = .pooledTransactions(requestID: id, Array(items.dropLast()))
            case .receipts(let id, let incomplete, let items):
                shorter = .receipts(requestID: id, lastBlockIncomplete: incomplete, Array(items.dropLast()))
            case .blockAccessLists(let id, let items): shorter = .blockAccessLists(requestID: id, Array(items.dropLast()))
            default: return nil
            }
            return shorter.encoded(version: version).count
        case .snap(let snap, _):
            let shorter: SnapMessage
            switch snap {
            case .accountRange(let id, let accounts, let proof):
                shorter = .accountRange(requestID: id, accounts: Array(accounts.dropLast()), proof: proof)
            case .storageRanges(let id, let slots, let proof): shorter = .storageRanges(requestID: id, slots: Array(slots.dropLast()), proof: proof)
            case .byteCodes(let id, let codes): shorter = .byteCodes(requestID: id, codes: Array(codes.dropLast()))
            case .trieNodes(let id, let nodes): shorter = .trieNodes(requestID: id, nodes: Array(nodes.dropLast()))
            case .blockAccessLists(let id, let lists): shorter = .blockAccessLists(requestID: id, lists: Array(lists.dropLast()))
            default: return nil
            }
            return shorter.encoded().count
        }
    }
}

/// Requests still unanswered when the connection ends (informational: the capture may have stopped first).
public struct UnansweredRequestsRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "exchange/unanswered", statement: "requests still unanswered when the connection or capture ends",
        section: "caps/eth.md Request IDs; caps/snap.md", severity: .informational)
    public static let interests: EventInterests = [.message, .closed]
    public static let messages: MessageInterest = .exchanges.decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        switch event.kind {
        case .message(let side, let message):
            _ = requests.read(message, from: side, time: event.time)
        case .closed:
            for side in Side.allCases {
                let open = requests.unanswered(by: side)
                guard !open.isEmpty else { continue }
                let listed = open.prefix(5).map { "\($0.name) id=\($0.id)" }.joined(separator: ", ")
                findings.report(
                    side.other,
                    "\(open.count) request\(open.count == 1 ? "" : "s") from the \(side.rawValue) unanswered at the end: \(listed)\(open.count > 5 ? ", ..." : "")"
                )
            }
            if requests.forgotten > 0 {
                findings.report(nil, "\(requests.forgotten) requests were not tracked (more than \(OutstandingRequests.limit) outstanding per side)")
            }
        default: break
        }
    }
}
