// SPDX-License-Identifier: Apache-2.0
import RLP

extension EthMessage {
    /// Decodes the payload of the message with `code` (relative to eth's offset) on eth/`version`.
    /// - Throws: ``RLPError`` with the field path and offset: ``RLPError/Code/unknownMessage`` for a code the version
    ///   does not define, ``RLPError/Code/limitExceeded`` past ``maximumPayloadSize``, the layout's own errors.
    @_specialize(exported:true,where Bytes == [UInt8])  // what replays and peers hold: no dynamic casts per message
    public init<Bytes: Collection<UInt8>>(version: UInt, code: UInt64, payload: Bytes) throws(RLPError) {
        guard EthVersion.supported.contains(version) else {
            throw RLPError(.unknownMessage, "eth/\(version) is not a supported version (eth/68 to eth/72)")
        }
        guard payload.count <= Self.maximumPayloadSize else {
            throw RLPError(
                .limitExceeded, "payload of \(payload.count) bytes is over the \(Self.maximumPayloadSize)-byte message limit")
        }
        guard EthVersion.messages.message(code: code, version: version) != nil, let kind = Kind(rawValue: code) else {
            throw RLPError(.unknownMessage, Self.undefinedReason(code: code, version: version))
        }
        var reader = RLPReader(payload)
        self = try Self.decodeBody(&reader, version: version, kind: kind)
        try reader.finish()
    }

    static func undefinedReason(code: UInt64, version: UInt) -> String {
        let length = EthVersion.codeSpaceLength(version) ?? 0
        if code >= length { return "code \(code) is past eth/\(version)'s \(length) message codes" }
        if let message = EthVersion.messages.message(code: code), let removed = message.removed, version >= removed {
            return "\(message.name) (code \(code)) is not valid on eth/\(removed) and later: "
                + "go-ethereum has no handler and disconnects"
        }
        return "code \(code) is not used on eth/\(version)"
    }

    private static func decodeBody(_ reader: inout RLPReader, version: UInt, kind: Kind) throws(RLPError) -> EthMessage {
        switch kind {
        case .status: return .status(try Status(rlp: &reader, protocolVersion: version))
        case .newBlockHashes: return .newBlockHashes(try reader.read(field: "announcements"))
        case .transactions: return .transactions(try reader.read(field: "transactions"))
        case .getBlockHeaders:
            let (id, request) = try request(&reader) { list throws(RLPError) in try list.read(HeaderRequest.self, field: "request") }
            return .getBlockHeaders(requestID: id, request)
        case .blockHeaders:
            let (id, headers) = try request(&reader) { list throws(RLPError) in try list.read([BlockHeader].self, field: "headers") }
            return .blockHeaders(requestID: id, headers)
        case .getBlockBodies:
            let (id, hashes) = try request(&reader) { list throws(RLPError) in try list.read([Hash32].self, field: "hashes") }
            return .getBlockBodies(requestID: id, hashes)
        case .blockBodies:
            let (id, bodies) = try request(&reader) { list throws(RLPError) in try list.read([BlockBody].self, field: "bodies") }
            return .blockBodies(requestID: id, bodies)
        case .newBlock:
            let (block, difficulty) = try reader.readList { list throws(RLPError) in
                (try list.read(Block.self, field: "block"), try list.read(UInt256.self, field: "totalDifficulty"))
            }
            return .newBlock(block, totalDifficulty: difficulty)
        case .newPooledTransactionHashes:
            return .newPooledTransactionHashes(try TransactionAnnouncement(rlp: &reader, protocolVersion: version))
        case .getPooledTransactions:
            let (id, hashes) = try request(&reader) { list throws(RLPError) in try list.read([Hash32].self, field: "hashes") }
            return .getPooledTransactions(requestID: id, hashes)
        case .pooledTransactions:
            let (id, transactions) = try request(&reader) { list throws(RLPError) in
                try list.read([Transaction].self, field: "transactions")
            }
            return .pooledTransactions(requestID: id, transactions)
        case .getReceipts:
            let (id, (first, hashes)) = try request(&reader) { list throws(RLPError) in
                (
                    version >= 70 ? try list.read(UInt64.self, field: "firstBlockReceiptIndex") : nil,
                    try list.read([Hash32].self, field: "hashes")
                )
            }
            return .getReceipts(requestID: id, firstBlockReceiptIndex: first, hashes)
        case .receipts:
            let form: Receipt.Form = version >= 69 ? .network : .consensus
            let (id, (incomplete, blocks)) = try request(&reader) { list throws(RLPError) in
                (
                    version >= 70 ? try list.read(Bool.self, field: "lastBlockIncomplete") : nil,
                    try readReceipts(&list, form: form)
                )
            }
            return .receipts(requestID: id, lastBlockIncomplete: incomplete, blocks)
        case .blockRangeUpdate: return .blockRangeUpdate(try reader.read(field: "range"))
        case .getBlockAccessLists:
            let (id, hashes) = try request(&reader) { list throws(RLPError) in try list.read([Hash32].self, field: "hashes") }
            return .getBlockAccessLists(requestID: id, hashes)
        case .blockAccessLists:
            let (id, lists) = try request(&reader) { list throws(RLPError) in try readAccessLists(&list) }
            return .blockAccessLists(requestID: id, lists)
        case .getCells:
            let (id, (hashes, mask)) = try request(&reader) { list throws(RLPError) in
                (try list.read([Hash32].self, field: "hashes"), try list.read([UInt8].self, field: "mask"))
            }
            return .getCells(requestID: id, hashes: hashes, mask: mask)
        case .cells:
            let (id, (hashes, cells, mask)) = try request(&reader) { list throws(RLPError) in
                (
                    try list.read([Hash32].self, field: "hashes"), try readCells(&list),
                    try list.read([UInt8].self, field: "mask")
                )
            }
            return .cells(requestID: id, hashes: hashes, cells: cells, mask: mask)
        }
    }

    /// `[requestID, ...]`: the id, then what `body` reads; every element must be read.
    private static func request<T>(
        _ reader: inout RLPReader, _ body: (inout RLPReader) throws(RLPError) -> T
    ) throws(RLPError) -> (UInt64, T) {
        try reader.readList { list throws(RLPError) in
            let id: UInt64 = try list.read(field: "requestID")
            return (id, try body(&list))
        }
    }

    private static func readReceipts(_ list: inout RLPReader, form: Receipt.Form) throws(RLPError) -> [[Receipt]] {
        do throws(RLPError) {
            var blocks = try list.listReader()
            var result: [[Receipt]] = []
            while !blocks.isAtEnd {
                let index = result.count
                do throws(RLPError) {
                    var block = try blocks.listReader()
                    var receipts: [Receipt] = []
                    while !block.isAtEnd {
                        do throws(RLPError) {
                            receipts.append(try Receipt(rlp: &block, form: form))
                        } catch {
                            throw error.prefixingPath("[\(receipts.count)]")
                        }
                    }
                    result.append(receipts)
                } catch {
                    throw error.prefixingPath("[\(index)]")
                }
            }
            return result
        } catch {
            throw error.prefixingPath("receipts")
        }
    }

    private static func readAccessLists(_ list: inout RLPReader) throws(RLPError) -> [ArraySlice<UInt8>?] {
        do throws(RLPError) {
            var entries = try list.listReader()
            var result: [ArraySlice<UInt8>?] = []
            while !entries.isAtEnd {
                let element = try entries.readElement()
                if element.kind == .bytes {
                    guard element.payloadLength == 0 else {
                        throw RLPError(
                            .expectedList, "an access list is a list, or the empty string when unavailable",
                            at: element.offset, path: ["[\(result.count)]"])
                    }
                    result.append(nil)
                } else {
                    result.append(element.encoded)
                }
            }
            return result
        } catch {
            throw error.prefixingPath("accessLists")
        }
    }

    /// Cells are 2,048 bytes each (EIP-8070's `B_2048`).
    static let cellSize = 2048

    private static func readCells(_ list: inout RLPReader) throws(RLPError) -> [[ArraySlice<UInt8>]] {
        do throws(RLPError) {
            var transactions = try list.listReader()
            var result: [[ArraySlice<UInt8>]] = []
            while !transactions.isAtEnd {
                var cells = try transactions.listReader()
                var row: [ArraySlice<UInt8>] = []
                while !cells.isAtEnd {
                    let offset = cells.offset
                    let cell = try cells.readBytes()
                    guard cell.count == cellSize else {
                        throw RLPError(
                            .wrongByteCount, "a cell has \(cellSize) bytes, found \(cell.count)", at: offset,
                            path: ["[\(result.count)]", "[\(row.count)]"])
                    }
                    row.append(cell)
                }
                result.append(row)
            }
            return result
        } catch {
            throw error.prefixingPath("cells")
        }
    }

    /// The payload of this message on eth/`version`: the layout of that version (receipts with a bloom on eth/68,
    /// EIP-7975's extra fields from eth/70).
    public func encoded(version: UInt) -> [UInt8] {
        RLPWriter.encode { writer in
            func request(_ id: UInt64, _ body: (inout RLPWriter) -> Void) {
                writer.writeList { list in
                    list.write(integer: id)
                    body(&list)
                }
            }
            switch self {
            case .status(let status): status.encode(to: &writer)
            case .newBlockHashes(let announcements): writer.write(announcements)
            case .transactions(let transactions): writer.write(transactions)
            case .getBlockHeaders(let id, let headerRequest): request(id) { $0.write(headerRequest) }
            case .blockHeaders(let id, let headers): request(id) { $0.write(headers) }
            case .getBlockBodies(let id, let hashes), .getPooledTransactions(let id, let hashes),
                .getBlockAccessLists(let id, let hashes):
                request(id) { $0.write(hashes) }
            case .blockBodies(let id, let bodies): request(id) { $0.write(bodies) }
            case .newBlock(let block, let difficulty):
                writer.writeList { list in
                    list.write(block)
                    list.write(difficulty)
                }
            case .newPooledTransactionHashes(let announcement): announcement.encode(to: &writer)
            case .pooledTransactions(let id, let transactions): request(id) { $0.write(transactions) }
            case .getReceipts(let id, let first, let hashes):
                request(id) { list in
                    if version >= 70 { list.write(integer: first ?? 0) }
                    list.write(hashes)
                }
            case .receipts(let id, let incomplete, let blocks):
                let form: Receipt.Form = version >= 69 ? .network : .consensus
                request(id) { list in
                    if version >= 70 { list.write(incomplete ?? false) }
                    list.writeList { blocksList in
                        for receipts in blocks {
                            blocksList.writeList { block in
                                for receipt in receipts { receipt.encode(to: &block, form: form) }
                            }
                        }
                    }
                }
            case .blockRangeUpdate(let range): writer.write(range)
            case .blockAccessLists(let id, let lists):
                request(id) { list in
                    list.writeList { entries in
                        for entry in lists {
                            if let entry { entries.write(encoded: entry) } else { entries.write(bytes: [UInt8]()) }
                        }
                    }
                }
            case .getCells(let id, let hashes, let mask):
                request(id) { list in
                    list.write(hashes)
                    list.write(bytes: mask)
                }
            case .cells(let id, let hashes, let cells, let mask):
                request(id) { list in
                    list.write(hashes)
                    list.writeList { rows in
                        for row in cells { rows.writeList { for cell in row { $0.write(bytes: cell) } } }
                    }
                    list.write(bytes: mask)
                }
            }
        }
    }
}
