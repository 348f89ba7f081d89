// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxTestSupport
import Testing

/// Every test that checks digests runs once per permutation (each forced), so every path this CPU has is checked
/// against the same vectors on every run.
@Suite struct KeccakTests {
    /// The digest of `input` on `permutation`.
    static func hash(_ input: some Collection<UInt8>, _ permutation: Keccak256.Permutation) -> [UInt8] {
        var hasher = Keccak256(permutation: permutation)
        hasher.update(input)
        return hasher.finalize()
    }

    /// Whether `permutation` runs here; prints why the test is skipped when it does not.
    static func runs(_ permutation: Keccak256.Permutation) -> Bool {
        if !permutation.isAvailable { print("skipped: this CPU cannot run the \(permutation) permutation") }
        return permutation.isAvailable
    }

    @Test func fastestIsAvailable() {
        #expect(Keccak256.Permutation.fastest.isAvailable)
        #expect(Keccak256.Permutation.portable.isAvailable)
    }

    @Test(arguments: Keccak256.Permutation.allCases) func knownAnswers(permutation: Keccak256.Permutation) {
        guard Self.runs(permutation) else { return }
        #expect(Hex.encode(Self.hash([UInt8](), permutation)) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hex.encode(Self.hash(Array("abc".utf8), permutation)) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Hex.encode(Self.hash(million, permutation)) == "fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96")
    }

    /// Not SHA3-256: FIPS 202 pads with 0x06, and SHA3-256("") is a7ffc6f8…
    @Test func isNotSHA3() {
        #expect(!Hex.encode(Keccak256.hash([UInt8]())).hasPrefix("a7ffc6f8"))
    }

    @Test(arguments: Keccak256.Permutation.allCases) func agreesWithPyCryptodome(permutation: Keccak256.Permutation) throws {
        guard Self.runs(permutation) else { return }
        let file = try #require(try Vectors.project("keccak/pycryptodome.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: String]])
        #expect(cases.count > 50)
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            #expect(Hex.encode(Self.hash(input, permutation)) == testCase["keccak256"], "\(input.count) bytes")
        }
    }

    /// Absorbing in pieces, and peeking mid-stream, gives what hashing at once gives.
    @Test(arguments: Keccak256.Permutation.allCases)
    func incrementalAndPeekingAgreeWithOneShot(permutation: Keccak256.Permutation) throws {
        guard Self.runs(permutation) else { return }
        let file = try #require(try Vectors.project("keccak/pycryptodome.json") as? [String: Any])
        let cases = try #require(file["incremental"] as? [[String: Any]])
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            let cuts = try #require(testCase["cuts"] as? [Int])
            var hasher = Keccak256(permutation: permutation)
            var start = 0
            for cut in cuts {
                hasher.update(input[start..<cut])
                #expect(hasher.finalize() == Self.hash(input[..<cut], permutation), "peek at \(cut)")
                start = cut
            }
            hasher.update(input[start...])
            #expect(Hex.encode(hasher.finalize()) == testCase["keccak256"] as? String)
        }
    }

    @Test func copiesForkTheRunningState() {
        var a = Keccak256()
        a.update(Array("foo".utf8))
        var b = a
        b.update(Array("bar".utf8))
        a.update(Array("baz".utf8))
        #expect(a.finalize() == Keccak256.hash(Array("foobaz".utf8)))
        #expect(b.finalize() == Keccak256.hash(Array("foobar".utf8)))
    }

    @Test func byteAtATimeMatchesOneShot() {
        var random = SeededRandom(seed: 3)
        let input = random.bytes(700)
        var hasher = Keccak256()
        for byte in input { hasher.update([byte]) }
        #expect(hasher.finalize() == Keccak256.hash(input))
        // A non-contiguous collection takes the copying path.
        var lazyHasher = Keccak256()
        lazyHasher.update(input.lazy.map { $0 })
        #expect(lazyHasher.finalize() == Keccak256.hash(input))
    }

    /// The digests before and after absorbing, taken together (two states per AVX-512 pass), equal the three
    /// steps one after the other, for every permutation, wherever the bytes start and end relative to a block.
    @Test(arguments: Keccak256.Permutation.allCases.filter(\.isAvailable))
    func pairedDigestEqualsSequential(permutation: Keccak256.Permutation) {
        var random = SeededRandom(seed: 12)
        for prefix in [0, 1, 15, 16, 100, 119, 120, 135, 136, 137, 300] {
            for length in [0, 1, 16, 19, 20, 35, 36, 80, 96, 135, 136, 137, 272, 400] {
                var hash = Keccak256(permutation: permutation)
                hash.update(random.bytes(prefix))
                let before = hash.finalize()
                let bytes = random.bytes(length)
                var expected = hash
                expected.update(bytes)
                var digest = [UInt8](repeating: 0, count: 32)
                var own = [UInt8](repeating: 0, count: 16)
                digest.withUnsafeMutableBytes { digest in
                    own.withUnsafeMutableBytes { own in
                        bytes.withUnsafeBytes { hash.update($0, digestBefore: digest, digestAfter: own) }
                    }
                }
                #expect(digest == before, "prefix \(prefix), \(length) bytes")
                #expect(own == Array(expected.finalize().prefix(16)), "prefix \(prefix), \(length) bytes")
                // The hash absorbed the bytes and goes on as the sequential one does.
                let more = random.bytes(50)
                hash.update(more)
                expected.update(more)
                #expect(hash.finalize() == expected.finalize(), "prefix \(prefix), \(length) bytes")
            }
        }
    }

    /// Every available permutation gives the same digests over lengths around the rate and multi-block inputs.
    @Test func permutationsAgree() {
        var random = SeededRandom(seed: 11)
        let available = Keccak256.Permutation.allCases.filter(\.isAvailable)
        for length in [0, 1, 31, 32, 135, 136, 137, 271, 272, 273, 1000, 4096, 16384] {
            let input = random.bytes(length)
            let digests = available.map { Self.hash(input, $0) }
            #expect(Set(digests).count == 1, "\(length) bytes")
        }
    }
}
