// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxCrypto
import TxPool

/// A transaction to build and sign in a test, through ``TransactionBuilder``; defaults are the suite's DynamicFeeTx
/// (tip 1, fee cap 7 = head base fee, gas 30,000, to 0xaa…, chain ID of the eth-test chain), blobs from the fixture.
struct TxSpec {
    var type = Transaction.Kind.dynamicFee
    var chainID: UInt64 = PoolConfig.ethTest.chainID
    var nonce: UInt64 = 0
    var tip = UInt256(1)
    var feeCap = UInt256(7)
    var gasPrice = UInt256(7)
    var gas: UInt64 = 30_000
    var to: Address? = Fixture.recipient
    var value = UInt256.zero
    var data: [UInt8] = []
    var accessList: [AccessListEntry] = []
    var blobFeeCap = UInt256(1)
    /// One blob per byte: 131,072 zero bytes with byte 0 set to it, as the suite's `makeSidecar`.
    var blobs: [UInt8] = []
    /// Versioned hashes to put in the transaction instead of the blobs' own.
    var versionedHashes: [Hash32]?
    var withSidecar = true
    /// Commitments of the sidecar to replace (index → commitment), for mismatched sidecars.
    var commitmentOverrides: [Int: FixedBytes<48>] = [:]
    /// Number of EIP-7702 authorizations (signed by the same key, delegating to `to`).
    var authorizations = 0
    /// Legacy only: EIP-155 replay protection.
    var replayProtected = true
    /// Write r = 0, a signature no key recovers from.
    var zeroR = false

    /// The library builder with these fields, the blobs' sidecar taken from the fixture (`blobs.json`).
    func builder(key: Secp256k1.PrivateKey, fixture: Fixture) throws -> TransactionBuilder {
        let blobData = blobs.map { fixture.blobs[$0] }
        var sidecar: BlobSidecar?
        if type == .blob && withSidecar {
            var commitments = blobData.compactMap { $0?.commitment }
            for (index, commitment) in commitmentOverrides where index < commitments.count { commitments[index] = commitment }
            sidecar = BlobSidecar(
                blobs: blobs.map { [$0] + [UInt8](repeating: 0, count: BlobSidecar.blobSize - 1) }, commitments: commitments,
                proofs: blobData.compactMap { $0?.proof })
        }
        return TransactionBuilder(
            type: type, chainID: chainID, nonce: nonce, gasPrice: gasPrice, maxPriorityFeePerGas: tip, maxFeePerGas: feeCap,
            gasLimit: gas, to: to, value: value, data: data, accessList: accessList, maxFeePerBlobGas: blobFeeCap,
            blobVersionedHashes: versionedHashes ?? blobData.compactMap { $0?.versionedHash }, sidecar: sidecar,
            authorizations: try (0..<authorizations).map { index in
                try TransactionBuilder.authorization(chainID: chainID, address: to ?? Address(), nonce: UInt64(index), signedBy: key)
            },
            replayProtected: replayProtected)
    }

    func signed(by key: Secp256k1.PrivateKey, fixture: Fixture) throws -> Transaction {
        let builder = try builder(key: key, fixture: fixture)
        guard zeroR else { return try builder.signed(by: key) }
        let signature = try key.signature(forDigest: builder.signingHash.bytes)
        return try builder.assembled(recoveryID: signature[64], r: .zero, s: UInt256(bigEndianBytes: signature[32..<64]) ?? .zero)
    }
}
