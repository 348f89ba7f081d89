// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

/// Every stateless check, with a transaction signed in the test, in go-ethereum's order.
@Suite struct ValidationTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture.load() }

    func config(_ change: (inout PoolConfig) -> Void) -> PoolConfig {
        var config = PoolConfig.ethTest
        change(&config)
        return config
    }

    @Test func suiteTransactionsPass() throws {
        #expect(try fixture.statelessError(TxSpec(value: 1)) == nil)
        #expect(try fixture.statelessError(TxSpec(gas: 75_000, to: nil)) == nil)
        #expect(try fixture.statelessError(TxSpec(type: .blob, gas: 100_000, to: Address(), blobs: [1, 2]), sender: 5) == nil)
        #expect(try fixture.statelessError(TxSpec(type: .legacy, replayProtected: false)) == nil, "unprotected legacy")
    }

    @Test func typeNotAccepted() throws {
        let legacyOnly = config { $0.acceptedTypes = [.legacy] }
        #expect(try fixture.statelessError(TxSpec(), config: legacyOnly)?.message == "transaction type not supported")
    }

    @Test(arguments: [
        (Transaction.Kind.accessList, Fork.istanbul), (.dynamicFee, .berlin), (.blob, .shanghai), (.setCode, .cancun),
    ])
    func forkGating(_ type: Transaction.Kind, _ fork: Fork) throws {
        var spec = TxSpec(type: type, gas: 60_000)
        if type == .blob { spec.blobs = [1] }
        if type == .setCode { spec.authorizations = 1 }
        let error = try fixture.statelessError(spec, config: config { $0.fork = fork })
        #expect(error?.code == .txTypeNotSupported, "\(String(describing: error))")
        #expect(error?.description.contains("type \(type.rawValue) rejected, pool not yet in") == true, "\(String(describing: error))")
    }

    @Test func blobLimit() throws {
        let error = try fixture.statelessError(TxSpec(type: .blob, gas: 100_000, blobs: Array(1...7)), sender: 5)
        #expect(error?.description == PoolError.blobLimitExceeded(count: 7, limit: 6).description)
    }

    @Test func oversizedBeforeEverythingElse() throws {
        // InvalidTxs #5: 128 KiB of data to 0xaa…, gas 5,000,000.
        let spec = TxSpec(gas: 5_000_000, data: [UInt8](repeating: 0x5a, count: 128 * 1024))
        let error = try #require(try fixture.statelessError(spec), "not oversized")
        #expect(error.code == .oversizedData)
        // "oversized data: transaction size N, limit 131072"
        let words = error.description.split(separator: " ")
        #expect(words.count == 7 && words[6] == "131072", "\(error)")
        #expect((Int(words[4].dropLast()) ?? 0) > 131_072, "\(error)")
    }

    @Test func initCodeSize() throws {
        // InvalidTxs #4: 50 KiB of init code, gas 1,000,000.
        let spec = TxSpec(gas: 1_000_000, to: nil, data: [UInt8](repeating: 0x5a, count: 50 * 1024))
        #expect(try fixture.statelessError(spec)?.description == PoolError.maxInitCodeSizeExceeded(size: 51_200, limit: 49_152).description)
        // The same data as a call is fine (gas permitting).
        #expect(try fixture.statelessError(TxSpec(gas: 2_100_000, data: [UInt8](repeating: 0x5a, count: 50 * 1024))) == nil)
    }

    @Test func osakaGasCap() throws {
        let osaka = config { $0.fork = .osaka }
        #expect(
            try fixture.statelessError(TxSpec(gas: 1 << 24 + 1), config: osaka)?.description
                == PoolError.gasLimitTooHigh(gas: 1 << 24 + 1, cap: 1 << 24).description)
        #expect(try fixture.statelessError(TxSpec(gas: 1 << 24 + 1)) == nil, "no cap before Osaka")
    }

    @Test func blockGasLimit() throws {
        #expect(
            try fixture.statelessError(TxSpec(gas: 300_000_001))?.description
                == PoolError.exceedsBlockGasLimit(gas: 300_000_001, limit: 300_000_000).description)
    }

    @Test func tipAboveFeeCap() throws {
        #expect(try fixture.statelessError(TxSpec(tip: UInt256(8), feeCap: UInt256(7))) == .tipAboveFeeCap)
    }

    @Test func wrongChainID() throws {
        #expect(
            try fixture.statelessError(TxSpec(chainID: 1))?.description == PoolError.invalidSender(detail: "invalid chain id for signer").description)
        #expect(
            try fixture.statelessError(TxSpec(type: .legacy, chainID: 1))?.description
                == PoolError.invalidSender(detail: "invalid chain id for signer").description)
    }

    @Test func unrecoverableSignature() throws {
        #expect(
            try fixture.statelessError(TxSpec(zeroR: true))?.description
                == PoolError.invalidSender(detail: "invalid transaction v, r, s values").description)
        #expect(
            try fixture.statelessError(TxSpec(type: .legacy, zeroR: true))?.description
                == PoolError.invalidSender(detail: "invalid transaction v, r, s values").description)
    }

    @Test func nonceMax() throws {
        // InvalidTxs #1 run alone: nonce 0 − 1 wraps to 2⁶⁴ − 1.
        #expect(try fixture.statelessError(TxSpec(nonce: .max, gas: 100_000, to: nil)) == .nonceMax)
    }

    @Test func intrinsicGas() throws {
        // InvalidTxs #3: creation with gas 1,337 (53,000 needed).
        #expect(
            try fixture.statelessError(TxSpec(gas: 1_337, to: nil))?.description == PoolError.intrinsicGas(gas: 1_337, needed: 53_000).description)
        // Access list: 21,000 + 2,400 + 2 × 1,900; init code words: 53,000 + 64 × 16 + 2 × 2.
        let list = [AccessListEntry(address: Fixture.recipient, storageKeys: [Hash32(), Hash32()])]
        #expect(
            try fixture.statelessError(TxSpec(gas: 27_199, accessList: list))?.description
                == PoolError.intrinsicGas(gas: 27_199, needed: 27_200).description)
        let code = [UInt8](repeating: 1, count: 64)
        #expect(
            try fixture.statelessError(TxSpec(gas: 54_027, to: nil, data: code))?.description
                == PoolError.intrinsicGas(gas: 54_027, needed: 54_028).description)
        // EIP-7702: 25,000 per authorization.
        let setCode = TxSpec(type: .setCode, gas: 70_999, authorizations: 2)
        #expect(try fixture.statelessError(setCode)?.description == PoolError.intrinsicGas(gas: 70_999, needed: 71_000).description)
    }

    @Test func floorDataGasFromPrague() throws {
        // 1,000 non-zero bytes: intrinsic 37,000, floor 21,000 + 4,000 tokens × 10 = 61,000.
        let spec = TxSpec(gas: 40_000, data: [UInt8](repeating: 7, count: 1_000))
        #expect(try fixture.statelessError(spec)?.description == PoolError.floorDataGas(gas: 40_000, needed: 61_000).description)
        #expect(try fixture.statelessError(spec, config: config { $0.fork = .cancun }) == nil)
    }

    @Test func tipBelowMinimum() throws {
        let error = try fixture.statelessError(TxSpec(tip: .zero))
        #expect(error?.message == "transaction gas price below minimum")
        #expect(error?.isUnderpriced == true)
    }

    @Test func setCodeNeedsAuthorizations() throws {
        #expect(try fixture.statelessError(TxSpec(type: .setCode, gas: 60_000)) == .setCodeWithoutAuthorizations)
    }

    @Test func blobSidecarChecks() throws {
        let blob = TxSpec(type: .blob, gas: 100_000, blobs: [1, 2])
        var without = blob
        without.withSidecar = false
        #expect(try fixture.statelessError(without, sender: 5) == .missingSidecar)
        #expect(
            try fixture.statelessError(blob, sender: 5, config: config { $0.fork = .osaka })?.description
                == PoolError.unexpectedSidecarVersion(want: 1, got: 0).description)
        var freeBlobs = blob
        freeBlobs.blobFeeCap = .zero
        #expect(try fixture.statelessError(freeBlobs, sender: 5)?.message == "transaction gas price below minimum")
        #expect(try fixture.statelessError(TxSpec(type: .blob, gas: 100_000), sender: 5) == .bloblessBlobTransaction)
        let generous = config { $0.maxBlobsPerTransaction = 9 }
        let tooMany = try fixture.statelessError(TxSpec(type: .blob, gas: 100_000, blobs: Array(1...7)), sender: 5, config: generous)
        #expect(tooMany?.description == PoolError.tooManyBlobs(have: 7, permitted: 6).description)
        var swapped = blob
        let hashes = [fixture.blobs[1], fixture.blobs[3]].compactMap { $0?.versionedHash }
        swapped.versionedHashes = hashes
        let computed = try #require(fixture.blobs[2]?.versionedHash)
        #expect(
            try fixture.statelessError(swapped, sender: 5)?.description
                == PoolError.versionedHashMismatch(index: 1, computed: computed, announced: hashes[1]).description)
    }
}
