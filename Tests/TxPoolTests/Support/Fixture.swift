// SPDX-License-Identifier: Apache-2.0
import Eth
import Foundation
import RLP
import RLPxCrypto
import RLPxTestSupport
import TxPool

/// go-ethereum's eth-test chain data: the 20 funded keys (in the suite's order, ascending address), the head state's
/// nonces and balances, and the KZG data of the suite's blobs (`Vectors/ethtest/blobs.json`).
struct Fixture: Sendable {
    struct Sender: Sendable {
        let address: Address
        let key: Secp256k1.PrivateKey
    }

    struct BlobData: Sendable {
        let commitment: FixedBytes<48>
        let proof: FixedBytes<48>
        let versionedHash: Hash32
    }

    let senders: [Sender]
    let accounts: [Address: AccountState]
    /// By discriminator byte (0...115; larger bytes make non-canonical blobs).
    let blobs: [UInt8: BlobData]

    /// The suite's `to` (0xaa followed by zeros).
    static let recipient = Address([0xaa] + [UInt8](repeating: 0, count: 19)) ?? Address()

    static let loaded = Result { () throws -> Fixture in try Fixture() }
    static func load() throws -> Fixture { try loaded.get() }

    private init() throws {
        guard let keys = try Vectors.shared("ethtest/accounts.json") as? [String: [String: String]],
            let dump = try Vectors.shared("ethtest/headstate.json") as? [String: Any],
            let state = dump["accounts"] as? [String: [String: Any]]
        else { throw Vectors.MissingVectors(description: "ethtest accounts.json / headstate.json have another shape") }
        senders = try keys.keys.sorted().map { address in
            guard let parsed = Address(try Vectors.bytes(address)) else { throw Vectors.MissingVectors(description: address) }
            return Sender(address: parsed, key: try Secp256k1.PrivateKey(rawRepresentation: try Vectors.bytes(keys[address]?["key"])))
        }
        var accounts: [Address: AccountState] = [:]
        for (text, account) in state {
            guard let address = Address(try Vectors.bytes(text)), let balanceText = account["balance"] as? String,
                let big = BigUInt(balanceText), let balance = UInt256(big), let nonce = account["nonce"] as? Int
            else { continue }
            accounts[address] = AccountState(nonce: UInt64(nonce), balance: balance)
        }
        self.accounts = accounts
        guard let document = try Vectors.project("ethtest/blobs.json") as? [String: Any],
            let entries = document["blobs"] as? [[String: Any]]
        else { throw Vectors.MissingVectors(description: "blobs.json has another shape") }
        var blobs: [UInt8: BlobData] = [:]
        for entry in entries {
            guard let byte = entry["byte"] as? Int, entry["commitment"] is String,
                let commitment = FixedBytes<48>(try Vectors.bytes(entry["commitment"])),
                let proof = FixedBytes<48>(try Vectors.bytes(entry["proof"])),
                let hash = Hash32(try Vectors.bytes(entry["versionedHash"]))
            else { continue }
            blobs[UInt8(byte)] = BlobData(commitment: commitment, proof: proof, versionedHash: hash)
        }
        self.blobs = blobs
    }

    func state(_ address: Address) -> AccountState { accounts[address] ?? .empty }

    /// A pool over the head state, accepting transactions, with `config` (the eth-test chain at its head by default).
    func pool(config: PoolConfig = .ethTest, accepting: Bool = true) -> TxPool {
        let accounts = self.accounts
        var pool = TxPool(config: config) { accounts[$0] ?? .empty }
        pool.accepting = accepting
        return pool
    }
}
