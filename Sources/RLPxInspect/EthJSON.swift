// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import Snap

/// eth and snap values as JSON: field names as the specifications spell them, hashes and bytes as `0x` hex,
/// integers of every width by one rule (``JSONValue/quantity(_:)-(UInt64)``): numbers up to 2⁵³ − 1, decimal
/// strings above.
public enum EthJSON {
    /// A 64-bit integer: a JSON number up to 2⁵³ − 1, a decimal string above.
    public static func int(_ value: UInt64) -> JSONValue { .quantity(value) }
    static func big(_ value: UInt256) -> JSONValue { value.uint64.map(JSONValue.quantity) ?? .string(value.description) }
    static func hex(_ bytes: some Sequence<UInt8>) -> JSONValue { .string(Hex.encode(bytes, prefixed: true)) }
    static func fixed<let n: Int>(_ value: FixedBytes<n>) -> JSONValue { .string(value.description) }
    static func hashes(_ values: [Hash32]) -> JSONValue { .array(values.map { .string($0.description) }) }

    /// ``Transaction/sender()`` as a value.
    public static func recoverSender(_ tx: Transaction) -> Result<Address, RLPError> {
        do throws(RLPError) {
            return .success(try tx.sender())
        } catch {
            return .failure(error)
        }
    }

    /// A transaction: `type` (integer), `hash`, `sender` (or `senderError`), `chainId`, then every field.
    public static func transaction(_ tx: Transaction) -> JSONValue { transaction(tx, sender: recoverSender(tx)) }

    /// The same with the sender already recovered (recovery costs tens of microseconds: do it once).
    public static func transaction(_ tx: Transaction, sender: Result<Address, RLPError>) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .int(Int(tx.type.rawValue))), ("hash", fixed(tx.hash))]
        switch sender {
        case .success(let address):
            members.append(("sender", fixed(address)))
        case .failure(let error):
            members.append(("sender", .null))
            members.append(("senderError", .string(error.reason)))
        }
        members.append(("chainId", tx.chainID.map(big) ?? .null))
        members.append(("nonce", int(tx.nonce)))
        if let gasPrice = tx.gasPrice { members.append(("gasPrice", big(gasPrice))) }
        if let tip = tx.maxPriorityFeePerGas { members.append(("maxPriorityFeePerGas", big(tip))) }
        if let cap = tx.maxFeePerGas { members.append(("maxFeePerGas", big(cap))) }
        members.append(("gas", int(tx.gasLimit)))
        members.append(("to", tx.to.map(fixed) ?? .null))
        members.append(("value", big(tx.value)))
        members.append(("input", hex(tx.data)))
        if tx.type != .legacy {
            members.append(
                (
                    "accessList",
                    .array(tx.accessList.map { .object([("address", fixed($0.address)), ("storageKeys", hashes($0.storageKeys))]) })
                ))
        }
        if let blobFee = tx.maxFeePerBlobGas { members.append(("maxFeePerBlobGas", big(blobFee))) }
        if tx.type == .blob { members.append(("blobVersionedHashes", hashes(tx.blobVersionedHashes))) }
        if tx.type == .setCode {
            members.append(("authorizationList", .array(tx.authorizations.map(authorization))))
        }
        members.append((tx.type == .legacy ? "v" : "yParity", big(tx.v)))
        members.append(("r", big(tx.r)))
        members.append(("s", big(tx.s)))
        members.append(("signingHash", fixed(tx.signingHash)))
        members.append(("size", .int(tx.canonicalSize)))
        if let sidecar = tx.sidecar {
            members.append(
                (
                    "sidecar",
                    .object([
                        ("wrapperVersion", .int(Int(sidecar.version))), ("blobs", .int(sidecar.blobs.count)),
                        ("commitments", .array(sidecar.commitments.map(fixed))), ("proofs", .array(sidecar.proofs.map(fixed))),
                    ])
                ))
        }
        return .object(members)
    }

    static func authorization(_ authorization: Authorization) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("chainId", big(authorization.chainID)), ("address", fixed(authorization.address)),
            ("nonce", int(authorization.nonce)), ("yParity", .int(Int(authorization.yParity))),
            ("r", big(authorization.r)), ("s", big(authorization.s)),
        ]
        if let authority = try? authorization.authority() { members.append(("authority", fixed(authority))) }
        return .object(members)
    }

    /// A header: `hash`, `number`, `fork` (what its field set implies), then every field.
    public static func header(_ header: BlockHeader) -> JSONValue {
        let base = header.base
        var members: [(String, JSONValue)] = [
            ("hash", fixed(header.hash)), ("number", int(base.number)), ("fork", .string(header.impliedFork)),
            ("fieldCount", .int(header.fieldCount)), ("parentHash", fixed(base.parentHash)),
            ("ommersHash", fixed(base.ommersHash)), ("coinbase", fixed(base.coinbase)),
            ("stateRoot", fixed(base.stateRoot)), ("transactionsRoot", fixed(base.transactionsRoot)),
            ("receiptsRoot", fixed(base.receiptsRoot)), ("logsBloom", fixed(base.logsBloom)),
            ("difficulty", big(base.difficulty)), ("gasLimit", int(base.gasLimit)), ("gasUsed", int(base.gasUsed)),
            ("timestamp", int(base.timestamp)), ("extraData", hex(base.extraData)), ("mixHash", fixed(base.mixHash)),
            ("nonce", fixed(base.nonce)),
        ]
        if let value = header.baseFeePerGas { members.append(("baseFeePerGas", big(value))) }
        if let value = header.withdrawalsRoot { members.append(("withdrawalsRoot", fixed(value))) }
        if let value = header.blobGasUsed { members.append(("blobGasUsed", int(value))) }
        if let value = header.excessBlobGas { members.append(("excessBlobGas", int(value))) }
        if let value = header.parentBeaconBlockRoot { members.append(("parentBeaconBlockRoot", fixed(value))) }
        if let value = header.requestsHash { members.append(("requestsHash", fixed(value))) }
        if let value = header.blockAccessListHash { members.append(("blockAccessListHash", fixed(value))) }
        if let value = header.slotNumber { members.append(("slotNumber", int(value))) }
        return .object(members)
    }

    static func body(_ body: BlockBody) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("transactions", .array(body.transactions.map(transaction))), ("ommers", .array(body.ommers.map(header))),
        ]
        if let withdrawals = body.withdrawals { members.append(("withdrawals", .array(withdrawals.map(withdrawal)))) }
        return .object(members)
    }

    static func withdrawal(_ value: Withdrawal) -> JSONValue {
        .object([
            ("index", int(value.index)), ("validatorIndex", int(value.validatorIndex)), ("address", fixed(value.address)),
            ("amount", int(value.amountGwei)),
        ])
    }

    static func receipt(_ receipt: Receipt) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .int(Int(receipt.type))),
            (receipt.succeeded == nil ? "postState" : "status", receipt.succeeded.map { .int($0 ? 1 : 0) } ?? hex(receipt.statusOrPostState)),
            ("cumulativeGasUsed", int(receipt.cumulativeGasUsed)),
        ]
        if let bloom = receipt.bloom { members.append(("logsBloom", fixed(bloom))) }
        members.append(
            (
                "logs",
                .array(receipt.logs.map { .object([("address", fixed($0.address)), ("topics", hashes($0.topics)), ("data", hex($0.data))]) })
            ))
        return .object(members)
    }

    static func forkID(_ id: ForkID) -> JSONValue { .object([("hash", fixed(id.hash)), ("next", int(id.next))]) }

    static func range(_ range: BlockRange) -> JSONValue {
        .object([("earliest", int(range.earliest)), ("latest", int(range.latest)), ("latestHash", fixed(range.latestHash))])
    }

    /// The fields of an eth message (the request id is not repeated here).
    public static func fields(_ message: EthMessage) -> JSONValue {
        switch message {
        case .status(let status):
            var members: [(String, JSONValue)] = [
                ("version", .int(Int(status.version))), ("networkId", int(status.networkID)),
            ]
            switch status.head {
            case .totalDifficulty(let difficulty, let best):
                members += [("td", big(difficulty)), ("bestHash", fixed(best))]
            case .range: break
            }
            members += [("genesis", fixed(status.genesis)), ("forkId", forkID(status.forkID))]
            if case .range(let range) = status.head {
                members += [("earliest", int(range.earliest)), ("latest", int(range.latest)), ("latestHash", fixed(range.latestHash))]
            }
            return .object(members)
        case .newBlockHashes(let announcements):
            return .object([("blocks", .array(announcements.map { .object([("hash", fixed($0.hash)), ("number", int($0.number))]) }))])
        case .transactions(let txs), .pooledTransactions(_, let txs):
            return .object([("transactions", .array(txs.map(transaction)))])
        case .getBlockHeaders(_, let request):
            let origin: (String, JSONValue) =
                switch request.origin {
                case .number(let number): ("originNumber", int(number))
                case .hash(let hash): ("originHash", fixed(hash))
                }
            return .object([origin, ("amount", int(request.amount)), ("skip", int(request.skip)), ("reverse", .bool(request.reverse))])
        case .blockHeaders(_, let headers): return .object([("headers", .array(headers.map(header)))])
        case .getBlockBodies(_, let list), .getPooledTransactions(_, let list), .getBlockAccessLists(_, let list):
            return .object([("hashes", hashes(list))])
        case .blockBodies(_, let bodies): return .object([("bodies", .array(bodies.map(body)))])
        case .newBlock(let block, let difficulty):
            return .object([("header", header(block.header)), ("body", body(block.body)), ("td", big(difficulty))])
        case .newPooledTransactionHashes(let announcement):
            var members: [(String, JSONValue)] = [
                ("types", .array(announcement.types.map { .int(Int($0)) })),
                ("sizes", .array(announcement.sizes.map { .int(Int($0)) })), ("hashes", hashes(announcement.hashes)),
            ]
            if let mask = announcement.cellMask { members.append(("cellMask", hex(mask))) }
            return .object(members)
        case .getReceipts(_, let first, let list):
            var members: [(String, JSONValue)] = []
            if let first { members.append(("firstBlockReceiptIndex", int(first))) }
            return .object(members + [("hashes", hashes(list))])
        case .receipts(_, let incomplete, let blocks):
            var members: [(String, JSONValue)] = []
            if let incomplete { members.append(("lastBlockIncomplete", .bool(incomplete))) }
            return .object(members + [("receipts", .array(blocks.map { .array($0.map(receipt)) }))])
        case .blockRangeUpdate(let value): return range(value)
        case .blockAccessLists(_, let lists):
            return .object([("accessLists", .array(lists.map { $0.map { hex($0) } ?? .null }))])
        case .getCells(_, let list, let mask): return .object([("hashes", hashes(list)), ("mask", hex(mask))])
        case .cells(_, let list, let cells, let mask):
            return .object([
                ("hashes", hashes(list)), ("cells", .array(cells.map { .int($0.count) })), ("mask", hex(mask)),
            ])
        }
    }

    /// The fields of a snap message (the request id is not repeated here).
    public static func fields(_ message: SnapMessage) -> JSONValue {
        func byteList(_ items: [ArraySlice<UInt8>]) -> JSONValue { .array(items.map { hex($0) }) }
        switch message {
        case .getAccountRange(_, let request):
            return .object([
                ("root", fixed(request.root)), ("origin", fixed(request.origin)), ("limit", fixed(request.limit)),
                ("responseBytes", int(request.responseBytes)),
            ])
        case .accountRange(_, let accounts, let proof):
            return .object([
                (
                    "accounts",
                    .array(
                        accounts.map { entry in
                            .object([
                                ("hash", fixed(entry.hash)), ("nonce", int(entry.account.nonce)), ("balance", big(entry.account.balance)),
                                ("storageRoot", entry.account.storageRoot.map(fixed) ?? .null),
                                ("codeHash", entry.account.codeHash.map(fixed) ?? .null),
                            ])
                        })
                ), ("proof", byteList(proof)),
            ])
        case .getStorageRanges(_, let request):
            return .object([
                ("root", fixed(request.root)), ("accounts", hashes(request.accounts)), ("origin", hex(request.origin)),
                ("limit", hex(request.limit)), ("responseBytes", int(request.responseBytes)),
            ])
        case .storageRanges(_, let slots, let proof):
            return .object([
                ("slots", .array(slots.map { .array($0.map { .object([("hash", fixed($0.hash)), ("data", hex($0.data))]) }) })),
                ("proof", byteList(proof)),
            ])
        case .getByteCodes(_, let list, let bytes), .getBlockAccessLists(_, let list, let bytes):
            return .object([("hashes", hashes(list)), ("responseBytes", int(bytes))])
        case .byteCodes(_, let codes): return .object([("codes", byteList(codes))])
        case .getTrieNodes(_, let root, let paths, let bytes):
            return .object([("root", fixed(root)), ("paths", .array(paths.map(byteList))), ("responseBytes", int(bytes))])
        case .trieNodes(_, let nodes): return .object([("nodes", byteList(nodes))])
        case .blockAccessLists(_, let lists): return .object([("accessLists", byteList(lists))])
        }
    }
}
