// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxTestSupport
import Testing

@Suite struct BlockVectorTests {
    @Test func headersDecodeHashAndReEncode() throws {
        let entries = try EthVectors.entries("headers.json", "headers")
        #expect(entries.count == 24)
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let header = try BlockHeader(rlpEncoded: bytes)
            #expect(header.hash.description == "0x" + (EthVectors.hex(entry["hash"]) ?? ""), "\(id)")
            #expect(header.number == EthVectors.uint64(entry["number"]), "\(id)")
            #expect(header.base.timestamp == EthVectors.uint64(entry["timestamp"]), "\(id)")
            #expect(header.fieldCount == entry["fieldCount"] as? Int, "\(id)")
            #expect(header.rlpEncoded() == bytes, "\(id) re-encodes")
            let fields = try #require(entry["fields"] as? [String: Any])
            if let parent = EthVectors.hex(fields["parentHash"]) { #expect(header.base.parentHash.description == "0x" + parent) }
            if let fee = fields["baseFeePerGas"] { #expect(header.baseFeePerGas == EthVectors.uint256(fee), "\(id)") }
            if let root = EthVectors.hex(fields["withdrawalsRoot"]) { #expect(header.withdrawalsRoot?.description == "0x" + root) }
            if let used = fields["blobGasUsed"] { #expect(header.blobGasUsed == EthVectors.uint64(used), "\(id)") }
            if let beacon = EthVectors.hex(fields["parentBeaconBlockRoot"]) {
                #expect(header.parentBeaconBlockRoot?.description == "0x" + beacon)
            }
            if let requests = EthVectors.hex(fields["requestsHash"]) { #expect(header.requestsHash?.description == "0x" + requests) }
            if let slot = fields["slotNumber"] { #expect(header.slotNumber == EthVectors.uint64(slot)) }
            if let extra = EthVectors.hex(fields["extraData"]) { #expect(Hex.encode(header.base.extraData) == extra) }
        }
    }

    @Test func headerFieldsAreTrailingOptionals() throws {
        let entry = try #require(try EthVectors.entries("headers.json", "headers").first { $0["fieldCount"] as? Int == 21 })
        let header = try BlockHeader(rlpEncoded: try Vectors.bytes(entry["hex"]))
        // A later field without an earlier one cannot be built, and names the missing field.
        do {
            _ = try BlockHeader(base: header.base, baseFeePerGas: header.baseFeePerGas, requestsHash: header.requestsHash)
            Issue.record("a gap in the trailing fields was accepted")
        } catch {
            #expect(error.code == .inconsistent)
            #expect(error.path == ["withdrawalsRoot"])
        }
        // Cutting trailing fields off gives a shorter, still valid header.
        let shorter = try BlockHeader(base: header.base, baseFeePerGas: header.baseFeePerGas)
        #expect(shorter.fieldCount == 16)
        #expect(try BlockHeader(rlpEncoded: shorter.rlpEncoded()) == shorter)
        // A header with a wrong-size field names it.
        var top = RLPReader(header.rlpEncoded())
        var list = try top.listReader()
        var items: [[UInt8]] = []
        while !list.isAtEnd { items.append(Array(try list.readEncoded())) }
        items[2] = RLPWriter.encode { $0.write(bytes: [UInt8](repeating: 1, count: 19)) }
        let broken = RLPWriter.encode { writer in writer.writeList { for item in items { $0.write(encoded: item) } } }
        do {
            _ = try BlockHeader(rlpEncoded: broken)
            Issue.record("a 19-byte coinbase was accepted")
        } catch {
            #expect(error.code == .wrongByteCount)
            #expect(error.path == ["coinbase"])
            #expect(error.offset == 3 + 33 + 33)
        }
    }

    @Test func blocksDecodeWithTransactionsAndWithdrawals() throws {
        let entries = try EthVectors.entries("blocks.json", "blocks")
        #expect(entries.count == 13)
        for entry in entries {
            let id = entry["id"] as? String ?? "?"
            let bytes = try Vectors.bytes(entry["hex"])
            let block = try Block(rlpEncoded: bytes)
            #expect(block.header.hash.description == "0x" + (EthVectors.hex(entry["headerHash"]) ?? ""), "\(id)")
            #expect(block.header.number == EthVectors.uint64(entry["number"]))
            #expect(block.header.fieldCount == entry["headerFieldCount"] as? Int, "\(id)")
            #expect(block.body.transactions.count == entry["txCount"] as? Int, "\(id)")
            #expect(block.body.transactions.map { $0.hash.description } == (entry["txHashes"] as? [String])?.map { "0x" + $0 }, "\(id)")
            #expect(block.body.ommers.count == entry["uncleCount"] as? Int, "\(id)")
            #expect(block.body.withdrawals?.count == entry["withdrawalCount"] as? Int, "\(id)")
            if let withdrawals = entry["withdrawals"] as? [[String: Any]] {
                for (withdrawal, expected) in zip(block.body.withdrawals ?? [], withdrawals) {
                    #expect(withdrawal.index == EthVectors.uint64(expected["index"]))
                    #expect(withdrawal.validatorIndex == EthVectors.uint64(expected["validatorIndex"]))
                    #expect(withdrawal.address.description == "0x" + (EthVectors.hex(expected["address"]) ?? ""))
                    #expect(withdrawal.amountGwei == EthVectors.uint64(expected["amountGwei"]))
                }
            }
            #expect(block.rlpEncoded() == bytes, "\(id) re-encodes")
        }
    }
}
