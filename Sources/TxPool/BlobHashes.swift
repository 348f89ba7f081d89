// SPDX-License-Identifier: Apache-2.0
import COpenSSL
import Eth
import RLP

/// EIP-4844 versioned hashes, with SHA-256 from Debian's OpenSSL (the library RLPxCrypto links).
public enum BlobHashes {
    /// The version byte of KZG commitments (`VERSIONED_HASH_VERSION_KZG`).
    public static let kzgVersion: UInt8 = 0x01

    /// `0x01 ‖ sha256(commitment)[1...]`.
    public static func versionedHash(commitment: FixedBytes<48>) -> Hash32 {
        var digest = sha256(commitment.bytes)
        digest[0] = kzgVersion
        return Hash32(digest) ?? Hash32()
    }

    /// SHA-256 of `bytes`; all zeros in the (allocation) failure case OpenSSL reports, which matches no hash.
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = EVP_Digest(input, input.count, &output, &length, EVP_sha256(), nil)
        return ok == 1 ? output : [UInt8](repeating: 0, count: 32)
    }

    /// The first index whose commitment does not hash to the transaction's versioned hash, with the computed hash.
    static func firstMismatch(_ sidecar: BlobSidecar, hashes: [Hash32]) -> (index: Int, computed: Hash32)? {
        for (index, hash) in hashes.enumerated() {
            guard index < sidecar.commitments.count else { return nil }
            let computed = versionedHash(commitment: sidecar.commitments[index])
            if computed != hash { return (index, computed) }
        }
        return nil
    }
}
