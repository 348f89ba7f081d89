// SPDX-License-Identifier: Apache-2.0

/// go-ethereum's eth and snap protocol definitions at v1.17.5 (9621c6ad, the release `codes.json` records), written
/// out independently of the tables under test: the `…Msg` code constants and `protocolLengths` of
/// `eth/protocols/eth/protocol.go` and `eth/protocols/snap/protocol.go`, the codes each version's handler map in
/// `eth/protocols/eth/handler.go` (and snap's `handler.go`) accepts, and the request/response code pairs its request
/// tracker registers (`tracker.Request{ReqCode:, RespCode:}` in `peer.go`).
enum GethProtocols {
    struct Table {
        /// Message codes by the name of geth's constant without its `Msg` suffix.
        let codes: [String: UInt64]
        /// `protocolLengths`.
        let lengths: [UInt: UInt64]
        /// The codes a version handles: its handler map, plus Status, which the handshake reads.
        let handled: [UInt: Set<String>]
        /// Request name → response name.
        let pairs: [String: String]
    }

    static let eth: Table = {
        let codes: [String: UInt64] = [
            "Status": 0x00, "NewBlockHashes": 0x01, "Transactions": 0x02, "GetBlockHeaders": 0x03, "BlockHeaders": 0x04,
            "GetBlockBodies": 0x05, "BlockBodies": 0x06, "NewBlock": 0x07, "NewPooledTransactionHashes": 0x08,
            "GetPooledTransactions": 0x09, "PooledTransactions": 0x0a, "GetReceipts": 0x0f, "Receipts": 0x10,
            "BlockRangeUpdate": 0x11, "GetBlockAccessLists": 0x12, "BlockAccessLists": 0x13, "GetCells": 0x14, "Cells": 0x15,
        ]
        // v1.17.0's eth68 map (eth/68 left after it) still announced blocks; eth69 dropped the two announcements.
        let eth68: Set<String> = [
            "Status", "NewBlockHashes", "NewBlock", "Transactions", "NewPooledTransactionHashes", "GetBlockHeaders",
            "BlockHeaders", "GetBlockBodies", "BlockBodies", "GetReceipts", "Receipts", "GetPooledTransactions",
            "PooledTransactions",
        ]
        let eth69 = eth68.subtracting(["NewBlockHashes", "NewBlock"]).union(["BlockRangeUpdate"])
        let eth71 = eth69.union(["GetBlockAccessLists", "BlockAccessLists"])
        return Table(
            codes: codes, lengths: [68: 17, 69: 18, 70: 18, 71: 20, 72: 22],
            handled: [68: eth68, 69: eth69, 70: eth69, 71: eth71, 72: eth71.union(["GetCells", "Cells"])],
            pairs: [
                "GetBlockHeaders": "BlockHeaders", "GetBlockBodies": "BlockBodies", "GetReceipts": "Receipts",
                "GetPooledTransactions": "PooledTransactions", "GetBlockAccessLists": "BlockAccessLists", "GetCells": "Cells",
            ])
    }()

    static let snap: Table = {
        let snap1: Set<String> = [
            "GetAccountRange", "AccountRange", "GetStorageRanges", "StorageRanges", "GetByteCodes", "ByteCodes",
            "GetTrieNodes", "TrieNodes",
        ]
        return Table(
            codes: [
                "GetAccountRange": 0x00, "AccountRange": 0x01, "GetStorageRanges": 0x02, "StorageRanges": 0x03,
                "GetByteCodes": 0x04, "ByteCodes": 0x05, "GetTrieNodes": 0x06, "TrieNodes": 0x07,
                "GetBlockAccessLists": 0x08, "BlockAccessLists": 0x09,
            ],
            lengths: [1: 8, 2: 10],
            handled: [
                1: snap1,
                2: snap1.subtracting(["GetTrieNodes", "TrieNodes"]).union(["GetBlockAccessLists", "BlockAccessLists"]),
            ],
            pairs: [
                "GetAccountRange": "AccountRange", "GetStorageRanges": "StorageRanges", "GetByteCodes": "ByteCodes",
                "GetTrieNodes": "TrieNodes", "GetBlockAccessLists": "BlockAccessLists",
            ])
    }()
}
