// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// Random and mutated inputs through our strict decoder and Python's rlp in strict mode
/// (Vectors/rlp/differential.json): the two must agree on every input.
@Suite struct DifferentialTests {
    @Test func agreesWithPyRLPStrict() throws {
        let file = try #require(try Vectors.project("rlp/differential.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count == 3000)
        var disagreements: [String] = []
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            let ours = (try? RLP.validate(input)) != nil
            if ours != (testCase["accepted"] as? Bool) { disagreements.append(Hex.encode(input)) }
        }
        #expect(disagreements.isEmpty, "pyrlp and we disagree on: \(disagreements.prefix(10))")
        #expect(cases.contains { $0["accepted"] as? Bool == true } && cases.contains { $0["accepted"] as? Bool == false })
    }
}
