// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Snap
import Testing

@Suite struct MessageVectorTests {
    /// Every eth payload decodes under each version it lists, with its name and request id, and re-encodes to the
    /// same bytes; eth/66-only messages are unknown on eth/68+.
    @Test func ethMessagesDecodeAndReEncode() throws {
        var checked = 0
        for entry in try EthVectors.entries("messages.json", "messages") where entry["protocol"] as? String == "eth" {
            let id = entry["id"] as? String ?? "?"
            let payload = try Vectors.bytes(entry["payload"])
            let code = try #require(EthVectors.uint64(entry["code"]))
            for version in try #require(entry["versions"] as? [Int]).map(UInt.init) {
                guard EthVersion.supported.contains(version) else {
                    #expect(throws: RLPError(.unknownMessage, ""), "\(id)") {
                        _ = try EthMessage(version: 68, code: code, payload: payload)
                    }
                    continue
                }
                let message = try EthMessage(version: version, code: code, payload: payload)
                #expect(message.name == entry["name"] as? String, "\(id)")
                #expect(message.code == code)
                #expect(message.requestID == EthVectors.uint64(entry["requestId"]), "\(id) request id")
                #expect(message.encoded(version: version) == payload, "\(id) on eth/\(version) re-encodes")
                try Self.checkSummary(message, entry["summary"] as? [String: Any], id: id)
                checked += 1
            }
        }
        #expect(checked >= 100)
    }

    /// Spot checks of decoded fields against the collector's independent decoder.
    static func checkSummary(_ message: EthMessage, _ summary: [String: Any]?, id: String) throws {
        guard let summary else { return }
        switch message {
        case .status(let status):
            #expect(UInt64(status.version) == EthVectors.uint64(summary["version"]), "\(id)")
            #expect(status.networkID == EthVectors.uint64(summary["networkId"]), "\(id)")
            #expect(status.genesis.description == "0x" + (EthVectors.hex(summary["genesis"]) ?? ""), "\(id)")
            #expect(status.forkID.hash.description == "0x" + (EthVectors.hex(summary["forkHash"]) ?? ""), "\(id)")
            #expect(status.forkID.next == EthVectors.uint64(summary["forkNext"]), "\(id)")
            switch status.head {
            case .totalDifficulty(let difficulty, let best):
                #expect(difficulty == EthVectors.uint256(summary["td"]), "\(id)")
                #expect(best.description == "0x" + (EthVectors.hex(summary["bestHash"]) ?? ""), "\(id)")
            case .range(let range):
                #expect(range.earliest == EthVectors.uint64(summary["earliest"]), "\(id)")
                #expect(range.latest == EthVectors.uint64(summary["latest"]), "\(id)")
            }
        case .getBlockHeaders(_, let request):
            if let number = summary["originNumber"] { #expect(request.origin == .number(EthVectors.uint64(number) ?? 0)) }
            if let hash = summary["originHash"] as? String { #expect(request.origin == .hash(try Hash32(hex: hash))) }
            #expect(request.amount == EthVectors.uint64(summary["amount"]))
            #expect(request.skip == EthVectors.uint64(summary["skip"]))
            #expect(request.reverse == (summary["reverse"] as? Int == 1))
        case .blockHeaders(_, let headers):
            let expected = try #require(summary["headers"] as? [[String: Any]])
            #expect(headers.map { $0.hash.description } == expected.map { "0x" + (EthVectors.hex($0["hash"]) ?? "") }, "\(id)")
            #expect(headers.map { $0.fieldCount } == expected.map { $0["fields"] as? Int ?? 0 }, "\(id)")
        case .getBlockBodies(_, let hashes), .getPooledTransactions(_, let hashes):
            #expect(hashes.map { $0.description } == (summary["hashes"] as? [String])?.map { "0x" + $0 }, "\(id)")
        case .getReceipts(_, let first, let hashes):
            #expect(hashes.map { $0.description } == (summary["hashes"] as? [String])?.map { "0x" + $0 }, "\(id)")
            #expect(first == EthVectors.uint64(summary["firstBlockReceiptIndex"]), "\(id)")
        case .blockBodies(_, let bodies):
            let expected = try #require(summary["bodies"] as? [[String: Any]])
            #expect(bodies.count == expected.count, "\(id)")
            for (body, summary) in zip(bodies, expected) {
                let txs = summary["txs"] as? [[String: Any]] ?? []
                #expect(body.transactions.map { $0.hash.description } == txs.map { "0x" + (EthVectors.hex($0["hash"]) ?? "") }, "\(id)")
            }
        case .transactions(let txs), .pooledTransactions(_, let txs):
            let expected = try #require(summary["txs"] as? [[String: Any]])
            #expect(txs.map { $0.hash.description } == expected.map { "0x" + (EthVectors.hex($0["hash"]) ?? "") }, "\(id)")
            #expect(txs.map { Int($0.type.rawValue) } == expected.map { $0["type"] as? Int ?? -1 }, "\(id)")
        case .receipts(_, let incomplete, let blocks):
            let expected = try #require(summary["blocks"] as? [[[String: Any]]])
            #expect(blocks.map { $0.map { Int($0.type) } } == expected.map { $0.map { $0["type"] as? Int ?? -1 } }, "\(id)")
            #expect(blocks.map { $0.map { $0.cumulativeGasUsed } } == expected.map { $0.map { EthVectors.uint64($0["cumulativeGas"]) ?? 0 } })
            #expect(blocks.map { $0.map { $0.logs.count } } == expected.map { $0.map { $0["logs"] as? Int ?? -1 } }, "\(id)")
            if let flag = summary["lastBlockIncomplete"] as? Int { #expect(incomplete == (flag == 1)) }
        case .newPooledTransactionHashes(let announcement):
            #expect(announcement.types.map(Int.init) == summary["types"] as? [Int], "\(id)")
            #expect(announcement.sizes.map(UInt64.init) == (summary["sizes"] as? [Any])?.compactMap { EthVectors.uint64($0) }, "\(id)")
            #expect(announcement.hashes.map { $0.description } == (summary["hashes"] as? [String])?.map { "0x" + $0 }, "\(id)")
        case .blockRangeUpdate(let range):
            #expect(range.earliest == EthVectors.uint64(summary["earliest"]))
            #expect(range.latest == EthVectors.uint64(summary["latest"]))
            #expect(range.latestHash.description == "0x" + (EthVectors.hex(summary["latestHash"]) ?? ""))
        case .newBlock(let block, let difficulty):
            #expect(block.body.transactions.count == summary["txs"] as? Int)
            #expect(difficulty == EthVectors.uint256(summary["td"]))
            #expect(block.header.hash.description == "0x" + (EthVectors.hex((summary["header"] as? [String: Any])?["hash"]) ?? ""))
        case .newBlockHashes(let announcements):
            let expected = try #require(summary["announced"] as? [[String: Any]])
            #expect(announcements.map { $0.number } == expected.map { EthVectors.uint64($0["number"]) ?? 0 })
        default: break
        }
    }

    @Test func snapMessagesDecodeAndReEncode() throws {
        var checked = 0
        for entry in try EthVectors.entries("messages.json", "messages") where entry["protocol"] as? String == "snap" {
            let id = entry["id"] as? String ?? "?"
            let payload = try Vectors.bytes(entry["payload"])
            let code = try #require(EthVectors.uint64(entry["code"]))
            let message = try SnapMessage(version: 1, code: code, payload: payload)
            #expect(message.name == entry["name"] as? String, "\(id)")
            #expect(message.requestID == EthVectors.uint64(entry["requestId"]), "\(id)")
            #expect(message.encoded() == payload, "\(id) re-encodes")
            let summary = entry["summary"] as? [String: Any] ?? [:]
            switch message {
            case .accountRange(_, let accounts, let proof):
                let expected = try #require(summary["accounts"] as? [[String: Any]])
                #expect(accounts.map { $0.account.nonce } == expected.map { EthVectors.uint64($0["nonce"]) ?? 0 })
                #expect(accounts.map { $0.account.balance } == expected.map { EthVectors.uint256($0["balance"]) ?? .max })
                #expect(
                    accounts.map { $0.account.storageRoot?.description ?? "" }
                        == expected.map {
                            ($0["storageRoot"] as? String).map { $0.isEmpty ? "" : "0x" + $0 } ?? "?"
                        })
                #expect(proof.count == summary["proofNodes"] as? Int)
            case .storageRanges(_, let slots, _):
                let expected = try #require(summary["slots"] as? [[[String: Any]]])
                #expect(slots.map { $0.map { Hex.encode($0.data) } } == expected.map { $0.map { $0["data"] as? String ?? "?" } })
            case .getTrieNodes(_, _, let paths, let bytes):
                #expect(paths.map { $0.map { Hex.encode($0) } } == summary["paths"] as? [[String]])
                #expect(bytes == EthVectors.uint64(summary["bytes"]))
            case .byteCodes(_, let codes):
                #expect(codes.map { Hex.encode($0) } == summary["codes"] as? [String])
            default: break
            }
            // snap/2 keeps every snap/1 message but the trie-node pair.
            if code == 6 || code == 7 {
                #expect(throws: RLPError(.unknownMessage, "")) { _ = try SnapMessage(version: 2, code: code, payload: payload) }
            } else {
                #expect(try SnapMessage(version: 2, code: code, payload: payload) == message)
            }
            checked += 1
        }
        #expect(checked == 8)
    }

    @Test func invalidMessagesAreRejected() throws {
        let entries = try EthVectors.entries("messages.json", "invalid")
        #expect(entries.count == 4)
        for entry in entries {
            let payload = try Vectors.bytes(entry["payload"])
            let code = try #require(EthVectors.uint64(entry["code"]))
            for version in try #require(entry["versions"] as? [Int]).map(UInt.init) {
                do {
                    _ = try EthMessage(version: version, code: code, payload: payload)
                    Issue.record("\(entry["id"] ?? "?") decoded on eth/\(version): \(entry["why"] ?? "")")
                } catch {
                    #expect(error.offset != nil, "\(error)")
                    #expect(!error.path.isEmpty, "\(error) names the field")
                }
            }
        }
    }

    /// The code tables agree with codes.json: lengths, names, request ids, and what each version leaves out.
    @Test func codeTablesMatch() throws {
        let protocols = try #require(try EthVectors.file("codes.json")["protocols"] as? [String: [String: Any]])
        for (key, table) in protocols {
            let parts = key.split(separator: "/")
            let version = try #require(UInt(parts[1]))
            let messages = try #require(table["messages"] as? [[String: Any]])
            if parts[0] == "eth" {
                #expect(EthVersion.codeSpaceLength(version) == EthVectors.uint64(table["length"]), "\(key)")
                for message in messages {
                    let code = try #require(EthVectors.uint64(message["code"]))
                    let name = message["name"] as? String
                    let expected = (version >= 69 && (code == 1 || code == 7)) ? nil : name
                    #expect(EthVersion.messageName(code: code, version: version) == expected, "\(key) code \(code)")
                }
                #expect(EthVersion.messageName(code: EthVersion.codeSpaceLength(version) ?? 0, version: version) == nil)
            } else {
                #expect(SnapVersion.codeSpaceLength(version) == EthVectors.uint64(table["length"]), "\(key)")
                for message in messages {
                    let code = try #require(EthVectors.uint64(message["code"]))
                    #expect(SnapVersion.messageName(code: code, version: version) == message["name"] as? String, "\(key) code \(code)")
                }
            }
        }
    }
}
