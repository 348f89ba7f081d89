// SPDX-License-Identifier: Apache-2.0
import Dispatch
import Eth
import Foundation
import Keccak
import RLP
import RLPxCrypto

/// eth message decoding against its floors, measured in the same run:
/// - a 1 MiB `Transactions` message of mixed types, decoded with every transaction hash (one by one, and as a
///   batch eight at a time), against Keccak-256 over the same bytes (hashing every byte once is the floor);
/// - sender recovery for 10,000 transactions, one core and both, and against libsecp256k1's recovery alone (parse and
///   recover, the same signatures and digests) in turns with it;
/// - 1 MiB `BlockBodies` and `Receipts` messages, decoded (owned values, and views touching every field), against
///   RLP's raw walk of the same bytes;
/// - walking the bodies' views and hashing every transaction, against the raw walk plus Keccak-256 of each
///   transaction's bytes.
/// The views and their references are timed in turns (``measureInterleaved``), so that load from elsewhere on the
/// machine falls on both sides of each ratio.
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
    // The reference: libsecp256k1's own recovery (parse the compact signature, recover the point) over the same
    // signatures and signing digests, timed in turns with sender recovery (which adds the signing hash, the EIP-2
    // checks, serialising the key and hashing it to an address).
    let signed: [(signature: [UInt8], digest: [UInt8])] = recoveries.compactMap { tx in
        guard let id = tx.recoveryID else { return nil }
        var signature = [UInt8](repeating: 0, count: 65)
        let (r, s) = (tx.r.bigEndianBytes, tx.s.bigEndianBytes)
        signature.replaceSubrange((32 - r.count)..<32, with: r)
        signature.replaceSubrange((64 - s.count)..<64, with: s)
        signature[64] = id
        return (signature, tx.signingHash.bytes)
    }
    let turns = measureInterleaved(
        minimum: 0.1, batches: 5,
        [
            { for tx in recoveries { sink &+= UInt64((try? tx.sender().bytes[0]) ?? 0) } },
            { for item in signed { sink &+= (try? Secp256k1.PublicKey(recoveringFrom: item.signature, digest: item.digest)) == nil ? 1 : 0 } },
        ])
    report("eth.sender.turns", turns[0], bytes: recoveries.count)
    report("secp.recover.alone", turns[1], bytes: signed.count)
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
    report(
        "eth.bodies.decode",
        try measure {
            guard case .blockBodies(_, let decoded) = try EthMessage(version: 69, code: 6, payload: bodiesPayload) else { return }
            sink &+= UInt64(decoded.count)
        }, bytes: bodiesPayload.count)
    // The views and their references take turns, so that load from elsewhere on the machine falls on both.
    let txRanges = try transactionRanges(bodiesPayload)
    let bodyTurns = measureInterleaved([
        { _ = try? RLP.validate(bodiesPayload) },
        { sink &+= (try? deepWalk(bodiesPayload)) ?? 0 },
        { sink &+= (try? touchBodies(bodiesPayload)) ?? 0 },
        { sink &+= (try? hashBodies(bodiesPayload)) ?? 0 },
        { sink &+= walkAndHash(bodiesPayload, txRanges) },
    ])
    for (name, time) in zip(
        ["rlp.walk.bodies", "rlp.walk.bodies.deep", "eth.bodies.view", "eth.bodies.view.hash", "rlp.walk.bodies.keccak"], bodyTurns)
    {
        report(name, time, bytes: bodiesPayload.count)
    }

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
    report(
        "eth.receipts.decode",
        try measure {
            guard case .receipts(_, _, let decoded) = try EthMessage(version: 69, code: 16, payload: receiptsPayload) else { return }
            sink &+= UInt64(decoded.count)
        }, bytes: receiptsPayload.count)
    let receiptTurns = measureInterleaved([
        { _ = try? RLP.validate(receiptsPayload) },
        { sink &+= (try? touchReceipts(receiptsPayload, version: 69)) ?? 0 },
    ])
    report("rlp.walk.receipts", receiptTurns[0], bytes: receiptsPayload.count)
    report("eth.receipts.view", receiptTurns[1], bytes: receiptsPayload.count)
}

/// RLP's raw walk of a BlockBodies payload that also walks inside each typed transaction (a byte string holding
/// `type ‖ rlp(fields)`), as a decoder must: the raw walk alone skips those bytes whole.
func deepWalk(_ payload: [UInt8]) throws -> UInt64 {
    try RLP.validate(payload)
    var count: UInt64 = 0
    var message = RLPReader(payload)
    var fields = try message.listReader()
    _ = try fields.readElement()
    var bodies = try fields.listReader()
    while !bodies.isAtEnd {
        var body = try bodies.listReader()
        var txs = try body.listReader()
        while !txs.isAtEnd {
            let tx = try txs.readElement()
            if tx.kind == .bytes { try RLP.validate(tx.payload.dropFirst()) }
            count &+= 1
        }
    }
    return count
}

/// Walks the bodies' views and hashes every transaction.
func hashBodies(_ payload: [UInt8]) throws -> UInt64 {
    var total: UInt64 = 0
    var cursor = try BlockBodiesView(payload: payload).bodies()
    while let body = try cursor.next() {
        var txs = body.transactions()
        while let tx = try txs.next() { total &+= firstByte(tx.hash) }
    }
    return total
}

/// RLP's raw walk, then Keccak-256 of each transaction's bytes at `ranges` (found outside the timing).
func walkAndHash(_ payload: [UInt8], _ ranges: [Range<Int>]) -> UInt64 {
    guard (try? RLP.validate(payload)) != nil else { return 0 }
    var total: UInt64 = 0
    payload.withUnsafeBytes { buffer in
        var digest = Hash32()
        for range in ranges {
            var hasher = Keccak256()
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[range]))
            digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
            total &+= firstByte(digest)
        }
    }
    return total
}

/// Reads every field of every transaction and withdrawal of a BlockBodies payload through the views.
func touchBodies(_ payload: [UInt8]) throws -> UInt64 {
    var total: UInt64 = 0
    var cursor = try BlockBodiesView(payload: payload).bodies()
    while let body = try cursor.next() {
        var txs = body.transactions()
        while let tx = try txs.next() {
            total &+= UInt64(tx.type.rawValue) &+ tx.nonce &+ tx.gasLimit &+ UInt64(tx.data.count)
            total &+= (tx.chainID?.uint64 ?? 0) &+ (tx.gasPrice?.uint64 ?? 0) &+ (tx.maxFeePerGas?.uint64 ?? 0)
            total &+= (tx.maxPriorityFeePerGas?.uint64 ?? 0) &+ (tx.maxFeePerBlobGas?.uint64 ?? 0) &+ (tx.value.uint64 ?? 1)
            total &+= firstByte(tx.to)
            for entry in tx.accessList {
                total &+= firstByte(entry.address)
                for key in entry.storageKeys { total &+= firstByte(key) }
            }
            for hash in tx.blobVersionedHashes { total &+= firstByte(hash) }
            total &+= (tx.v.uint64 ?? 1) &+ (tx.r.uint64 ?? 1) &+ (tx.s.uint64 ?? 1)
        }
        var withdrawals = body.withdrawals()
        while let withdrawal = try withdrawals.next() { total &+= withdrawal.amountGwei &+ withdrawal.index }
    }
    return total
}

/// Reads every field of every receipt and log of a Receipts payload through the views.
func touchReceipts(_ payload: [UInt8], version: UInt) throws -> UInt64 {
    var total: UInt64 = 0
    var blocks = try ReceiptsView(version: version, payload: payload).blocks()
    while let block = try blocks.next() {
        var receipts = block.receipts()
        while let receipt = try receipts.next() {
            total &+= UInt64(receipt.type) &+ receipt.cumulativeGasUsed &+ UInt64(receipt.statusOrPostState.count)
            total &+= firstByte(receipt.bloom)
            for log in receipt.logs {
                total &+= firstByte(log.address) &+ UInt64(log.data.count)
                for topic in log.topics { total &+= firstByte(topic) }
            }
        }
    }
    return total
}

/// Where each transaction's canonical bytes sit in a BlockBodies payload (from the views, outside the timing).
func transactionRanges(_ payload: [UInt8]) throws -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var cursor = try BlockBodiesView(payload: payload).bodies()
    while let body = try cursor.next() {
        var txs = body.transactions()
        while let tx = try txs.next() {
            let encoded = tx.encoded
            ranges.append(encoded.startIndex..<encoded.endIndex)
        }
    }
    return ranges
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

/// The first byte of a hash, address or bloom, read in place.
@inline(__always)
func firstByte<let count: Int>(_ value: FixedBytes<count>?) -> UInt64 {
    value.map { $0.withUnsafeBytes { UInt64($0.first ?? 0) } } ?? 0
}
