// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing

/// `Vectors/eth/pyevm.json`: transactions signed by eth-account and decoded by py-evm, py-evm headers of every
/// fork, and eth messages built from them (Tools/gen-vectors/gen_eth_pyevm.py). Every value our codecs compute
/// must equal what those independent implementations computed.
@Suite struct PyEVMCrossCheckTests {
    static func file() throws -> [String: Any] {
        try #require(try Vectors.project("eth/pyevm.json") as? [String: Any])
    }

    static func entries(_ key: String) throws -> [[String: Any]] {
        try #require(try file()[key] as? [[String: Any]])
    }

    @Test func transactionsOfEveryType() throws {
        let entries = try Self.entries("transactions")
        #expect(entries.count == 48)
        var types = Set<Int>()
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let tx = try Transaction(binary: bytes)
            types.insert(Int(tx.type.rawValue))
            #expect(Int(tx.type.rawValue) == entry["type"] as? Int, "\(id)")
            #expect(tx.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(id)")
            #expect(tx.signingHash.description == "0x" + (EthVectors.hex(entry["signingHash"]) ?? ""), "\(id)")
            #expect((try tx.sender()).description == "0x" + (EthVectors.hex(entry["sender"]) ?? ""), "\(id)")
            #expect(tx.chainID == EthVectors.uint256(entry["chainId"]), "\(id)")
            #expect(tx.nonce == EthVectors.uint64(entry["nonce"]), "\(id)")
            #expect(tx.gasLimit == EthVectors.uint64(entry["gas"]), "\(id)")
            #expect(tx.value == EthVectors.uint256(entry["value"]), "\(id)")
            #expect(Hex.encode(tx.to?.bytes ?? []) == EthVectors.hex(entry["to"]), "\(id)")
            #expect(tx.data.count == entry["dataLength"] as? Int, "\(id)")
            #expect(Array(tx.encoded) == bytes && tx.canonicalEncoding == bytes, "\(id)")
            if let authorities = entry["authorities"] as? [String] {
                #expect(try tx.authorizations.map { try $0.authority().description } == authorities.map { "0x" + $0 }, "\(id)")
            }
        }
        #expect(types == [0, 1, 2, 3, 4])
    }

    @Test func networkFormBlobTransaction() throws {
        let entry = try #require(try Self.entries("network_form").first)
        let bytes = try Vectors.bytes(entry["hex"])
        let tx = try Transaction(binary: bytes)
        #expect(tx.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""))
        #expect(tx.canonicalEncoding == (try Vectors.bytes(entry["canonicalHex"])))
        #expect((try tx.sender()).description == "0x" + (EthVectors.hex(entry["sender"]) ?? ""))
        #expect(tx.sidecar?.blobs.count == entry["blobs"] as? Int)
        #expect(Array(tx.encoded) == bytes)
    }

    @Test func headersOfEveryFork() throws {
        let entries = try Self.entries("headers")
        #expect(entries.count == 20)
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let header = try BlockHeader(rlpEncoded: bytes)
            #expect(header.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(id)")
            #expect(header.number == EthVectors.uint64(entry["number"]), "\(id)")
            #expect(header.base.timestamp == EthVectors.uint64(entry["timestamp"]), "\(id)")
            #expect(header.fieldCount == entry["fieldCount"] as? Int, "\(id)")
            #expect(header.impliedFork.hasPrefix(entry["fork"] as? String ?? "?"), "\(id): \(header.impliedFork)")
            #expect(header.rlpEncoded() == bytes, "\(id)")
        }
    }

    @Test func messagesDecodeAndReencode() throws {
        for entry in try Self.entries("messages") {
            let id = entry["id"] as? String ?? "?"
            let payload = try Vectors.bytes(entry["payload"])
            let code = try #require(EthVectors.uint64(entry["code"]))
            let summary = entry["summary"] as? [String: Any] ?? [:]
            for version in try #require(entry["versions"] as? [Int]) {
                let message = try EthMessage(version: UInt(version), code: code, payload: payload)
                #expect(message.name == entry["name"] as? String, "\(id)")
                #expect(message.requestID == EthVectors.uint64(entry["requestId"]), "\(id)")
                #expect(message.encoded(version: UInt(version)) == payload, "\(id) eth/\(version) re-encodes")
                let hashes = (summary["hashes"] as? [String])?.map { "0x" + $0 }
                switch message {
                case .transactions(let txs), .pooledTransactions(_, let txs):
                    #expect(txs.map { $0.hash.description } == hashes, "\(id)")
                    #expect(txs.hashes.map { $0.description } == hashes, "\(id) as a batch")
                case .newPooledTransactionHashes(let announcement):
                    #expect(announcement.hashes.map { $0.description } == hashes && announcement.isConsistent, "\(id)")
                case .blockHeaders(_, let headers):
                    #expect(headers.map { $0.hash.description } == hashes, "\(id)")
                    #expect(headers.hashes.map { $0.description } == hashes, "\(id) as a batch")
                case .getBlockHeaders(_, let request):
                    #expect(request.origin == .hash(try Hash32(hex: summary["originHash"] as? String ?? "")), "\(id)")
                    #expect(request.amount == 192 && request.skip == 0 && request.reverse, "\(id)")
                case .blockBodies(_, let bodies):
                    #expect(bodies.map(\.transactions.count) == summary["transactions"] as? [Int], "\(id)")
                    #expect(bodies.map(\.ommers.count) == summary["uncles"] as? [Int], "\(id)")
                    #expect(bodies.map { $0.withdrawals?.count } == (summary["withdrawals"] as? [Any])?.map { $0 as? Int }, "\(id)")
                case .receipts(_, _, let blocks):
                    #expect(blocks.map { $0.map { Int($0.cumulativeGasUsed) } } == summary["cumulativeGas"] as? [[Int]], "\(id)")
                    #expect(blocks.map { $0.map(\.logs.count) } == summary["logs"] as? [[Int]], "\(id)")
                default:
                    Issue.record("\(id): unexpected \(message.name)")
                }
            }
        }
    }
}
