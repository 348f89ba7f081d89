// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Testing
import TxPool

@Suite struct BuilderTests {
    @Test(arguments: Transaction.Kind.allCases)
    func everyTypeSignsAndValidates(_ type: Transaction.Kind) throws {
        let fixture = try Fixture.load()
        var spec = TxSpec(type: type)
        if type == .blob { spec.blobs = [1, 2] }
        if type == .setCode { spec.authorizations = 1 }
        if type == .setCode || type == .accessList { spec.gas = 60_000 }
        let tx = try fixture.tx(spec, sender: 5)
        #expect(tx.type == type)
        #expect(try tx.sender() == fixture.senders[5].address)
        let validated = try PoolValidation.validate(tx, config: .ethTest)
        #expect(validated.sender == fixture.senders[5].address)
        #expect(validated.kzgProofs == (type == .blob ? .notVerified : .notApplicable))
    }

    @Test func fixtureMatchesTheSuite() throws {
        let fixture = try Fixture.load()
        #expect(fixture.senders.count == 20)
        #expect(fixture.state(fixture.senders[0].address).balance > UInt256(UInt64.max))
        #expect(fixture.blobs.count == 116)
    }
}
