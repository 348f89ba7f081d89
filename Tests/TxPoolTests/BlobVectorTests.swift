// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing
import TxPool

/// `Vectors/ethtest/blobs.json` (ckzg 2.1.8): every versioned hash is 0x01 ‖ sha256(commitment)[1...], recomputed
/// here with OpenSSL's SHA-256.
@Suite struct BlobVectorTests {
    @Test func versionedHashesAreSHA256OfTheCommitments() throws {
        guard let document = try Vectors.project("ethtest/blobs.json") as? [String: Any],
            let entries = document["blobs"] as? [[String: Any]]
        else {
            Issue.record("blobs.json has another shape")
            return
        }
        #expect(document["ckzg"] as? String == "2.1.8")
        #expect(entries.count == 256)
        var checked = 0
        for (index, entry) in entries.enumerated() {
            #expect(entry["byte"] as? Int == index)
            guard entry["commitment"] is String else {
                #expect(index >= 0x74, "only blobs whose first field element passes the modulus have no commitment")
                continue
            }
            let commitment = try #require(FixedBytes<48>(try Vectors.bytes(entry["commitment"])))
            let expected = try Vectors.bytes(entry["versionedHash"])
            #expect(BlobHashes.versionedHash(commitment: commitment).bytes == expected, "blob \(index)")
            #expect(try Vectors.bytes(entry["proof"]).count == 48)
            checked += 1
        }
        #expect(checked == 0x74)
    }

    @Test func sha256KnownAnswers() {
        #expect(Hex.encode(BlobHashes.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(BlobHashes.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The point at infinity (0xc0 ‖ zeros) commits to the all-zero blob; its versioned hash is well known.
    @Test func zeroBlob() throws {
        let infinity = try #require(FixedBytes<48>([0xc0] + [UInt8](repeating: 0, count: 47)))
        #expect(
            BlobHashes.versionedHash(commitment: infinity).description
                == "0x010657f37554c781402a22917dee2f75def7ab966d7b770905398eba3c444014")
    }
}
