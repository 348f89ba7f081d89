// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// The blobs go-ethereum's blob tests send, with their KZG data: blob `b` is 131,072 zero bytes with byte 0 set to
/// `b`; its commitment, proof (EIP-4844, sidecar version 0) and versioned hash are copied from
/// `Vectors/ethtest/blobs.json` (made with ckzg; a test checks the copy), so the probe computes no KZG.
public enum BlobFixtures {
    struct Entry: Sendable {
        let commitment: String
        let proof: String
        let versionedHash: String
    }

    /// By blob byte: 0x01 and 0x02 (BlobViolations), 42 and 43 (the two bad-sidecar tests).
    static let entries: [UInt8: Entry] = [
        0x01: Entry(
            commitment: "a70477b56251e8770969c83eaed665d3ab99b96b72270a41009f2752b5c06a06bd089ad48952c12b1dbf83dccd9d373f",
            proof: "b7f576f2442febaa035d3c6f34bbdad6acebcaec70236ff40b3373bd2ca00547d3ca7bb1d0ed3e728ca9dab610a4cfa4",
            versionedHash: "015a4cab4911426699ed34483de6640cf55a568afc5c5edffdcbd8bcd4452f68"),
        0x02: Entry(
            commitment: "a79f86ee3fb1ff906ef7fc788f90f69eda92955a55e66006fad6be9a5ed9bebaffff5ec14a6dc1d67615d12eb4d41d48",
            proof: "82895608697efc72bf5ae02e9218b1a6f624fc5f096a140e7cf38182db6cf9b8df0217b2ecc0fe02cf57ba59b766f906",
            versionedHash: "01817bb919ffce912e99267e06c21027508a0a44c76931d0ae198d5acfc9320c"),
        0x2a: Entry(
            commitment: "a72c02ee98973812c4933565ffe2e8dd47626d561091b97a0613f99c96454af4d58d8b7d0ac32d62dd420722483841f5",
            proof: "a1080d03813590e8a08ae5346a8c6dff422a2172c6645d63e7b733e2d2d8be4e1bb93a27a10ff70ea98a735359301ff1",
            versionedHash: "01a1b0744ae18de180a3bf4badee0f2406152ca858af984ad92eb2e3c7ac2749"),
        0x2b: Entry(
            commitment: "ac438b8684cb8454ded7ae62533c777825c046188ad18d5d222fc6aed1f9ef54f6c3449d495bf5447aca7ee59dd7da7e",
            proof: "87cf623c364eb7dd390c2303adceb07855bee2390a96a8c056c41f9294de28a4eb7b9a11f0da7a3123539af3b6559dd6",
            versionedHash: "01304466864b7429a655982db685e13f5f64fd371147b25cf1ccd6deb7b33eba"),
    ]

    /// The blob bytes in the table.
    public static var bytes: [UInt8] { entries.keys.sorted() }

    /// Blob `byte`: 131,072 zero bytes with byte 0 set.
    public static func blob(_ byte: UInt8) -> [UInt8] { [byte] + [UInt8](repeating: 0, count: BlobSidecar.blobSize - 1) }

    /// Commitment, proof and versioned hash of blob `byte`; nil for a byte not in the table.
    public static func kzg(_ byte: UInt8) -> (commitment: FixedBytes<48>, proof: FixedBytes<48>, versionedHash: Hash32)? {
        guard let entry = entries[byte], let commitment = try? FixedBytes<48>(hex: entry.commitment),
            let proof = try? FixedBytes<48>(hex: entry.proof), let hash = try? Hash32(hex: entry.versionedHash)
        else { return nil }
        return (commitment, proof, hash)
    }

    /// The version-0 sidecar of one blob per byte of `bytes` and its versioned hashes; nil if a byte is not in
    /// the table.
    static func sidecar(_ bytes: [UInt8]) -> (sidecar: BlobSidecar, hashes: [Hash32])? {
        var kzg: [(commitment: FixedBytes<48>, proof: FixedBytes<48>, versionedHash: Hash32)] = []
        for byte in bytes {
            guard let entry = Self.kzg(byte) else { return nil }
            kzg.append(entry)
        }
        let sidecar = BlobSidecar(blobs: bytes.map(blob), commitments: kzg.map(\.commitment), proofs: kzg.map(\.proof))
        return (sidecar, kzg.map(\.versionedHash))
    }
}
