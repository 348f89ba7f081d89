// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension TxPool {
    /// What one ``add(_:)`` did.
    public struct AddResult: Sendable {
        /// Per transaction, in order: nil if pooled, else why not.
        public var errors: [PoolError?]
        /// Transactions that became executable (new pending ones, replaced pending ones, every new blob
        /// transaction): what go-ethereum's pool reports and its handler then propagates. By sender, then nonce.
        public var promoted: [ValidatedTransaction]
    }

    /// Adds a batch as go-ethereum's pool does: each transaction is validated and queued (or replaces a pending
    /// one), then every sender that got a new transaction has its executable queued transactions promoted and
    /// its queue capped.
    public mutating func add(_ txs: [Transaction]) -> AddResult {
        var errors: [PoolError?] = []
        var events = Events()
        var dirty: [Address] = []
        for tx in txs {
            do throws(PoolError) {
                guard entries[tx.hash] == nil else { throw .alreadyKnown }
                let validated = try PoolValidation.validate(tx, config: config)
                if tx.type == .blob {
                    try addBlob(validated)
                    events.put(validated)
                } else {
                    switch try addLegacy(validated) {
                    case .replacedPending: events.put(validated)
                    case .replacedQueued: break
                    case .queued: if !dirty.contains(validated.sender) { dirty.append(validated.sender) }
                    }
                }
                errors.append(nil)
            } catch {
                errors.append(error)
            }
        }
        for sender in dirty {
            for promoted in promote(sender) { events.put(promoted) }
        }
        return AddResult(errors: errors, promoted: events.flatten(order: { senderOrder[$0] ?? .max }))
    }

    /// Same-nonce events replace earlier ones (go-ethereum's per-sender sorted map).
    struct Events {
        var bySender: [Address: [UInt64: ValidatedTransaction]] = [:]

        mutating func put(_ tx: ValidatedTransaction) { bySender[tx.sender, default: [:]][tx.transaction.nonce] = tx }

        func flatten(order: (Address) -> Int) -> [ValidatedTransaction] {
            bySender.keys.sorted { (order($0), $0.description) < (order($1), $1.description) }.flatMap { sender in
                (bySender[sender] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            }
        }
    }

    enum LegacyOutcome { case replacedPending, replacedQueued, queued }

    /// The legacy pool's `add`: state checks, reservation, then replace a pending transaction or queue.
    private mutating func addLegacy(_ tx: ValidatedTransaction) throws(PoolError) -> LegacyOutcome {
        let sender = tx.sender
        let nonce = tx.transaction.nonce
        var account = legacy[sender] ?? LegacyAccount()
        let head = state.account(sender)
        try checkNonceAndFunds(tx, head: head, spent: account.pendingCost, existing: account.pending[nonce].flatMap { entries[$0] })
        if legacy[sender] == nil, !(blob[sender] ?? []).isEmpty { throw .alreadyReserved }
        remember(sender)
        let outcome: LegacyOutcome
        if let old = account.pending[nonce].flatMap({ entries[$0] }) {
            try checkBump(old: old.transaction, new: tx.transaction, percent: config.priceBump)
            entries[old.hash] = nil
            account.pending[nonce] = tx.hash
            account.pendingCost = (account.pendingCost - old.cost ?? .zero) + tx.cost
            outcome = .replacedPending
        } else if let old = account.queued[nonce].flatMap({ entries[$0] }) {
            try checkBump(old: old.transaction, new: tx.transaction, percent: config.priceBump)
            entries[old.hash] = nil
            account.queued[nonce] = tx.hash
            outcome = .replacedQueued
        } else {
            account.queued[nonce] = tx.hash
            outcome = .queued
        }
        entries[tx.hash] = tx
        legacy[sender] = account
        return outcome
    }

    /// `promoteExecutables` for one sender: moves the queued transactions that continue the pending ones, then
    /// drops the highest queued nonces beyond ``PoolConfig/accountQueue``.
    private mutating func promote(_ sender: Address) -> [ValidatedTransaction] {
        guard var account = legacy[sender] else { return [] }
        var next = state.account(sender).nonce &+ UInt64(account.pending.count)
        var promoted: [ValidatedTransaction] = []
        while let hash = account.queued.removeValue(forKey: next) {
            account.pending[next] = hash
            if let tx = entries[hash] {
                account.pendingCost = account.pendingCost + tx.cost
                promoted.append(tx)
            }
            next &+= 1
        }
        let excess = account.queued.count - config.accountQueue
        if excess > 0 {
            for nonce in account.queued.keys.sorted().suffix(excess) {
                if let hash = account.queued.removeValue(forKey: nonce) { entries[hash] = nil }
            }
        }
        legacy[sender] = account.isEmpty ? nil : account
        return promoted
    }

    /// The blob pool's `add`: gapless nonces, at most 16 per sender, 100 % bump on every fee, then insert.
    private mutating func addBlob(_ tx: ValidatedTransaction) throws(PoolError) {
        let sender = tx.sender
        let nonce = tx.transaction.nonce
        var list = blob[sender] ?? []
        let head = state.account(sender)
        if head.nonce > nonce { throw .nonceTooLow(next: head.nonce, nonce: nonce) }
        let gap = head.nonce &+ UInt64(list.count)
        if nonce > gap { throw .nonceTooHigh(nonce: nonce, gap: gap) }
        let offset = Int(nonce - head.nonce)
        let existing = offset < list.count ? entries[list[offset]] : nil
        let spent = list.compactMap { entries[$0]?.cost }.reduce(Amount.zero, +)
        try checkNonceAndFunds(tx, head: head, spent: spent, existing: existing)
        if existing == nil && list.count >= config.blobTransactionsPerAccount {
            throw .accountLimitExceeded(pooled: list.count)
        }
        if let old = existing {
            if old.hash == tx.hash { throw .alreadyKnown }
            try checkBlobBump(old: old.transaction, new: tx.transaction)
        }
        if blob[sender] == nil, legacy[sender] != nil { throw .alreadyReserved }
        remember(sender)
        if let old = existing {
            entries[old.hash] = nil
            list[offset] = tx.hash
        } else {
            list.append(tx.hash)
        }
        entries[tx.hash] = tx
        blob[sender] = list
    }

    /// `ValidateTransactionWithState`: nonce not used, balance covers the transaction and, with what the account
    /// already has pooled (`spent`, less a transaction being replaced), the total.
    private func checkNonceAndFunds(
        _ tx: ValidatedTransaction, head: AccountState, spent: Amount, existing: ValidatedTransaction?
    ) throws(PoolError) {
        let nonce = tx.transaction.nonce
        if head.nonce > nonce { throw .nonceTooLow(next: head.nonce, nonce: nonce) }
        let balance = Amount(head.balance)
        if balance < tx.cost { throw .insufficientFunds(detail: "balance \(balance), tx cost \(tx.cost)") }
        if let existing {
            if balance + existing.cost < spent + tx.cost {
                throw .insufficientFunds(
                    detail: "balance \(balance), queued cost \(spent), tx replaces one costing \(existing.cost) with \(tx.cost)")
            }
        } else if balance < spent + tx.cost {
            throw .insufficientFunds(detail: "balance \(balance), queued cost \(spent), tx cost \(tx.cost)")
        }
    }

    /// The legacy pool's replacement rule: both fee cap and tip above the old ones and at least `percent` % higher.
    private func checkBump(old: Transaction, new: Transaction, percent: UInt64) throws(PoolError) {
        let (oldFee, oldTip) = Self.fees(old)
        let (newFee, newTip) = Self.fees(new)
        if oldFee >= newFee || oldTip >= newTip { throw .replaceUnderpriced(detail: "") }
        if newFee < Self.bumped(oldFee, percent) || newTip < Self.bumped(oldTip, percent) {
            throw .replaceUnderpriced(detail: "")
        }
    }

    /// The blob pool's rule: fee cap, tip and blob fee cap each above the old and by ``PoolConfig/blobPriceBump`` %.
    private func checkBlobBump(old: Transaction, new: Transaction) throws(PoolError) {
        let (oldFee, oldTip) = Self.fees(old)
        let (newFee, newTip) = Self.fees(new)
        let oldBlob = Amount(old.maxFeePerBlobGas ?? .zero)
        let newBlob = Amount(new.maxFeePerBlobGas ?? .zero)
        let percent = config.blobPriceBump
        for (name, newValue, oldValue) in [("gas fee cap", newFee, oldFee), ("gas tip cap", newTip, oldTip), ("blob gas fee cap", newBlob, oldBlob)]
        where newValue <= oldValue {
            throw .replaceUnderpriced(detail: "new tx \(name) \(newValue) <= \(oldValue) queued")
        }
        for (name, newValue, oldValue) in [("gas fee cap", newFee, oldFee), ("gas tip cap", newTip, oldTip), ("blob gas fee cap", newBlob, oldBlob)]
        where newValue < Self.bumped(oldValue, percent) {
            throw .replaceUnderpriced(
                detail: "new tx \(name) \(newValue) < \(oldValue) queued + \(percent)% replacement penalty")
        }
    }

    /// Fee cap and tip (both the gas price for legacy and access-list transactions).
    static func fees(_ tx: Transaction) -> (Amount, Amount) {
        (Amount(tx.maxFeePerGas ?? tx.gasPrice ?? .zero), Amount(tx.maxPriorityFeePerGas ?? tx.gasPrice ?? .zero))
    }

    /// `value × (100 + percent) / 100`, rounded down.
    static func bumped(_ value: Amount, _ percent: UInt64) -> Amount {
        value.multiplied(by: 100 &+ percent).divided(by: 100)
    }
}
