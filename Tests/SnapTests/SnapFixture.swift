// SPDX-License-Identifier: Apache-2.0
import Eth
import EthState
import Foundation
import RLP
import RLPxTestSupport
import Snap
import Testing

/// go-ethereum's snap test chain, loaded once: the head state and the states of blocks 599 and 473 (checked
/// against their dumps' roots and the chain's headers), the genesis state root from `genesis.json`, the suite
/// built on them and a responder serving the three states (not the genesis).
struct SnapFixture: Sendable {
    let head: WorldState
    let parent: WorldState
    let ancestor: WorldState
    /// Block number to state root, from `chain.rlp`.
    let roots: [UInt64: Hash32]
    let genesisRoot: Hash32
    let suite: SnapSuite
    let responder: SnapResponder

    static let loaded: Result<SnapFixture, any Error> = Result { try SnapFixture() }

    /// The fixture, or the test fails with why it could not be loaded.
    static func shared() throws -> SnapFixture { try loaded.get() }

    private init() throws {
        head = try WorldState(dumpJSON: Vectors.sharedData("ethtest/headstate.json"))
        parent = try WorldState(dumpJSON: Vectors.projectData("ethtest/state-599.json"))
        ancestor = try WorldState(dumpJSON: Vectors.projectData("ethtest/state-473.json"))
        let blocks = try Block.sequence(Array(Vectors.sharedData("ethtest/chain.rlp")))
        roots = Dictionary(blocks.map { ($0.header.number, $0.header.base.stateRoot) }) { first, _ in first }
        genesisRoot = try Self.genesisState().root
        let chain = SnapSuite.Chain(
            head: head, headRoot: try #require(roots[600]), parentRoot: try #require(roots[599]),
            ancestorRoot: try #require(roots[473]), genesisRoot: genesisRoot, parent: parent, ancestor: ancestor)
        suite = try SnapSuite(chain: chain)
        responder = SnapResponder(states: [head, parent, ancestor])
    }

    /// The genesis alloc of `genesis.json` as a state (hex quantities, unprefixed addresses, 32-byte storage values).
    static func genesisState() throws -> WorldState {
        let file = try #require(try Vectors.shared("ethtest/genesis.json") as? [String: Any])
        let alloc = try #require(file["alloc"] as? [String: [String: Any]])
        var accounts: [StateAccount] = []
        for (address, fields) in alloc {
            var storage: [Hash32: [UInt8]] = [:]
            for (slot, value) in fields["storage"] as? [String: String] ?? [:] {
                storage[try Hash32(hex: slot)] = try Hex.decode(value)
            }
            let nonce = try #require(BigUInt(fields["nonce"] as? String ?? "0x0").flatMap { UInt256($0)?.uint64 })
            let balance = try #require(BigUInt(fields["balance"] as? String ?? "0x0").flatMap { UInt256($0) })
            let code = try Hex.decode(fields["code"] as? String ?? "")
            accounts.append(
                StateAccount(address: try Address(hex: address), nonce: nonce, balance: balance, code: code, storage: storage))
        }
        return WorldState(accounts: accounts)
    }

    /// The answer of the responder, as a probe would observe it.
    func observe(_ request: SnapMessage) -> SnapObservation {
        SnapObservation(responder.respond(to: request))
    }

    /// The response message the responder sends for `request`; fails the test for any other answer.
    func reply(_ request: SnapMessage) throws -> SnapMessage {
        guard case .reply(let message) = responder.respond(to: request) else {
            throw Vectors.MissingVectors(description: "no reply to \(request.name)")
        }
        return message
    }
}

/// A hash from hex; fails the test on bad hex.
func hash(_ text: String) throws -> Hash32 { try Hash32(hex: text) }
