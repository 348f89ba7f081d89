// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxTestSupport
import Testing

@Suite struct KeccakTests {
    @Test func knownAnswers() {
        #expect(Hex.encode(Keccak256.hash([UInt8]())) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Hex.encode(Keccak256.hash(Array("abc".utf8))) == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(Hex.encode(Keccak256.hash(million)) == "fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96")
    }

    /// Not SHA3-256: FIPS 202 pads with 0x06, and SHA3-256("") is a7ffc6f8…
    @Test func isNotSHA3() {
        #expect(!Hex.encode(Keccak256.hash([UInt8]())).hasPrefix("a7ffc6f8"))
    }

    @Test func agreesWithPyCryptodome() throws {
        let file = try #require(try Vectors.project("keccak/pycryptodome.json") as? [String: Any])
        let cases = try #require(file["cases"] as? [[String: String]])
        #expect(cases.count > 50)
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            #expect(Hex.encode(Keccak256.hash(input)) == testCase["keccak256"], "\(input.count) bytes")
        }
    }

    /// Absorbing in pieces, and peeking mid-stream, gives what hashing at once gives.
    @Test func incrementalAndPeekingAgreeWithOneShot() throws {
        let file = try #require(try Vectors.project("keccak/pycryptodome.json") as? [String: Any])
        let cases = try #require(file["incremental"] as? [[String: Any]])
        for testCase in cases {
            let input = try Vectors.bytes(testCase["input"])
            let cuts = try #require(testCase["cuts"] as? [Int])
            var hasher = Keccak256()
            var start = 0
            for cut in cuts {
                hasher.update(input[start..<cut])
                #expect(hasher.finalize() == Keccak256.hash(input[..<cut]), "peek at \(cut)")
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
}
