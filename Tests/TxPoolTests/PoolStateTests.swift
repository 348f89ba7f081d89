// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// The checks against the head state and the pool: nonces, funds, replacement, reservation.
@Suite struct PoolStateTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture.load() }

    func add(_ pool: inout TxPool, _ spec: TxSpec, sender: Int = 0) throws -> PoolError? {
        pool.add([try fixture.tx(spec, sender: sender)]).errors[0]
    }

    @Test func nonceTooLow() throws {
        let sender = fixture.senders[0].address
        var pool = TxPool(config: .ethTest) { $0 == sender ? AccountState(nonce: 5, balance: UInt256(UInt64.max)) : .empty }
        #expect(try add(&pool, TxSpec(nonce: 4))?.description == PoolError.nonceTooLow(next: 5, nonce: 4).description)
        #expect(try add(&pool, TxSpec(nonce: 5)) == nil)
    }

    @Test func insufficientFunds() throws {
        // InvalidTxs #2: value = the sender's whole balance, plus gas.
        var pool = fixture.pool()
        let balance = fixture.state(fixture.senders[0].address).balance
        let error = try add(&pool, TxSpec(gas: 100_000, to: nil, value: balance))
        #expect(error?.message == "insufficient funds for gas * price + value")
        // Cumulative: the second transaction would overdraw with the first.
        let sender = fixture.senders[0].address
        var poor = TxPool(config: .ethTest) { $0 == sender ? AccountState(nonce: 0, balance: UInt256(210_001)) : .empty }
        #expect(try add(&poor, TxSpec(nonce: 0, gas: 21_000, to: Fixture.recipient, value: UInt256(1))) == nil)
        #expect(try add(&poor, TxSpec(nonce: 1, gas: 21_000))?.message == "insufficient funds for gas * price + value")
    }

    @Test func queuedUntilTheGapCloses() throws {
        var pool = fixture.pool()
        let txs = try (0..<3).map { try fixture.tx(TxSpec(nonce: UInt64($0))) }
        let first = pool.add([txs[2], txs[1]])
        #expect(first.errors == [nil, nil] && first.promoted.isEmpty)
        #expect(pool.status(txs[2].hash) == .queued)
        let second = pool.add([txs[0]])
        #expect(second.promoted.map(\.hash) == txs.map(\.hash), "promoted in nonce order")
        #expect(txs.allSatisfy { pool.status($0.hash) == .pending })
        #expect(pool.add([txs[0]]).errors == [.alreadyKnown])
    }

    @Test func queueCappedAt64() throws {
        var pool = fixture.pool()
        let future = try (1...70).map { try fixture.tx(TxSpec(nonce: UInt64($0))) }
        #expect(pool.add(future).errors.allSatisfy { $0 == nil })
        #expect(pool.queuedCount == 64)
        #expect(pool.contains(future[63].hash) && !pool.contains(future[64].hash), "the highest nonces go")
    }

    @Test func legacyReplacementNeedsTenPercent() throws {
        var pool = fixture.pool()
        let original = try fixture.tx(TxSpec(tip: UInt256(10), feeCap: UInt256(70)))
        #expect(pool.add([original]).errors == [nil])
        for (tip, feeCap) in [(10, 77), (11, 70), (11, 76), (10, 100)] as [(UInt64, UInt64)] {
            let error = try add(&pool, TxSpec(tip: UInt256(tip), feeCap: UInt256(feeCap)))
            #expect(error?.description == PoolError.replaceUnderpriced(detail: "").description, "tip \(tip) fee cap \(feeCap)")
        }
        let replacement = try fixture.tx(TxSpec(tip: UInt256(11), feeCap: UInt256(77)))
        let result = pool.add([replacement])
        #expect(result.errors == [nil])
        #expect(result.promoted.map(\.hash) == [replacement.hash], "a replaced pending transaction is sent on")
        #expect(!pool.contains(original.hash) && pool.count == 1)
    }

    @Test func blobReplacementNeedsDouble() throws {
        var pool = fixture.pool()
        let base = TxSpec(type: .blob, tip: UInt256(10), feeCap: UInt256(70), gas: 100_000, blobFeeCap: UInt256(5), blobs: [1])
        #expect(try add(&pool, base, sender: 5) == nil)
        var same = base
        same.blobs = [2]
        #expect(try add(&pool, same, sender: 5)?.description == "replacement transaction underpriced: new tx gas fee cap 70 <= 70 queued")
        var almost = same
        (almost.tip, almost.feeCap, almost.blobFeeCap) = (UInt256(20), UInt256(140), UInt256(9))
        #expect(
            try add(&pool, almost, sender: 5)?.description
                == "replacement transaction underpriced: new tx blob gas fee cap 9 < 5 queued + 100% replacement penalty")
        almost.blobFeeCap = UInt256(10)
        #expect(try add(&pool, almost, sender: 5) == nil)
        #expect(pool.count == 1)
    }

    @Test func blobPoolForbidsGapsAndCapsAccounts() throws {
        var pool = fixture.pool()
        let gapped = TxSpec(type: .blob, nonce: 1, gas: 100_000, blobs: [1])
        #expect(try add(&pool, gapped, sender: 5)?.description == PoolError.nonceTooHigh(nonce: 1, gap: 0).description)
        for nonce in 0..<16 {
            #expect(try add(&pool, TxSpec(type: .blob, nonce: UInt64(nonce), gas: 100_000, blobs: [1]), sender: 5) == nil)
        }
        #expect(
            try add(&pool, TxSpec(type: .blob, nonce: 16, gas: 100_000, blobs: [1]), sender: 5)?.description
                == PoolError.accountLimitExceeded(pooled: 16).description)
    }

    @Test func subpoolsReserveTheirSenders() throws {
        var pool = fixture.pool()
        #expect(try add(&pool, TxSpec(type: .blob, gas: 100_000, blobs: [1]), sender: 5) == nil)
        #expect(try add(&pool, TxSpec(nonce: 1), sender: 5) == .alreadyReserved)
        #expect(try add(&pool, TxSpec()) == nil)
        #expect(try add(&pool, TxSpec(type: .blob, gas: 100_000, blobs: [1])) == .alreadyReserved)
    }

    @Test func pooledStopsPastTwoMiB() throws {
        // 40 transactions of ~65 KiB data: the answer stops once 2 MiB are gathered (the last one passes it).
        var pool = fixture.pool()
        let data = [UInt8](repeating: 0x61, count: 65_000)
        let txs = try (0..<40).map { try fixture.tx(TxSpec(nonce: UInt64($0), gas: 2_700_000, data: data)) }
        #expect(pool.add(txs).errors.allSatisfy { $0 == nil })
        let served = pool.pooled(hashes: txs.map(\.hash))
        let itemSize = RLPWriter.encode { $0.write(txs[0]) }.count
        #expect(32 * itemSize < TxPool.softResponseLimit && 33 * itemSize >= TxPool.softResponseLimit)
        #expect(served.count == 33)
        #expect(served.map(\.hash) == Array(txs.prefix(33)).map(\.hash))
        // Unknown hashes are skipped, order is the request's.
        let mixed = pool.pooled(hashes: [Hash32(), txs[5].hash, txs[1].hash])
        #expect(mixed.map(\.hash) == [txs[5].hash, txs[1].hash])
    }

    @Test func pooledBlobTransactionsKeepTheirSidecar() throws {
        var pool = fixture.pool()
        let tx = try fixture.tx(TxSpec(type: .blob, gas: 100_000, blobs: [1, 2]), sender: 5)
        #expect(pool.add([tx]).errors == [nil])
        let served = pool.pooled(hashes: [tx.hash])
        #expect(served.first?.sidecar?.blobs.count == 2)
        #expect(served.first?.encoded == tx.encoded)
        #expect(pool.metadata(tx.hash)?.size == UInt32(tx.encoded.count))
    }
}
