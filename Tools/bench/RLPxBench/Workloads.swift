// SPDX-License-Identifier: Apache-2.0
import RLP

/// A block-header-like record of 15 fields, as the benchmark decodes and encodes it.
struct BenchHeader: RLPCodable {
    var parentHash: InlineArray<32, UInt8>
    var uncleHash: InlineArray<32, UInt8>
    var coinbase: InlineArray<20, UInt8>
    var stateRoot: InlineArray<32, UInt8>
    var transactionsRoot: InlineArray<32, UInt8>
    var receiptsRoot: InlineArray<32, UInt8>
    var bloom: InlineArray<256, UInt8>
    var difficulty: UInt256
    var number: UInt64
    var gasLimit: UInt64
    var gasUsed: UInt64
    var time: UInt64
    var extra: [UInt8]
    var mixDigest: InlineArray<32, UInt8>
    var nonce: InlineArray<8, UInt8>

    func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(parentHash)
            list.write(uncleHash)
            list.write(coinbase)
            list.write(stateRoot)
            list.write(transactionsRoot)
            list.write(receiptsRoot)
            list.write(bloom)
            list.write(difficulty)
            list.write(number)
            list.write(gasLimit)
            list.write(gasUsed)
            list.write(time)
            list.write(extra)
            list.write(mixDigest)
            list.write(nonce)
        }
    }

    init(rlp reader: inout RLPReader) throws(RLPError) {
        var list = try reader.listReader()
        parentHash = try list.read(field: "parentHash")
        uncleHash = try list.read(field: "uncleHash")
        coinbase = try list.read(field: "coinbase")
        stateRoot = try list.read(field: "stateRoot")
        transactionsRoot = try list.read(field: "transactionsRoot")
        receiptsRoot = try list.read(field: "receiptsRoot")
        bloom = try list.read(field: "bloom")
        difficulty = try list.read(field: "difficulty")
        number = try list.read(field: "number")
        gasLimit = try list.read(field: "gasLimit")
        gasUsed = try list.read(field: "gasUsed")
        time = try list.read(field: "time")
        extra = try list.read(field: "extra")
        mixDigest = try list.read(field: "mixDigest")
        nonce = try list.read(field: "nonce")
        try list.finish()
    }

    init(seed: UInt64) {
        var random = BenchRandom(seed: seed)
        func fixed<let N: Int>() -> InlineArray<N, UInt8> { InlineArray { _ in random.byte() } }
        parentHash = fixed()
        uncleHash = fixed()
        coinbase = fixed()
        stateRoot = fixed()
        transactionsRoot = fixed()
        receiptsRoot = fixed()
        bloom = fixed()
        difficulty = UInt256(bigEndianBytes: [0x0c, 0x70, 0xd8, 0x15, 0xd5, 0x62, 0xd3, 0xcf, 0xa9, 0x55]) ?? .zero
        number = 20_000_000 &+ seed
        gasLimit = 30_000_000
        gasUsed = 12_345_678 &+ seed
        time = 1_700_000_000 &+ seed * 12
        extra = Array("swift-rlpx benchmark".utf8)
        mixDigest = fixed()
        nonce = fixed()
    }
}

/// SplitMix64, so every run benchmarks the same bytes.
struct BenchRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}

/// The four RLP inputs of the benchmark, built the same way every run.
struct Workloads {
    let hashes: [InlineArray<32, UInt8>]
    let hashesEncoded: [UInt8]
    let headers: [BenchHeader]
    let headersEncoded: [UInt8]
    let blob: [UInt8]
    let blobEncoded: [UInt8]
    let integers: [UInt64]
    let integersEncoded: [UInt8]

    init() {
        var random = BenchRandom(seed: 1)
        hashes = (0..<10_000).map { _ in InlineArray { _ in random.byte() } }
        hashesEncoded = hashes.rlpEncoded()
        headers = (0..<1_000).map { BenchHeader(seed: UInt64($0)) }
        headersEncoded = headers.rlpEncoded()
        blob = random.bytes(1 << 20)
        blobEncoded = blob.rlpEncoded()
        // Small integers of 1 to 4 bytes, as counts, nonces and gas values are.
        integers = (0..<100_000).map { _ in random.next() >> (32 + random.next() % 32) }
        integersEncoded = integers.rlpEncoded()
    }
}
