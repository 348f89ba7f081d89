// SPDX-License-Identifier: Apache-2.0
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
