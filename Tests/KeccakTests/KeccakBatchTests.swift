import RLP
import RLPxTestSupport
import Testing

// SPDX-License-Identifier: Apache-2.0
@testable import Keccak

/// Batch hashing: the eight-way AVX-512 path and the one-by-one path give every message the single-stream digest.
@Suite struct KeccakBatchTests {
    static func messages(count: Int, seed: UInt64) -> [ArraySlice<UInt8>] {
        var random = SeededRandom(seed: seed)
        // Lengths around every block boundary, and anywhere up to eight blocks.
        let edges = [0, 1, 55, 135, 136, 137, 271, 272, 273, 1087, 1088]
        return (0..<count).map { index in
            let length = index < edges.count ? edges[index] : Int(random.next() % 1100)
            let padded = random.bytes(length + 3)
            return padded[1..<(1 + length)]  // a slice that does not start at 0
        }
    }

    static func oneByOne(_ messages: [ArraySlice<UInt8>]) -> [UInt8] { messages.flatMap { Keccak256.hash($0) } }

    @Test(arguments: [false, true]) func everyPathMatchesSingleStream(vectorized: Bool) throws {
        if vectorized && !Keccak256.batchIsVectorized {
            print("skipped: this CPU has no AVX-512F, so the eight-way path cannot run here")
            return
        }
        for count in [0, 1, 2, 7, 8, 9, 16, 17, 100] {
            let messages = Self.messages(count: count, seed: UInt64(count))
            #expect(Keccak256.hash(batch: messages, vectorized: vectorized) == Self.oneByOne(messages), "\(count) messages")
        }
    }

    @Test func knownAnswer() {
        // keccak256("") and keccak256("abc").
        let digests = Keccak256.hash(batch: [[], Array("abc".utf8)[...]])
        #expect(Hex.encode(digests[0..<32]) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hex.encode(digests[32..<64]) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }
}

@Suite struct KeccakMisuseTests {
    /// An output longer than a digest gets the 32 digest bytes; the rest is left alone.
    @Test func finalizeIntoALargerBuffer() {
        var output = [UInt8](repeating: 0xee, count: 40)
        output.withUnsafeMutableBytes { Keccak256().finalize(into: $0) }
        #expect(Array(output[0..<32]) == Keccak256.hash([UInt8]()))
        #expect(output[32...].allSatisfy { $0 == 0xee })
    }
}
