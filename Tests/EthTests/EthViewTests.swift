// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP
import RLPxTestSupport
import Testing

/// The lazy views read the same fields as the owned types, from every vector, and reject what those reject.
@Suite struct EthViewTests {
    /// Every field of `view` equals `tx`'s.
    static func expectSame(_ view: TransactionView, _ tx: Transaction, _ id: String) {
        #expect(view.type == tx.type, "\(id)")
        #expect(view.hash == tx.hash, "\(id) hash")
        #expect(Array(view.encoded) == tx.canonicalEncoding, "\(id)")
        #expect(view.chainID == tx.chainID, "\(id) chainID")
        #expect(view.nonce == tx.nonce, "\(id)")
        #expect(view.gasPrice == tx.gasPrice, "\(id)")
        #expect(view.maxPriorityFeePerGas == tx.maxPriorityFeePerGas, "\(id)")
        #expect(view.maxFeePerGas == tx.maxFeePerGas, "\(id)")
        #expect(view.gasLimit == tx.gasLimit, "\(id)")
        #expect(view.to == tx.to, "\(id)")
        #expect(view.value == tx.value, "\(id)")
        #expect(view.data == tx.data, "\(id)")
        let entries = view.accessList.map { AccessListEntry(address: $0.address, storageKeys: Array($0.storageKeys)) }
        #expect(entries == tx.accessList, "\(id) access list")
        #expect(view.maxFeePerBlobGas == tx.maxFeePerBlobGas, "\(id)")
        #expect(Array(view.blobVersionedHashes) == tx.blobVersionedHashes, "\(id)")
        #expect(view.blobVersionedHashes.count == tx.blobVersionedHashes.count, "\(id)")
        #expect(view.authorizations == tx.authorizations, "\(id)")
        #expect(view.v == tx.v && view.r == tx.r && view.s == tx.s, "\(id) signature")
    }

    /// Every transaction of every body in `payload`, and every withdrawal, against the owned decoding.
    static func expectSameBodies(_ payload: [UInt8], _ id: String) throws -> Int {
        guard case .blockBodies(let requestID, let bodies) = try EthMessage(version: 69, code: 6, payload: payload) else {
            Issue.record("\(id) is not BlockBodies")
            return 0
        }
        let view = try BlockBodiesView(payload: payload)
        #expect(view.requestID == requestID)
        var cursor = view.bodies()
        var index = 0
        var transactions = 0
        while let body = try cursor.next() {
            try #require(index < bodies.count, "\(id): more bodies than the owned decoding")
            let owned = bodies[index]
            var txs = body.transactions()
            var txIndex = 0
            while let tx = try txs.next() {
                expectSame(tx, owned.transactions[txIndex], "\(id) body \(index) tx \(txIndex)")
                #expect(try tx.transaction() == owned.transactions[txIndex])
                txIndex += 1
            }
            #expect(txIndex == owned.transactions.count, "\(id)")
            transactions += txIndex
            #expect(try body.ommers == owned.ommers, "\(id)")
            #expect(body.hasWithdrawals == (owned.withdrawals != nil), "\(id)")
            var withdrawals = body.withdrawals()
            var read: [Withdrawal] = []
            while let withdrawal = try withdrawals.next() { read.append(withdrawal) }
            #expect(read == (owned.withdrawals ?? []), "\(id) withdrawals")
            index += 1
        }
        #expect(index == bodies.count, "\(id)")
        return transactions
    }

    /// Every receipt (and its logs) of `payload` on eth/`version` against the owned decoding.
    static func expectSameReceipts(_ payload: [UInt8], version: UInt, _ id: String) throws -> Int {
        guard case .receipts(let requestID, let incomplete, let blocks) = try EthMessage(version: version, code: 16, payload: payload)
        else {
            Issue.record("\(id) is not Receipts")
            return 0
        }
        let view = try ReceiptsView(version: version, payload: payload)
        #expect(view.requestID == requestID && view.lastBlockIncomplete == incomplete, "\(id)")
        var cursor = view.blocks()
        var read: [[Receipt]] = []
        while let block = try cursor.next() {
            var receipts = block.receipts()
            var list: [Receipt] = []
            while let receipt = try receipts.next() {
                #expect(receipt.succeeded == receipt.receipt.succeeded)
                list.append(receipt.receipt)
            }
            read.append(list)
        }
        #expect(read == blocks, "\(id) on eth/\(version)")
        return read.joined().count
    }

    @Test func transactionVectorsReadAsTheOwnedType() throws {
        var checked = 0
        for entry in try EthVectors.entries("transactions.json", "transactions") {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let tx = try Transaction(binary: bytes)
            Self.expectSame(try TransactionView(binary: bytes), tx, id)
            checked += 1
        }
        #expect(checked >= 80)
    }

    /// Every invalid transaction vector the owned decoder rejects is rejected by the view with a typed error.
    @Test func invalidTransactionsThrow() throws {
        var checked = 0
        for entry in try EthVectors.entries("transactions.json", "invalid") {
            let id = entry["id"] as? String ?? "?"
            guard let bytes = try? Vectors.bytes(entry["hex"]), (try? Transaction(binary: bytes)) == nil else { continue }
            #expect(throws: RLPError.self, "\(id)") { _ = try TransactionView(binary: bytes) }
            checked += 1
        }
        #expect(checked >= 50)
    }

    /// Network-form blob transactions are refused with a typed error naming the owned type.
    @Test func networkFormIsRefused() throws {
        for entry in try EthVectors.entries("transactions.json", "network_form") {
            let bytes = try Vectors.bytes(entry["hex"])
            #expect(throws: RLPError.self) { _ = try TransactionView(binary: bytes) }
            let canonical = try Vectors.bytes(entry["canonicalHex"])
            Self.expectSame(try TransactionView(binary: canonical), try Transaction(binary: canonical), "canonical")
        }
    }

    /// BlockBodies and Receipts message vectors, on every version each lists; invalid ones throw from both.
    @Test func messageVectorsReadAsTheOwnedTypes() throws {
        var bodies = 0
        var receipts = 0
        for entry in try EthVectors.entries("messages.json", "messages") where entry["protocol"] as? String == "eth" {
            let id = entry["id"] as? String ?? "?"
            let payload = try Vectors.bytes(entry["payload"])
            let versions = (entry["versions"] as? [Int] ?? []).map(UInt.init).filter { EthVersion.supported.contains($0) }
            switch entry["name"] as? String {
            case "BlockBodies":
                _ = try Self.expectSameBodies(payload, id)
                bodies += 1
            case "Receipts":
                for version in versions { _ = try Self.expectSameReceipts(payload, version: version, id) }
                receipts += 1
            default: continue
            }
        }
        #expect(bodies >= 3 && receipts >= 10)
        for entry in try EthVectors.entries("messages.json", "invalid") where entry["protocol"] as? String == "eth" {
            let payload = try Vectors.bytes(entry["payload"])
            for version in (entry["versions"] as? [Int] ?? []).map(UInt.init) where EthVersion.supported.contains(version) {
                let code = EthVectors.uint64(entry["code"])
                if code == 16 { #expect(throws: RLPError.self) { try Self.walkReceipts(payload, version: version) } }
                if code == 6 { #expect(throws: RLPError.self) { try Self.walkBodies(payload) } }
            }
        }
    }

    /// The ethtest chain's 600 blocks as BlockBodies messages of 100 bodies, and the project chain's receipts on
    /// eth/68, eth/69 and eth/70.
    @Test func chainBodiesAndReceipts() throws {
        let blocks = try Block.sequence(Array(try Vectors.sharedData("ethtest/chain.rlp")))
        #expect(blocks.count == 600)
        var transactions = 0
        for start in stride(from: 0, to: blocks.count, by: 100) {
            let bodies = blocks[start..<min(start + 100, blocks.count)].map(\.body)
            let payload = EthMessage.blockBodies(requestID: UInt64(start), Array(bodies)).encoded(version: 69)
            transactions += try Self.expectSameBodies(payload, "ethtest from #\(start + 1)")
        }
        #expect(transactions > 100)

        let file = try #require(try Vectors.project("chain/receipts.json") as? [String: Any])
        let entries = try #require(file["blocks"] as? [[String: Any]])
        let receipts: [[Receipt]] = try entries.map { entry in
            try (entry["receipts"] as? [String] ?? []).map { hex in
                // A typed receipt is written in its binary form (type ‖ list): wrapped, as a block's list holds it.
                let bytes = try Hex.decode(hex)
                var reader = RLPReader(bytes.first.map { $0 >= 0xc0 } ?? true ? bytes : RLPWriter.encode { $0.write(bytes: bytes) })
                return try Receipt(rlp: &reader, form: .consensus)
            }
        }
        for version: UInt in [68, 69, 70] {
            let incomplete: Bool? = version >= 70 ? false : nil
            let payload = EthMessage.receipts(requestID: 7, lastBlockIncomplete: incomplete, receipts).encoded(version: version)
            #expect(try Self.expectSameReceipts(payload, version: version, "chain receipts") > 50)
        }
    }

    /// Walks every field a view offers (ommers included), as the owned decoding reads it.
    static func walkBodies(_ payload: [UInt8]) throws(RLPError) {
        var bodies = try BlockBodiesView(payload: payload).bodies()
        while let body = try bodies.next() {
            var txs = body.transactions()
            while try txs.next() != nil {}
            _ = try body.ommers
            var withdrawals = body.withdrawals()
            while try withdrawals.next() != nil {}
        }
    }

    static func walkReceipts(_ payload: [UInt8], version: UInt) throws(RLPError) {
        var blocks = try ReceiptsView(version: version, payload: payload).blocks()
        while let block = try blocks.next() {
            var receipts = block.receipts()
            while try receipts.next() != nil {}
        }
    }

    /// Every truncation and many single-byte changes of real messages: the view throws exactly when the owned
    /// decoding does, and never traps.
    @Test func malformedMessagesThrowWhereTheOwnedDecodingDoes() throws {
        let blocks = try Block.sequence(Array(try Vectors.projectData("chain/chain.rlp")))
        let bodies = EthMessage.blockBodies(requestID: 1, blocks.suffix(3).map(\.body)).encoded(version: 69)
        let file = try #require(try Vectors.project("chain/receipts.json") as? [String: Any])
        let entry = try #require((file["blocks"] as? [[String: Any]])?.last)
        let receipts: [Receipt] = try (entry["receipts"] as? [String] ?? []).map { hex in
            let bytes = try Hex.decode(hex)
            var reader = RLPReader(bytes.first.map { $0 >= 0xc0 } ?? true ? bytes : RLPWriter.encode { $0.write(bytes: bytes) })
            return try Receipt(rlp: &reader, form: .consensus)
        }
        var random = SystemRandomNumberGenerator()
        for version: UInt in [68, 69] {
            let payload = EthMessage.receipts(requestID: 1, lastBlockIncomplete: nil, [receipts]).encoded(version: version)
            for variant in Self.variants(payload, using: &random) {
                let owned = (try? EthMessage(version: version, code: 16, payload: variant)) != nil
                let viewed = (try? Self.walkReceipts(variant, version: version)) != nil
                #expect(owned == viewed, "receipts eth/\(version) \(Hex.encode(variant))")
            }
        }
        for variant in Self.variants(bodies, using: &random) {
            let owned = (try? EthMessage(version: 69, code: 6, payload: variant)) != nil
            let viewed = (try? Self.walkBodies(variant)) != nil
            #expect(owned == viewed, "bodies \(Hex.encode(variant))")
        }
    }

    /// Every strict prefix, and 2,000 copies with one byte changed.
    static func variants(_ payload: [UInt8], using random: inout SystemRandomNumberGenerator) -> [[UInt8]] {
        var variants = (0..<payload.count).map { Array(payload.prefix($0)) }
        for _ in 0..<2000 {
            var changed = payload
            changed[Int.random(in: 0..<payload.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            variants.append(changed)
        }
        return variants
    }

    /// A nonce with a leading zero: the error names the rule, the field's path and its offset in the payload.
    @Test func aMalformedFieldNamesItsPathAndOffset() throws {
        let tx = try #require(
            try EthVectors.entries("transactions.json", "transactions").lazy.compactMap { entry in
                (try? Vectors.bytes(entry["hex"])).flatMap { try? Transaction(binary: $0) }
            }.first { $0.type == .legacy })
        // A legacy transaction whose nonce (its list's first item) is rewritten as 0x820001 (a leading zero).
        var fields = RLPReader(tx.encoded)
        var list = try fields.listReader()
        _ = try list.readEncoded()
        let rest = list.remainingBytes
        let body: [UInt8] = [0x82, 0x00, 0x01] + rest
        let legacy = RLPWriter.encode { $0.write(encoded: Self.listHeader(body.count) + body) }
        let payload = RLPWriter.encode { writer in
            writer.writeList { message in
                message.write(integer: UInt64(9))
                message.writeList { bodies in
                    bodies.writeList { body in
                        body.writeList { $0.write(encoded: legacy) }
                        body.writeList { _ in }
                    }
                }
            }
        }
        do {
            try Self.walkBodies(payload)
            Issue.record("a non-canonical nonce was accepted")
        } catch {
            #expect(error.code == .nonCanonicalInteger)
            #expect(error.path == ["bodies", "[0]", "transactions", "[0]", "nonce"])
            let offset = try #require(error.offset)
            #expect(Array(payload[offset..<(offset + 3)]) == [0x82, 0x00, 0x01])
        }
    }

    /// A log topic of 31 bytes in the second receipt: the error names the rule, the topic's path and its offset.
    @Test func aShortTopicNamesItsPathAndOffset() throws {
        let short = [UInt8](repeating: 0x11, count: 31)
        let payload = RLPWriter.encode { writer in
            writer.writeList { message in
                message.write(integer: UInt64(3))
                message.writeList { blocks in
                    blocks.writeList { receipts in
                        for topics in [[[UInt8](repeating: 0x22, count: 32)], [[UInt8](repeating: 0x22, count: 32), short]] {
                            receipts.writeList { receipt in
                                receipt.write(integer: UInt8(2))
                                receipt.write(bytes: [UInt8(1)])
                                receipt.write(integer: UInt64(21_000))
                                receipt.writeList { logs in
                                    logs.writeList { log in
                                        log.write(bytes: [UInt8](repeating: 0x33, count: 20))
                                        log.writeList { list in for topic in topics { list.write(bytes: topic) } }
                                        log.write(bytes: [UInt8](repeating: 0x44, count: 64))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(throws: RLPError.self) { _ = try EthMessage(version: 69, code: 16, payload: payload) }
        do {
            try Self.walkReceipts(payload, version: 69)
            Issue.record("a 31-byte topic was accepted")
        } catch {
            #expect(error.code == .wrongByteCount)
            #expect(error.path == ["receipts", "[0]", "[1]", "logs", "[0]", "topics", "[1]"])
            let offset = try #require(error.offset)
            #expect(Array(payload[offset..<(offset + 32)]) == [0x9f] + short)
        }
    }

    static func listHeader(_ length: Int) -> [UInt8] {
        if length < 56 { return [0xc0 + UInt8(length)] }
        let bytes = withUnsafeBytes(of: UInt64(length).bigEndian, Array.init).drop { $0 == 0 }
        return [0xf7 + UInt8(bytes.count)] + bytes
    }
}
