// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Eth
import Foundation
import Keccak
import RLP

/// eth message decoding against its floors, measured in the same run:
/// - a 1 MiB `Transactions` message of mixed types, decoded with every transaction hash (one by one, and as a
///   batch eight at a time), against Keccak-256 over the same bytes (hashing every byte once is the floor);
/// - sender recovery for 10,000 transactions, one core and both;
/// - 1 MiB `BlockBodies` and `Receipts` messages, decoded, against RLP's raw walk of the same bytes.
/// Transactions are Vectors/eth/pyevm.json's, signed by eth-account (run from the repository root).
func ethBenchmarks() throws {
    let transactions = try benchTransactions()
    let target = 1 << 20

    // Transactions: whole transactions, repeated, until the payload passes 1 MiB.
    var pool: [Transaction] = []
    var size = 0
    while size < target {
        for tx in transactions where size < target {
            pool.append(tx)
            size += tx.encoded.count
        }
    }
    let txPayload = EthMessage.transactions(pool).encoded(version: 69)
    report("keccak.eth.floor", measure { sink &+= UInt64(Keccak256.hash(txPayload)[0]) }, bytes: txPayload.count)
    report(
        "eth.transactions.decode",
        try measure {
            guard case .transactions(let txs) = try EthMessage(version: 69, code: 2, payload: txPayload) else { return }
            for tx in txs { sink &+= UInt64(tx.hash.bytes[0]) }
        }, bytes: txPayload.count)
    report(
        "eth.transactions.decode.batch",
        try measure {
            guard case .transactions(let txs) = try EthMessage(version: 69, code: 2, payload: txPayload) else { return }
            for hash in txs.hashes { sink &+= UInt64(hash.bytes[0]) }
        }, bytes: txPayload.count)

    // Sender recovery: 10,000 transactions, on one core and split over every core.
    let recoveries = (0..<10_000).map { transactions[$0 % transactions.count] }
    let single = try measure(minimum: 0.2, batches: 3) {
        for tx in recoveries { sink &+= UInt64(try tx.sender().bytes[0]) }
    }
    report("eth.sender.single", single, bytes: recoveries.count)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let parallel = measure(minimum: 0.2, batches: 3) {
        let chunk = (recoveries.count + cores - 1) / cores
        DispatchQueue.concurrentPerform(iterations: cores) { part in
            var local: UInt64 = 0
            for tx in recoveries[min(part * chunk, recoveries.count)..<min((part + 1) * chunk, recoveries.count)] {
                local &+= UInt64((try? tx.sender().bytes[0]) ?? 0)
            }
            if local == UInt64.max { print(local) }
        }
    }
    report("eth.sender.parallel.\(cores)", parallel, bytes: recoveries.count)

    // BlockBodies: bodies of 150 transactions and 16 withdrawals each.
    var bodies: [BlockBody] = []
    size = 0
    var cursor = 0
    while size < target {
        let txs = (0..<150).map { _ in
            cursor += 1
            return pool[cursor % pool.count]
        }
        let withdrawals = (0..<16).map { index in
            Withdrawal(index: UInt64(cursor + index), validatorIndex: UInt64(index * 1000), address: Address(), amountGwei: 32_000_000)
        }
        let body = BlockBody(transactions: txs, ommers: [], withdrawals: withdrawals)
        bodies.append(body)
        size += body.rlpEncoded().count
    }
    let bodiesPayload = EthMessage.blockBodies(requestID: 1, bodies).encoded(version: 69)
    report("rlp.walk.bodies", try measure { try RLP.validate(bodiesPayload) }, bytes: bodiesPayload.count)
    report(
        "eth.bodies.decode",
        try measure {
            guard case .blockBodies(_, let decoded) = try EthMessage(version: 69, code: 6, payload: bodiesPayload) else { return }
            sink &+= UInt64(decoded.count)
        }, bytes: bodiesPayload.count)

    // Receipts (eth/69 form): blocks of 200 receipts, each with 0 to 3 logs of 2 topics and 64 bytes of data.
    var random = BenchRandom(seed: 69)
    var blocks: [[Receipt]] = []
    size = 0
    while size < target {
        var block: [Receipt] = []
        var gas: UInt64 = 0
        for index in 0..<200 {
            gas += 21_000 + random.next() % 100_000
            let logs = (0..<(index % 4)).map { _ in
                Log(address: Address(), topics: [Hash32(), Hash32()], data: random.bytes(64))
            }
            block.append(Receipt(type: UInt8(index % 3), statusOrPostState: [1], cumulativeGasUsed: gas, bloom: nil, logs: logs))
        }
        size += EthMessage.receipts(requestID: 1, lastBlockIncomplete: nil, [block]).encoded(version: 69).count
        blocks.append(block)
    }
    let receiptsPayload = EthMessage.receipts(requestID: 1, lastBlockIncomplete: nil, blocks).encoded(version: 69)
    report("rlp.walk.receipts", try measure { try RLP.validate(receiptsPayload) }, bytes: receiptsPayload.count)
    report(
        "eth.receipts.decode",
        try measure {
            guard case .receipts(_, _, let decoded) = try EthMessage(version: 69, code: 16, payload: receiptsPayload) else { return }
            sink &+= UInt64(decoded.count)
        }, bytes: receiptsPayload.count)
}

/// The signed transactions of Vectors/eth/pyevm.json, in canonical form.
func benchTransactions() throws -> [Transaction] {
    guard let data = FileManager.default.contents(atPath: "Vectors/eth/pyevm.json"),
        let file = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let entries = file["transactions"] as? [[String: Any]]
    else { throw BenchError(description: "run from the repository root: Vectors/eth/pyevm.json is missing") }
    return try entries.compactMap { entry in
        guard let hex = entry["hex"] as? String else { return nil }
        return try Transaction(binary: try Hex.decode(hex))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
}
