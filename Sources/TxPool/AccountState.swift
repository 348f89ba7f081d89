// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

/// An account at the head state, as the pool needs it.
public struct AccountState: Sendable, Hashable {
    public var nonce: UInt64
    public var balance: UInt256

    public init(nonce: UInt64, balance: UInt256) {
        self.nonce = nonce
        self.balance = balance
    }

    /// An account that does not exist: nonce 0, no balance.
    public static let empty = AccountState(nonce: 0, balance: .zero)
}

/// Where the pool reads the head state (go-ethereum's `StateDB.GetNonce` / `GetBalance`).
public protocol AccountStateProvider: Sendable {
    func account(_ address: Address) -> AccountState
}

/// A state given as a function.
public struct AccountStateFunction: AccountStateProvider {
    let body: @Sendable (Address) -> AccountState

    public init(_ body: @escaping @Sendable (Address) -> AccountState) { self.body = body }

    public func account(_ address: Address) -> AccountState { body(address) }
}
