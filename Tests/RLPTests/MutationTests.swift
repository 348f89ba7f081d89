// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxTestSupport
import Testing

/// Mutated encodings: nothing crashes, the validator and the tree decoder agree, and whatever is accepted is the
/// unique canonical encoding of what it decodes to.
@Suite struct MutationTests {
    @Test(arguments: 0..<8) func mutatedInputsAreAcceptedOnlyWhenCanonical(seed: UInt64) throws {
        var random = SeededRandom(seed: 1000 + seed)
        var accepted = 0
        for _ in 0..<500 {
            var bytes = RoundTripTests.randomItem(&random, depth: 4).rlpEncoded()
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                guard !bytes.isEmpty else { break }
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
                case 2: bytes.remove(at: index)
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                }
            }
            let validated = thrownCode { try RLP.validate(bytes) }
            let decoded: RLPItem?
            do throws(RLPError) {
                decoded = try RLPItem(rlpEncoded: bytes)
            } catch {
                decoded = nil
                #expect(validated == error.code, "validate and decode disagree on \(Hex.encode(bytes))")
            }
            if let decoded {
                accepted += 1
                #expect(validated == nil)
                #expect(decoded.rlpEncoded() == bytes, "accepted a non-canonical encoding \(Hex.encode(bytes))")
            }
        }
        // Some mutations (a changed payload byte) stay valid; most do not.
        #expect(accepted > 0 && accepted < 500)
    }
}
