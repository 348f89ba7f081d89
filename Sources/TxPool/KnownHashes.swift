// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// The transactions a peer is known to have (it sent or announced them, or we sent or announced them to it),
/// capped like go-ethereum's per-peer set (32,768; the oldest go first here, a random one there).
struct KnownHashes: Sendable {
    static let limit = 32_768
    private var members: Set<Hash32> = []
    private var order: [Hash32] = []
    private var start = 0

    func contains(_ hash: Hash32) -> Bool { members.contains(hash) }

    mutating func insert(_ hash: Hash32) {
        guard members.insert(hash).inserted else { return }
        order.append(hash)
        while members.count > Self.limit, start < order.count {
            members.remove(order[start])
            start += 1
        }
        if start > Self.limit {
            order.removeFirst(start)
            start = 0
        }
    }
}
