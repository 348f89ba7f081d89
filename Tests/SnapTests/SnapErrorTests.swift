// SPDX-License-Identifier: Apache-2.0
import EthState
import RLP
import Snap
import Testing

/// A chain the suite cannot be built from is refused with a code saying why.
@Suite struct SnapErrorTests {
    @Test func aHeadStateWithAnotherRootIsStateRootMismatch() throws {
        let fixture = try SnapFixture.shared()
        let chain = SnapSuite.Chain(
            head: fixture.head, headRoot: fixture.genesisRoot, parentRoot: fixture.parent.root, ancestorRoot: fixture.ancestor.root,
            genesisRoot: fixture.genesisRoot, parent: fixture.parent, ancestor: fixture.ancestor)
        let error = #expect(throws: SnapError.self) { try SnapSuite(chain: chain) }
        #expect(error?.code == .stateRootMismatch)
        #expect(error?.reason.hasPrefix("the head state's root is") == true)
    }

    @Test func anEmptyHeadStateLacksTheCases() throws {
        let empty = WorldState(accounts: [])
        let chain = SnapSuite.Chain(
            head: empty, headRoot: empty.root, parentRoot: empty.root, ancestorRoot: empty.root, genesisRoot: empty.root)
        let error = #expect(throws: SnapError.self) { try SnapSuite(chain: chain) }
        #expect(error?.code == .stateLacksCase)
    }
}
