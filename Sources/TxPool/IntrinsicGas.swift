// SPDX-License-Identifier: Apache-2.0
import Eth

/// The gas a transaction needs before any execution, as go-ethereum's `core.IntrinsicGas` and `core.FloorDataGas`
/// compute it for the pool (Homestead creation cost always on, EIP-2028 from Istanbul, EIP-3860 from Shanghai).
public enum IntrinsicGas {
    static let transaction: UInt64 = 21_000
    static let contractCreation: UInt64 = 53_000
    static let zeroByte: UInt64 = 4
    static let nonZeroByteFrontier: UInt64 = 68
    static let nonZeroByteIstanbul: UInt64 = 16
    static let initCodeWord: UInt64 = 2
    static let accessListAddress: UInt64 = 2_400
    static let accessListStorageKey: UInt64 = 1_900
    /// Per EIP-7702 authorization (`params.CallNewAccountGas`).
    static let authorization: UInt64 = 25_000
    /// EIP-7623: tokens per non-zero byte, and the floor price per token.
    static let tokensPerNonZeroByte: UInt64 = 4
    static let floorPerToken: UInt64 = 10

    /// Intrinsic gas of `tx` under `fork`; nil when it overflows 64 bits (go-ethereum's "gas uint64 overflow").
    public static func of(_ tx: Transaction, fork: Fork) -> UInt64? {
        let creation = tx.to == nil
        var gas = creation ? contractCreation : transaction
        let data = tx.data
        if !data.isEmpty {
            let zeros = UInt64(data.count { $0 == 0 })
            let nonZeros = UInt64(data.count) - zeros
            let nonZeroPrice = fork >= .istanbul ? nonZeroByteIstanbul : nonZeroByteFrontier
            guard let withNonZero = add(gas, nonZeros, times: nonZeroPrice),
                let withZero = add(withNonZero, zeros, times: zeroByte)
            else { return nil }
            gas = withZero
            if creation && fork >= .shanghai {
                guard let withWords = add(gas, (UInt64(data.count) + 31) / 32, times: initCodeWord) else { return nil }
                gas = withWords
            }
        }
        let keys = tx.accessList.reduce(0) { $0 + UInt64($1.storageKeys.count) }
        guard let withAddresses = add(gas, UInt64(tx.accessList.count), times: accessListAddress),
            let withKeys = add(withAddresses, keys, times: accessListStorageKey),
            let withAuthorizations = add(withKeys, UInt64(tx.authorizations.count), times: authorization)
        else { return nil }
        return withAuthorizations
    }

    /// EIP-7623's floor (Prague): 21,000 + 10 per token, a zero byte one token and any other byte four; nil on overflow.
    public static func floor(_ tx: Transaction) -> UInt64? {
        let data = tx.data
        let zeros = UInt64(data.count { $0 == 0 })
        let nonZeros = UInt64(data.count) - zeros
        guard let tokens = add(zeros, nonZeros, times: tokensPerNonZeroByte) else { return nil }
        return add(transaction, tokens, times: floorPerToken)
    }

    /// `base + count × price`, or nil on overflow.
    private static func add(_ base: UInt64, _ count: UInt64, times price: UInt64) -> UInt64? {
        let (product, overflow) = count.multipliedReportingOverflow(by: price)
        let (sum, carry) = base.addingReportingOverflow(product)
        return overflow || carry ? nil : sum
    }
}
