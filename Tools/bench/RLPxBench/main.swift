// SPDX-License-Identifier: Apache-2.0
// rlpx-bench: our side of the benchmark. Tools/bench/run.sh runs it beside Python's rlp and OpenSSL and prints
// the ratios; run it alone with `swift run -c release rlpx-bench [--write-inputs DIR]`.
import COpenSSL
import Foundation
import Keccak
import RLP

nonisolated(unsafe) var sink: UInt64 = 0

/// Seconds per call of `body`: the best of several batches, each at least `minimum` seconds long.
func measure(minimum: Double = 0.05, batches: Int = 7, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var iterations = 1
    while true {
        let elapsed = try clock.measure { for _ in 0..<iterations { try body() } }
        if seconds(elapsed) >= minimum { break }
        iterations *= 2
    }
    var best = Double.infinity
    for _ in 0..<batches {
        let elapsed = try clock.measure { for _ in 0..<iterations { try body() } }
        best = min(best, seconds(elapsed) / Double(iterations))
    }
    return best
}

/// OpenSSL's SHA3-256 at its fastest: the digest fetched once and one context reused, so the reference pays no
/// per-call lookup or allocation (`EVP_Digest` with `EVP_sha3_256()` does both).
final class OpenSSLSHA3 {
    private let md = EVP_MD_fetch(nil, "SHA3-256", nil)
    private let context = EVP_MD_CTX_new()
    deinit {
        EVP_MD_CTX_free(context)
        EVP_MD_free(md)
    }
    func digest(_ bytes: [UInt8], into digest: inout [UInt8], length: inout UInt32) {
        _ = EVP_DigestInit_ex2(context, md, nil)
        _ = EVP_DigestUpdate(context, bytes, bytes.count)
        _ = EVP_DigestFinal_ex(context, &digest, &length)
    }
}
nonisolated(unsafe) let sha3 = OpenSSLSHA3()

/// Seconds per call of each body, best of `batches` rounds in which the bodies take turns.
func measureInterleaved(minimum: Double = 0.05, batches: Int = 9, _ bodies: [() -> Void]) -> [Double] {
    let clock = ContinuousClock()
    let iterations = bodies.map { body in
        var count = 1
        while seconds(clock.measure { for _ in 0..<count { body() } }) < minimum { count *= 2 }
        return count
    }
    var best = [Double](repeating: .infinity, count: bodies.count)
    for _ in 0..<batches {
        for (index, body) in bodies.enumerated() {
            let elapsed = clock.measure { for _ in 0..<iterations[index] { body() } }
            best[index] = min(best[index], seconds(elapsed) / Double(iterations[index]))
        }
    }
    return best
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// One result line: name, seconds per operation, bytes per operation.
func report(_ name: String, _ secondsPerOp: Double, bytes: Int) {
    print(String(format: "%@\t%.9f\t%d", name, secondsPerOp, bytes))
}

let arguments = CommandLine.arguments
/// Which groups to run: any of rlp, keccak, frames, handshake, messages, eth (all when none is named).
let groups = Set(arguments.dropFirst().filter { ["rlp", "keccak", "frames", "handshake", "messages", "eth"].contains($0) })
func runs(_ group: String) -> Bool { groups.isEmpty || groups.contains(group) }

let workloads = Workloads()
if let index = arguments.firstIndex(of: "--write-inputs"), index + 1 < arguments.count {
    let directory = arguments[index + 1]
    for (name, bytes) in [
        ("hashes", workloads.hashesEncoded), ("headers", workloads.headersEncoded),
        ("blob", workloads.blobEncoded), ("integers", workloads.integersEncoded),
    ] {
        _ = FileManager.default.createFile(atPath: "\(directory)/\(name).rlp", contents: Data(bytes))
    }
}

if runs("rlp") { try rlpBenchmarks() }
if runs("keccak") { keccakBenchmarks() }
if runs("frames") { frameBenchmarks() }
if runs("handshake") { handshakeBenchmarks() }
if runs("messages") { messageBenchmarks() }
if runs("eth") { try ethBenchmarks() }
FileHandle.standardError.write(Data("(checksum \(sink))\n".utf8))

// The memcpy floor for (a) and (c): copying the same bytes.
func copyFloor(_ bytes: [UInt8]) -> Double {
    var destination = [UInt8](repeating: 0, count: bytes.count)
    return measure {
        destination.withUnsafeMutableBytes { to in bytes.withUnsafeBytes { to.copyMemory(from: $0) } }
        sink &+= UInt64(destination[bytes.count / 2])
    }
}

func rlpBenchmarks() throws {
    // (a) 10,000 hashes
    let hashes = workloads.hashesEncoded
    report("memcpy.hashes", copyFloor(hashes), bytes: hashes.count)
    report("rlp.hashes.validate", try measure { try RLP.validate(hashes) }, bytes: hashes.count)
    report(
        "rlp.hashes.decode",
        try measure { sink &+= UInt64(try [InlineArray<32, UInt8>](rlpEncoded: hashes).count) }, bytes: hashes.count)
    report("rlp.hashes.encode", measure { sink &+= UInt64(workloads.hashes.rlpEncoded().count) }, bytes: hashes.count)

    // (b) 1,000 headers
    let headers = workloads.headersEncoded
    report("rlp.headers.validate", try measure { try RLP.validate(headers) }, bytes: headers.count)
    report(
        "rlp.headers.decode", try measure { sink &+= UInt64(try [BenchHeader](rlpEncoded: headers).count) },
        bytes: headers.count)
    report("rlp.headers.encode", measure { sink &+= UInt64(workloads.headers.rlpEncoded().count) }, bytes: headers.count)

    // (c) one 1 MiB string
    let blob = workloads.blobEncoded
    report("memcpy.blob", copyFloor(blob), bytes: blob.count)
    report("rlp.blob.validate", try measure { try RLP.validate(blob) }, bytes: blob.count)
    report(
        "rlp.blob.decode", try measure { sink &+= UInt64(try [UInt8](rlpEncoded: blob)[1000]) }, bytes: blob.count)
    report("rlp.blob.encode", measure { sink &+= UInt64(workloads.blob.rlpEncoded().count) }, bytes: blob.count)

    // (d) 100,000 small integers
    let integers = workloads.integersEncoded
    report("rlp.integers.validate", try measure { try RLP.validate(integers) }, bytes: integers.count)
    report(
        "rlp.integers.decode", try measure { sink &+= try [UInt64](rlpEncoded: integers)[5] }, bytes: integers.count)
    report("rlp.integers.encode", measure { sink &+= UInt64(workloads.integers.rlpEncoded().count) }, bytes: integers.count)

}

func keccakBenchmarks() {
    // Each permutation this CPU has, beside OpenSSL's SHA3-256 (the same Keccak-f[1600]) on the same bytes, in
    // the same process and interleaved, so a noisy neighbour slows both sides alike.
    let permutations = Keccak256.Permutation.allCases.filter(\.isAvailable)
    for size in [32, 136, 1024, 16384] {
        var random = BenchRandom(seed: UInt64(size))
        let input = random.bytes(size)
        var digest = [UInt8](repeating: 0, count: 32)
        var bodies: [() -> Void] = permutations.map { permutation in
            {
                var hasher = Keccak256(permutation: permutation)
                hasher.update(input)
                digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
                sink &+= UInt64(digest[0])
            }
        }
        bodies.append {
            var length: UInt32 = 0
            sha3.digest(input, into: &digest, length: &length)
            sink &+= UInt64(digest[0])
        }
        let times = measureInterleaved(bodies)
        for (permutation, time) in zip(permutations, times) { report("keccak.\(permutation).\(size)", time, bytes: size) }
        report("openssl.sha3.\(size)", times[permutations.count], bytes: size)
    }
    // 1,024 messages of 200 bytes: one by one, and as a batch (eight at a time with AVX-512).
    var random = BenchRandom(seed: 200)
    let messages = (0..<1024).map { _ in random.bytes(200)[...] }
    report("keccak.single.200", measure { for message in messages { sink &+= UInt64(Keccak256.hash(message)[0]) } }, bytes: 200 * 1024)
    report("keccak.batch.200", measure { sink &+= UInt64(Keccak256.hash(batch: messages)[0]) }, bytes: 200 * 1024)
    // One pass of the replay's lockstep MAC steps: one to four independent hashes absorbing a block each, in one
    // Keccak256.permute call (on AVX-512 two to four states share a pass).
    let block = random.bytes(Keccak256.rate)
    var hashes = (0..<4).map { _ in Keccak256() }
    for count in 1...4 {
        let time = hashes.withUnsafeMutableBufferPointer { hashes -> Double in
            guard let base = hashes.baseAddress else { return 0 }
            let steps = (0..<count).map { Keccak256.Step.absorb(base + $0) }
            return measure {
                for index in 0..<count { block.withUnsafeBytes { _ = hashes[index].buffer($0) } }
                steps.withUnsafeBufferPointer { steps in
                    if let first = steps.baseAddress { Keccak256.permute(first, count: count) }
                }
            }
        }
        report("keccak.pass.\(count)", time, bytes: Keccak256.rate * count)
    }
    sink &+= UInt64(hashes[0].finalize()[0])
}
