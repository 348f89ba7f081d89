// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPMacros

/// An EIP-2124 fork identifier: CRC32 of the genesis hash and every fork passed, and the next fork (0 if none).
/// EIP-6122 extends it to forks scheduled by timestamp.
@RLPList
public struct ForkID: Sendable, Hashable, CustomStringConvertible {
    /// The checksum, big-endian.
    public var hash: FixedBytes<4>
    /// The block number or timestamp of the next fork; 0 when none is scheduled.
    public var next: UInt64

    public init(hash: FixedBytes<4>, next: UInt64) {
        self.hash = hash
        self.next = next
    }

    /// `0x` + 8 hex digits, then the next fork.
    public var description: String { "\(hash)/\(next)" }
}

/// The outcome of checking a remote fork ID against the local chain (EIP-2124's rules).
public enum ForkIDVerdict: String, Sendable, Hashable {
    /// Rule 1b, 2 or 3: the remote may be on our chain.
    case compatible
    /// Rule 2: the remote is on a subset of our forks but does not know our next one (go-ethereum `ErrRemoteStale`).
    case remoteStale
    /// Rule 1a or 4: the chains differ, or a fork the remote announces has already passed here without us
    /// (go-ethereum `ErrLocalIncompatibleOrStale`).
    case localIncompatibleOrStale
}

extension ChainConfig {
    /// Block and time forks as fork IDs count them: sorted, without duplicates, without block 0 and without time
    /// forks at or before genesis.
    var gatheredForks: (blocks: [UInt64], times: [UInt64]) {
        let blocks = Array(Set(forkBlocks.filter { $0 != 0 })).sorted()
        let times = Array(Set(forkTimes.filter { $0 > genesisTime })).sorted()
        return (blocks, times)
    }

    /// The fork ID of a node whose head is block `head` at time `time`.
    public func forkID(head: UInt64, time: UInt64) -> ForkID {
        let (blocks, times) = gatheredForks
        var checksum = CRC32(genesisHash.bytes)
        for fork in blocks {
            guard fork <= head else { return ForkID(hash: checksum.bigEndianBytes, next: fork) }
            checksum.update(bigEndian: fork)
        }
        for fork in times {
            guard fork <= time else { return ForkID(hash: checksum.bigEndianBytes, next: fork) }
            checksum.update(bigEndian: fork)
        }
        return ForkID(hash: checksum.bigEndianBytes, next: 0)
    }

    /// Checks `remote` against this chain with the local head at block `head` and time `time` (EIP-2124 with
    /// EIP-6122, as go-ethereum applies it).
    public func validate(_ remote: ForkID, head: UInt64, time: UInt64) -> ForkIDVerdict {
        /// The mainnet genesis time: a remote `next` above it may be a timestamp.
        let timestampThreshold: UInt64 = 1_438_269_973
        let (blocks, times) = gatheredForks
        let forks = blocks + times
        var sums: [FixedBytes<4>] = []
        var checksum = CRC32(genesisHash.bytes)
        sums.append(checksum.bigEndianBytes)
        for fork in forks {
            checksum.update(bigEndian: fork)
            sums.append(checksum.bigEndianBytes)
        }
        // A last fork that is never passed ends the walk; with no time forks it counts as a block fork, so that
        // a purely block-scheduled chain never compares a block number with a time.
        let blockForks = blocks.count + (times.isEmpty ? 1 : 0)
        for (index, fork) in (forks + [UInt64.max]).enumerated() {
            let position = index < blockForks ? head : time
            if position >= fork { continue }
            // The first fork not passed: index sums[index] is our current checksum.
            if sums[index] == remote.hash {
                if remote.next > 0, position >= remote.next || (remote.next > timestampThreshold && time >= remote.next) {
                    return .localIncompatibleOrStale
                }
                return .compatible
            }
            if let subset = sums[..<index].firstIndex(of: remote.hash) {
                return forks[subset] == remote.next ? .compatible : .remoteStale
            }
            if sums[(index + 1)...].contains(remote.hash) { return .compatible }
            return .localIncompatibleOrStale
        }
        return .compatible  // Unreachable: the last fork (UInt64.max) is never passed.
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as Go's `crc32.ChecksumIEEE` computes it.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { (index: UInt32) in
        var value = index
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private(set) var value: UInt32 = 0

    init(_ bytes: [UInt8]) { update(bytes) }

    mutating func update(_ bytes: [UInt8]) {
        var crc = ~value
        for byte in bytes { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        value = ~crc
    }

    mutating func update(bigEndian number: UInt64) {
        update((0..<8).map { UInt8(truncatingIfNeeded: number >> (56 - 8 * $0)) })
    }

    var bigEndianBytes: FixedBytes<4> {
        FixedBytes((0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }) ?? FixedBytes()
    }
}
