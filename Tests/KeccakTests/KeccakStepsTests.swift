// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLPxTestSupport
import Testing

/// Keccak-256 in steps (buffer, set a digest aside, run up to four permutations in one pass) gives the digests of
/// the one-call API.
@Suite struct KeccakStepsTests {
    /// Absorbs `inputs[i]` into `hashes[i]` in steps, the full blocks of all hashes permuted in one pass; returns
    /// the digest of each hash as it was before, computed in the first pass beside the absorbs that change the
    /// states it reads (in a pass of its own when they do not all fit).
    private func absorbTogether(_ hashes: inout [Keccak256], _ inputs: [[UInt8]], kernel: Keccak256.PassKernel) -> [[UInt8]] {
        var taken = Array(repeating: 0, count: hashes.count)
        var before = Array(repeating: PendingDigest(), count: hashes.count)
        hashes.withUnsafeMutableBufferPointer { hashes in
            before.withUnsafeMutableBufferPointer { before in
                func hash(_ index: Int) -> UnsafeMutablePointer<Keccak256> { hashes.baseAddress! + index }
                var digests = hashes.indices.map { Keccak256.Step.digest(of: UnsafePointer(hash($0)), into: before.baseAddress! + $0) }
                for index in hashes.indices { hashes[index].prepareDigest(before.baseAddress! + index) }
                while true {
                    for index in hashes.indices {
                        inputs[index].withUnsafeBytes { taken[index] += hashes[index].buffer(UnsafeRawBufferPointer(rebasing: $0[taken[index]...])) }
                    }
                    var steps = hashes.indices.filter { hashes[$0].isBlockFull }.map { Keccak256.Step.absorb(hash($0)) }
                    if !digests.isEmpty && steps.count + digests.count > 4 {
                        digests.withUnsafeBufferPointer { Keccak256.permute($0.baseAddress!, count: $0.count, kernel: kernel) }
                        digests = []
                    }
                    steps += digests
                    digests = []
                    guard !steps.isEmpty else { break }
                    steps.withUnsafeBufferPointer { Keccak256.permute($0.baseAddress!, count: $0.count, kernel: kernel) }
                }
            }
        }
        return before.map { digest in
            var digest = digest
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes.withUnsafeMutableBytes { digest.squeeze(into: $0) }
            return bytes
        }
    }

    /// Every pass kernel this CPU has (AVX-512 machines run the AVX2 one too), over hashes on every permutation.
    @Test(arguments: Keccak256.Permutation.allCases.filter(\.isAvailable), [1, 2, 3, 4])
    func stepsEqualOneCall(permutation: Keccak256.Permutation, lanes: Int) {
        for kernel in Keccak256.PassKernel.allCases.filter(\.isAvailable) {
            stepsEqualOneCall(permutation: permutation, lanes: lanes, kernel: kernel)
        }
    }

    private func stepsEqualOneCall(permutation: Keccak256.Permutation, lanes: Int, kernel: Keccak256.PassKernel) {
        var random = SeededRandom(seed: UInt64(40 + lanes))
        for round in 0..<40 {
            let prefixes = (0..<lanes).map { lane in random.bytes([0, 1, 100, 135, 136, 137][(round + lane) % 6]) }
            let inputs = (0..<lanes).map { lane in random.bytes([0, 1, 35, 36, 135, 136, 137, 271, 272, 500][(round + 3 * lane) % 10] + round) }
            var hashes = prefixes.map { prefix in
                var hash = Keccak256(permutation: permutation)
                hash.update(prefix)
                return hash
            }
            let before = absorbTogether(&hashes, inputs, kernel: kernel)
            #expect(before == prefixes.map { Keccak256.hash($0) }, "\(kernel), round \(round)")
            #expect(hashes.map { $0.finalize() } == zip(prefixes, inputs).map { Keccak256.hash($0 + $1) }, "\(kernel), round \(round)")
        }
    }

    @Test func bufferStopsAtTheBlockEnd() {
        var hash = Keccak256()
        let bytes = [UInt8](repeating: 7, count: 200)
        #expect(bytes.withUnsafeBytes { hash.buffer(UnsafeRawBufferPointer(rebasing: $0[0..<100])) } == 100)
        #expect(bytes.withUnsafeBytes { hash.buffer($0) } == 36)
        #expect(hash.isBlockFull)
        #expect(bytes.withUnsafeBytes { hash.buffer($0) } == 0)
    }
}

/// `RLPX_CPU=avx2` sets the AVX-512 kernels aside (what an AVX2-only CPU runs); nothing else does.
@Suite struct CPUFeaturesTests {
    @Test func onlyAVX2SetsAVX512Aside() {
        #expect(CPUFeatures.setsAVX512Aside("avx2"))
        for value in [nil, "", "avx512", "AVX2", "avx2 "] { #expect(!CPUFeatures.setsAVX512Aside(value)) }
        #expect(Keccak256.Permutation.fastest == (Keccak256.Permutation.avx512.isAvailable ? .avx512 : .portable))
        if CPUFeatures.avx512SetAside { #expect(!Keccak256.Permutation.avx512.isAvailable && !Keccak256.batchIsVectorized) }
    }
}
