// SPDX-License-Identifier: Apache-2.0
import RLP
import Testing

@testable import TxPool

/// The 384-bit wei arithmetic behind costs and fee bumps.
@Suite struct AmountTests {
    @Test func costsPast256Bits() {
        let max = Amount(UInt256.max)
        let product = max.multiplied(by: UInt64.max)
        #expect(product > max)
        #expect((product - max.multiplied(by: UInt64.max - 1)) == max)
        #expect(max + Amount(UInt64(1)) > max)
        #expect(Amount(UInt64(5)) - Amount(UInt64(6)) == nil)
        #expect(Amount(UInt256.max).description == UInt256.max.description)
    }

    @Test func bumps() {
        #expect(TxPool.bumped(Amount(UInt64(7)), 10) == Amount(UInt64(7)), "7 × 1.1 rounds down to 7")
        #expect(TxPool.bumped(Amount(UInt64(70)), 10) == Amount(UInt64(77)))
        #expect(TxPool.bumped(Amount(UInt64(5)), 100) == Amount(UInt64(10)))
        let big = Amount(UInt256.max)
        #expect(TxPool.bumped(big, 100) == big + big)
    }
}
