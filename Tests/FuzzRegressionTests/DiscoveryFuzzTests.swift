// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLPxFuzz
import RLPxTestSupport
import Testing

/// The enr and discv4 targets on mutations of real inputs (eth-enr's records, EIP-778's example, discv4 packets
/// built by the target's own signer): bit flips, cut and inserted bytes. A broken invariant traps.
@Suite struct DiscoveryFuzzTests {
    static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int(1 + random.next() % 3) {
            switch random.next() % 4 {
            case 0 where !bytes.isEmpty:
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] ^= UInt8(1 << (random.next() % 8))
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int(random.next() % UInt64(min(bytes.count, 8))) + 1)
            case 2:
                let index = Int(random.next() % UInt64(bytes.count + 1))
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
            default:
                if !bytes.isEmpty { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next()) }
            }
        }
        return bytes
    }

    @Test func mutatedRecordsAndPacketsKeepTheInvariants() throws {
        let file = try #require(try Vectors.project("discovery/enr.json") as? [String: Any])
        let records = try (file["valid"] as? [[String: Any]] ?? []).map { try Vectors.bytes($0["rlp"]) }
        #expect(records.count == 8)
        var random = SeededRandom(seed: 4_778)
        let started = ContinuousClock.now
        var runs = 0
        for round in 0..<1_500 {
            let record = records[round % records.count]
            FuzzEntries.enr(Self.mutate(record, &random))
            // Odd first byte: the discv4 target signs [type, data…] itself, so the message decoders are reached.
            let type = UInt8(1 + round % 6)
            FuzzEntries.discv4([1, type] + Self.mutate(record, &random))
            FuzzEntries.discv4(Self.mutate([1, type] + record, &random))
            runs += 3
        }
        let elapsed = ContinuousClock.now - started
        print("discovery fuzz: \(runs) inputs in \(elapsed)")
    }
}
