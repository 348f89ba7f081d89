// SPDX-License-Identifier: Apache-2.0
import Eth
import Glibc
import RLP
import RLPxCrypto

/// The transactions go-ethereum's transaction tests send, signed by the chain's funded accounts, at a fee level:
/// level 0 is the suite's (tip 1 wei, fee cap the head's base fee, blob fee cap the head's blob base fee), and each
/// level doubles all three, a replacement go-ethereum takes (its legacy pool asks for 10 % more, its blob pool for
/// 100 %). A test asks the node which levels it holds (``GethTransactionSuite/freshLevel(_:timeout:representative:_:)``).
struct SuiteTransactions: Sendable {
    let chainID: UInt64
    let senders: [Secp256k1.PrivateKey]
    /// The head's base fee (1 wei before London).
    let baseFee: UInt64
    /// The head's blob base fee.
    let blobFee: UInt64

    /// The suite's recipient: 0xaa followed by 19 zero bytes.
    static let recipient = Address([0xaa] + [UInt8](repeating: 0, count: 19)) ?? Address()
    /// The fee levels tried at most.
    static let maximumLevel = 32

    init(chainID: UInt64, senders: [Secp256k1.PrivateKey], head: BlockHeader) {
        self.chainID = chainID
        self.senders = senders
        baseFee = head.baseFeePerGas.map { $0.uint64 ?? .max } ?? 1
        blobFee = Self.blobBaseFee(excessBlobGas: head.excessBlobGas ?? 0)
    }

    /// EIP-4844's blob base fee for `excess`: 1 wei at zero excess (go-ethereum's test head); otherwise an upper
    /// bound (Cancun's update fraction, the smallest of any fork), which a fee cap may be.
    static func blobBaseFee(excessBlobGas excess: UInt64) -> UInt64 {
        guard excess > 0 else { return 1 }
        let fee = exp(Double(excess) / 3_338_477).rounded(.up)
        return fee < 1.8e19 ? UInt64(fee) : .max
    }

    /// `value` doubled `level` times (saturating).
    static func doubled(_ value: UInt64, _ level: Int) -> UInt256 {
        guard level > 0 else { return UInt256(value) }
        let shift = UInt64(min(level, 63))
        let (result, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return UInt256(overflow ? .max : result)
    }

    /// A DynamicFeeTx from sender `sender` at `level`.
    func dynamicFee(
        sender: Int, nonce: UInt64, level: Int, gas: UInt64, to: Address?, value: UInt256 = .zero, data: [UInt8] = []
    ) throws(RLPError) -> Transaction {
        try builder(nonce: nonce, level: level, gas: gas, to: to, value: value, data: data).signed(by: key(sender))
    }

    /// The unsigned DynamicFeeTx.
    func builder(nonce: UInt64, level: Int, gas: UInt64, to: Address?, value: UInt256 = .zero, data: [UInt8] = []) -> TransactionBuilder {
        TransactionBuilder(
            type: .dynamicFee, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: Self.doubled(1, level),
            maxFeePerGas: Self.doubled(baseFee, level), gasLimit: gas, to: to, value: value, data: data)
    }

    /// go-ethereum's `makeBlobTxs`: `count` BlobTxs from `sender` with nonces 0, 1, …, `blobs` blobs in all (at most
    /// two a transaction), each blob `byte`, with a version-0 sidecar.
    func blobTransactions(count: Int, blobs: Int, byte: UInt8, sender: Int, level: Int) throws(RLPError) -> [(
        tx: Transaction, builder: TransactionBuilder
    )] {
        var remaining = blobs
        var made: [(Transaction, TransactionBuilder)] = []
        for index in 0..<count {
            let here = min(remaining, 2)
            remaining -= here
            let builder = try blobBuilder(nonce: UInt64(index), blobs: here, byte: byte, level: level)
            made.append((try builder.signed(by: key(sender)), builder))
        }
        return made
    }

    /// The hash of ``blobTransactions(count:blobs:byte:sender:level:)``'s first transaction (nonce 0, `min(blobs, 2)`
    /// blobs), signed without its sidecar, which the hash does not cover.
    func blobHash(blobs: Int, byte: UInt8, sender: Int, level: Int) throws(RLPError) -> Hash32 {
        var builder = try blobBuilder(nonce: 0, blobs: min(blobs, 2), byte: byte, level: level)
        builder.sidecar = nil
        return try builder.signed(by: key(sender)).hash
    }

    /// A BlobTx as go-ethereum's suite makes it: gas 100,000, to the zero address, `blobs` blobs of `byte`.
    func blobBuilder(nonce: UInt64, blobs: Int, byte: UInt8, level: Int) throws(RLPError) -> TransactionBuilder {
        guard let (sidecar, hashes) = BlobFixtures.sidecar(Array(repeating: byte, count: blobs)) else {
            throw RLPError(.invalidValue, "no KZG data for blob byte \(byte)")
        }
        return TransactionBuilder(
            type: .blob, chainID: chainID, nonce: nonce, maxPriorityFeePerGas: Self.doubled(1, level),
            maxFeePerGas: Self.doubled(baseFee, level), gasLimit: 100_000, to: Address(),
            maxFeePerBlobGas: Self.doubled(blobFee, level), blobVersionedHashes: hashes, sidecar: sidecar)
    }

    private func key(_ sender: Int) throws(RLPError) -> Secp256k1.PrivateKey {
        guard senders.indices.contains(sender) else { throw RLPError(.invalidValue, "no sender \(sender)") }
        return senders[sender]
    }
}
