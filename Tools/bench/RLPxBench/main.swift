// SPDX-License-Identifier: Apache-2.0
// rlpx-bench: our side of the benchmark. Tools/bench/run.sh runs it beside Python's rlp and OpenSSL and prints
// the ratios; run it alone with `swift run -c release rlpx-bench [--write-inputs DIR]`.
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
    for size in [32, 1024, 16384] {
        var random = BenchRandom(seed: UInt64(size))
        let input = random.bytes(size)
        report("keccak.\(size)", measure { sink &+= UInt64(Keccak256.hash(input)[0]) }, bytes: size)
    }
    // 1,024 messages of 200 bytes: one by one, and as a batch (eight at a time with AVX-512).
    var random = BenchRandom(seed: 200)
    let messages = (0..<1024).map { _ in random.bytes(200)[...] }
    report("keccak.single.200", measure { for message in messages { sink &+= UInt64(Keccak256.hash(message)[0]) } }, bytes: 200 * 1024)
    report("keccak.batch.200", measure { sink &+= UInt64(Keccak256.hash(batch: messages)[0]) }, bytes: 200 * 1024)
}
