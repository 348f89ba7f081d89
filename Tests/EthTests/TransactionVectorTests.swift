// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing

@Suite struct TransactionVectorTests {
    @Test func signedTransactionsHashSignAndRecover() throws {
        let entries = try EthVectors.entries("transactions.json", "transactions")
        #expect(entries.count == 81)
        var recovered = 0
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let tx = try Transaction(binary: bytes)
            #expect(Int(tx.type.rawValue) == entry["type"] as? Int, "\(id)")
            #expect(tx.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(id)")
            #expect(Array(tx.encoded) == bytes, "\(id) keeps its bytes")
            #expect(tx.canonicalEncoding == bytes, "\(id)")
            #expect(tx.chainID == EthVectors.uint256(entry["chainId"]), "\(id) chain ID")
            if let signing = EthVectors.hex(entry["signingHash"]) {
                #expect(tx.signingHash.description == "0x" + signing, "\(id) signing hash")
            }
            if let sender = EthVectors.hex(entry["sender"]) {
                #expect((try tx.sender()).description == "0x" + sender, "\(id) sender")
                recovered += 1
            } else {
                #expect(throws: RLPError(.invalidSignature, "")) { _ = try tx.sender() }
            }
            if let hashes = entry["blobVersionedHashes"] as? [String] {
                #expect(tx.blobVersionedHashes.map { $0.description } == hashes.map { "0x" + $0 }, "\(id)")
            }
            if let authorizations = entry["authorizations"] as? [[String: Any]] {
                #expect(tx.authorizations.count == authorizations.count)
                for (authorization, expected) in zip(tx.authorizations, authorizations) {
                    #expect(authorization.chainID == EthVectors.uint256(expected["chainId"]))
                    #expect(authorization.address.description == "0x" + (EthVectors.hex(expected["address"]) ?? ""))
                    #expect(authorization.nonce == EthVectors.uint64(expected["nonce"]))
                    #expect((try authorization.authority()).description == "0x" + (EthVectors.hex(expected["authority"]) ?? ""))
                }
            }
            // Inside a list (as in Transactions messages) the transaction re-encodes to the same bytes.
            let list = RLPWriter.encode { $0.write([tx]) }
            let back = try [Transaction](rlpEncoded: list)
            #expect(back == [tx] && back[0].hash == tx.hash, "\(id) in a list")
        }
        #expect(recovered == 79)
    }

    @Test func networkFormBlobTransactions() throws {
        let entries = try EthVectors.entries("transactions.json", "network_form")
        #expect(entries.count == 2)
        for entry in entries {
            let bytes = try Vectors.bytes(entry["hex"])
            let tx = try Transaction(binary: bytes)
            let sidecar = try #require(tx.sidecar)
            #expect(sidecar.version == UInt8(try #require(entry["wrapperVersion"] as? Int)))
            #expect(sidecar.blobs.count == entry["blobCount"] as? Int)
            #expect(sidecar.commitments.map { $0.description } == (entry["commitments"] as? [String])?.map { "0x" + $0 })
            #expect(sidecar.proofs.map { $0.description } == (entry["proofs"] as? [String])?.map { "0x" + $0 })
            #expect(tx.canonicalEncoding == (try Vectors.bytes(entry["canonicalHex"])))
            #expect(tx.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""))
            #expect((try tx.sender()).description == "0x" + (EthVectors.hex(entry["sender"]) ?? ""))
            #expect(Array(tx.encoded) == bytes)
            let canonical = try Transaction(binary: tx.canonicalEncoding)
            #expect(canonical.sidecar == nil && canonical.hash == tx.hash)
        }
    }

    @Test func sidecarCountsMustAgree() throws {
        let entry = try #require(try EthVectors.entries("transactions.json", "network_form").first)
        let tx = try Transaction(binary: try Vectors.bytes(entry["hex"]))
        // Rebuild the network form with the proof listed twice: one blob, two proofs.
        let sidecar = try #require(tx.sidecar)
        let broken =
            [UInt8(3)]
            + RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(encoded: Array(tx.canonicalEncoding.dropFirst()))
                    list.writeList { blobs in for blob in sidecar.blobs { blobs.write(bytes: blob) } }
                    list.write(sidecar.commitments)
                    list.write(sidecar.proofs + sidecar.proofs)
                }
            }
        #expect(throws: RLPError(.inconsistent, "")) { _ = try Transaction(binary: broken) }
    }

    /// Batch hashing (eight at a time where the CPU allows) gives every transaction its own hash, network form too.
    @Test func batchHashesMatch() throws {
        var txs: [Transaction] = []
        for key in ["transactions", "network_form"] {
            for entry in try EthVectors.entries("transactions.json", key) {
                txs.append(try Transaction(binary: try Vectors.bytes(entry["hex"])))
            }
        }
        #expect(txs.count == 83)
        #expect(txs.hashes == txs.map { $0.hash })
    }

    @Test func invalidTransactionsAreRejected() throws {
        let entries = try EthVectors.entries("transactions.json", "invalid")
        #expect(entries.count == 111)
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let expect = entry["expect"] as? String
            do {
                let tx = try Transaction(binary: bytes)
                #expect(expect == "reject-or-no-sender", "\(id) (\(entry["exception"] ?? "")) must not decode")
                #expect(throws: RLPError(.invalidSignature, ""), "\(id)") { _ = try tx.sender() }
            } catch {
                #expect(error.offset != nil || error.code == .unexpectedEnd, "\(id): \(error) has an offset")
            }
        }
    }
}
