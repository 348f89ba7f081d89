// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLPxFuzz
import RLPxTestSupport
import Testing

/// Every minimised input the fuzzers found (Vectors/fuzz-regressions/<target>/) runs through its target's body,
/// without the fuzzer; plus each target's seeds, so the harness itself stays exercised.
@Suite struct FuzzRegressionTests {
    static var cases: [String] {
        let root = Vectors.projectRoot.appendingPathComponent("Vectors/fuzz-regressions")
        var found: [String] = []
        for target in FuzzEntries.all.keys.sorted() {
            let directory = root.appendingPathComponent(target)
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() where !file.hasPrefix(".") {
                found.append("\(target)/\(file)")
            }
        }
        return found
    }

    @Test(arguments: cases) func crasherNoLongerCrashes(path: String) throws {
        let target = String(path.split(separator: "/")[0])
        let data = [UInt8](try Vectors.projectData("fuzz-regressions/\(path)"))
        let body = try #require(FuzzEntries.all[target])
        body(data)
    }

    @Test func everyTargetRunsOnSimpleInputs() throws {
        var random = SeededRandom(seed: 12)
        for (name, body) in FuzzEntries.all.sorted(by: { $0.key < $1.key }) {
            for size in [0, 1, 2, 17, 100, 1000] {
                body(random.bytes(size))
            }
            _ = name
        }
    }
}

/// The live-path target on scripts from a seeded generator: two sessions, a wire that loses, flips and injects
/// bytes, timers firing at random times; the target traps when an invariant breaks.
@Suite struct LinkFuzzTests {
    @Test func randomScriptsKeepTheLinkInvariants() {
        var random = SeededRandom(seed: 2026)
        var delivered = 0
        var tampered = 0
        var ended: [DisconnectReason: Int] = [:]
        for round in 0..<2_000 {
            let size = Int(random.next() % 600)
            var script = random.bytes(size)
            // Half the scripts keep the wire clean (no flips, drops or injections), so the delivery checks bite.
            if round % 2 == 0 {
                for index in script.indices.dropFirst() where FuzzEntries.linkTamperingOperations.contains(script[index] & 0x0f) {
                    script[index] = 0x0f
                }
            }
            let statistics = FuzzEntries.linkRun(script)
            delivered += statistics.delivered
            tampered += statistics.tampered ? 1 : 0
            ended.merge(statistics.ended, uniquingKeysWith: +)
        }
        // The scripts reach what they are for: messages across, timeouts, breaches from a damaged wire, requests.
        #expect(delivered > 300, "\(delivered) messages delivered, \(tampered) tampered, \(ended)")
        #expect(tampered > 500, "\(tampered) scripts tampered")
        #expect(ended[.readTimeout, default: 0] > 50, "\(ended)")
        #expect(ended[.networkError, default: 0] + ended[.protocolError, default: 0] > 50, "\(ended)")
        #expect(ended.keys.count > 5, "\(ended)")
    }

    @Test func aMessageCrossesACleanWireAndAFlippedBitEndsTheSession() {
        // Established pair; the initiator sends eth code 3 "abc"; everything is delivered.
        let send: [UInt8] = [0x01, 0x09, 0, 3, 3, 0x61, 0x62, 0x63]
        let clean = FuzzEntries.linkRun(send + [0x0f])
        #expect(clean.delivered == 1 && clean.ended.isEmpty && !clean.tampered, "\(clean)")
        // The same, with one bit of the frame on its way to the recipient flipped first.
        let flipped = FuzzEntries.linkRun(send + [0x84, 0, 40, 0x0f])
        #expect(flipped.delivered == 0 && flipped.tampered, "\(flipped)")
        #expect(flipped.ended.keys.contains(where: { [.networkError, .protocolError].contains($0) }), "\(flipped)")
    }
}
