// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxEvents
import RLPxProtocols
import Snap

/// An AccountRange answers its request's range: ordered, from the origin, past the limit by one account at most,
/// with a proof when it starts inside the trie.
public struct AccountRangeRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "snap/account-range",
        statement:
            "AccountRange accounts are in increasing hash order from the requested origin, pass the limit by at most the last one, and come with a proof unless the range starts at zero",
        section: "caps/snap.md GetAccountRange (0x00), AccountRange (0x01)", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .snap(.getAccountRange, .accountRange).decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind,
            let (_, found) = requests.read(message, from: side, time: event.time), let request = found,
            case .accountRange(let asked) = request.asked,
            case .decoded(.snap(.accountRange(let id, let accounts, let proof), _)) = message.value
        else { return }
        let hashes = accounts.map(\.hash)
        if let problem = SnapOrder.problem(hashes, origin: asked.origin, limit: asked.limit) {
            findings.report(side, "AccountRange id=\(id): \(problem)")
        }
        if !accounts.isEmpty && asked.origin != Hash32() && proof.isEmpty {
            findings.report(side, "AccountRange id=\(id): no proof for a range starting at \(asked.origin)")
        }
    }
}

/// StorageRanges answer their request: each account's slots ordered, the first from the origin, with a proof when
/// the first range starts inside its trie.
public struct StorageRangesRule: ConnectionRule {
    public static let descriptor = RuleDescriptor(
        id: "snap/storage-ranges",
        statement:
            "StorageRanges slots are in increasing hash order per account, the first account's from the requested origin, with a proof when that origin is not zero",
        section: "caps/snap.md GetStorageRanges (0x02), StorageRanges (0x03)", severity: .breach)
    public static let interests: EventInterests = .message
    public static let messages: MessageInterest = .snap(.getStorageRanges, .storageRanges).decoded
    private var requests = OutstandingRequests()

    public init(configuration: RuleConfiguration) {}

    public mutating func consume(_ event: ConnectionEvent, _ findings: inout FindingSink) {
        guard case .message(let side, let message) = event.kind,
            let (_, found) = requests.read(message, from: side, time: event.time), let request = found,
            case .storageRanges(let asked) = request.asked,
            case .decoded(.snap(.storageRanges(let id, let slots, let proof), _)) = message.value
        else { return }
        let origin = SnapOrder.word(asked.origin)
        let limit = asked.limit.isEmpty ? Hash32(Array(repeating: 0xff, count: 32)) ?? Hash32() : SnapOrder.word(asked.limit)
        for (index, set) in slots.enumerated() {
            // Only the first account's range starts at the origin; later ones start at zero.
            if let problem = SnapOrder.problem(set.map(\.hash), origin: index == 0 ? origin : Hash32(), limit: index == slots.count - 1 ? limit : nil)
            {
                findings.report(side, "StorageRanges id=\(id) account \(index): \(problem)")
            }
        }
        if let first = slots.first, !first.isEmpty, origin != Hash32(), proof.isEmpty {
            findings.report(side, "StorageRanges id=\(id): no proof for a range starting at \(origin)")
        }
    }
}

enum SnapOrder {
    /// Where `hashes` break snap's ordering: strictly increasing, none before `origin`, none but the last past `limit`.
    static func problem(_ hashes: [Hash32], origin: Hash32, limit: Hash32?) -> String? {
        guard let first = hashes.first else { return nil }
        if first.bytes.lexicographicallyPrecedes(origin.bytes) { return "the first hash \(first) is before the origin \(origin)" }
        for index in hashes.indices.dropFirst() where !hashes[index - 1].bytes.lexicographicallyPrecedes(hashes[index].bytes) {
            return "hash \(index) \(hashes[index]) does not follow \(hashes[index - 1])"
        }
        if let limit, hashes.count > 1, limit.bytes.lexicographicallyPrecedes(hashes[hashes.count - 2].bytes) {
            return "hashes past the limit \(limit) before the last one"
        }
        return nil
    }

    /// A storage origin or limit (up to 32 bytes) as the 32-byte hash it stands for, zero-padded on the right.
    static func word(_ bytes: [UInt8]) -> Hash32 {
        Hash32(Array(bytes.prefix(32)) + Array(repeating: 0, count: max(0, 32 - bytes.count))) ?? Hash32()
    }
}
