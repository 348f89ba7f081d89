// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP

extension SnapMessage {
    /// Decodes the payload of the message with `code` (relative to snap's offset) on snap/`version`.
    /// - Throws: ``RLPError`` with field path and offset; `unknownMessage` for a code the version does not define,
    ///   `limitExceeded` past go-ethereum's 10 MiB message limit.
    @_specialize(exported:true,where Bytes == [UInt8])  // what replays and peers hold: no dynamic casts per message
    public init<Bytes: Collection<UInt8>>(version: UInt, code: UInt64, payload: Bytes) throws(RLPError) {
        guard SnapVersion.supported.contains(version) else {
            throw RLPError(.unknownMessage, "snap/\(version) is not a supported version (snap/1 and snap/2)")
        }
        guard payload.count <= EthMessage.maximumPayloadSize else {
            throw RLPError(.limitExceeded, "payload of \(payload.count) bytes is over the 10 MiB message limit")
        }
        guard SnapVersion.messages.message(code: code, version: version) != nil, let kind = Kind(rawValue: code) else {
            let length = SnapVersion.codeSpaceLength(version) ?? 0
            throw RLPError(
                .unknownMessage,
                code >= length
                    ? "code \(code) is past snap/\(version)'s \(length) message codes"
                    : "\(SnapVersion.messages.message(code: code)?.name ?? "?") (code \(code)) was removed in "
                        + "snap/\(version)")
        }
        var reader = RLPReader(payload)
        self = try reader.readList { list throws(RLPError) in
            let id: UInt64 = try list.read(field: "requestID")
            return try Self.decodeFields(&list, id: id, kind: kind)
        }
        try reader.finish()
    }

    private static func decodeFields(_ list: inout RLPReader, id: UInt64, kind: Kind) throws(RLPError) -> SnapMessage {
        switch kind {
        case .getAccountRange:
            return .getAccountRange(
                requestID: id,
                AccountRangeRequest(
                    root: try list.read(field: "root"), origin: try list.read(field: "origin"),
                    limit: try list.read(field: "limit"), responseBytes: try list.read(field: "responseBytes")))
        case .accountRange:
            return .accountRange(requestID: id, accounts: try readAccounts(&list), proof: try readByteList(&list, field: "proof"))
        case .getStorageRanges:
            return .getStorageRanges(
                requestID: id,
                StorageRangesRequest(
                    root: try list.read(field: "root"), accounts: try list.read(field: "accounts"),
                    origin: try list.read(field: "origin"), limit: try list.read(field: "limit"),
                    responseBytes: try list.read(field: "responseBytes")))
        case .storageRanges:
            return .storageRanges(requestID: id, slots: try list.read(field: "slots"), proof: try readByteList(&list, field: "proof"))
        case .getByteCodes:
            return .getByteCodes(requestID: id, hashes: try list.read(field: "hashes"), responseBytes: try list.read(field: "responseBytes"))
        case .byteCodes:
            return .byteCodes(requestID: id, codes: try readByteList(&list, field: "codes"))
        case .getTrieNodes:
            let root: Hash32 = try list.read(field: "root")
            var paths: [[ArraySlice<UInt8>]] = []
            do throws(RLPError) {
                var sets = try list.listReader()
                while !sets.isAtEnd {
                    do throws(RLPError) {
                        paths.append(try readByteList(&sets, field: nil))
                    } catch {
                        throw error.prefixingPath("[\(paths.count)]")
                    }
                }
            } catch {
                throw error.prefixingPath("paths")
            }
            return .getTrieNodes(requestID: id, root: root, paths: paths, responseBytes: try list.read(field: "responseBytes"))
        case .trieNodes:
            return .trieNodes(requestID: id, nodes: try readByteList(&list, field: "nodes"))
        case .getBlockAccessLists:
            return .getBlockAccessLists(
                requestID: id, hashes: try list.read(field: "hashes"), responseBytes: try list.read(field: "responseBytes"))
        case .blockAccessLists:
            return .blockAccessLists(requestID: id, lists: try readByteList(&list, field: "accessLists"))
        }
    }

    /// A list of byte strings, kept as slices of the input.
    private static func readByteList(_ list: inout RLPReader, field: String?) throws(RLPError) -> [ArraySlice<UInt8>] {
        do throws(RLPError) {
            var items = try list.listReader()
            var result: [ArraySlice<UInt8>] = []
            while !items.isAtEnd {
                do throws(RLPError) {
                    result.append(try items.readBytes())
                } catch {
                    throw error.prefixingPath("[\(result.count)]")
                }
            }
            return result
        } catch {
            throw field.map { error.prefixingPath($0) } ?? error
        }
    }

    private static func readAccounts(_ list: inout RLPReader) throws(RLPError) -> [AccountEntry] {
        do throws(RLPError) {
            var items = try list.listReader()
            var result: [AccountEntry] = []
            while !items.isAtEnd {
                do throws(RLPError) {
                    result.append(
                        try items.readList { entry throws(RLPError) in
                            let hash: Hash32 = try entry.read(field: "hash")
                            let body = try entry.readElement()
                            var account: SlimAccount
                            do throws(RLPError) {
                                if body.kind == .list {
                                    var reader = RLPReader(body.encoded)
                                    account = try reader.read()
                                } else {
                                    var reader = RLPReader(body.payload)
                                    account = try reader.read()
                                    try reader.finish()
                                }
                            } catch {
                                let base = body.offset &+ (body.kind == .list ? 0 : body.headerLength)
                                throw error.offsetBy(base).prefixingPath("body")
                            }
                            return AccountEntry(hash: hash, account: account, bodyEncoding: body.encoded)
                        })
                } catch {
                    throw error.prefixingPath("[\(result.count)]")
                }
            }
            return result
        } catch {
            throw error.prefixingPath("accounts")
        }
    }

    /// The payload of this message.
    public func encoded() -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(integer: requestID)
                switch self {
                case .getAccountRange(_, let request):
                    list.write(request.root)
                    list.write(request.origin)
                    list.write(request.limit)
                    list.write(integer: request.responseBytes)
                case .accountRange(_, let accounts, let proof):
                    list.writeList { items in
                        for account in accounts {
                            items.writeList { entry in
                                entry.write(account.hash)
                                entry.write(encoded: account.bodyEncoding)
                            }
                        }
                    }
                    Self.writeByteList(proof, to: &list)
                case .getStorageRanges(_, let request):
                    list.write(request.root)
                    list.write(request.accounts)
                    list.write(bytes: request.origin)
                    list.write(bytes: request.limit)
                    list.write(integer: request.responseBytes)
                case .storageRanges(_, let slots, let proof):
                    list.write(slots)
                    Self.writeByteList(proof, to: &list)
                case .getByteCodes(_, let hashes, let bytes), .getBlockAccessLists(_, let hashes, let bytes):
                    list.write(hashes)
                    list.write(integer: bytes)
                case .byteCodes(_, let items), .trieNodes(_, let items), .blockAccessLists(_, let items):
                    Self.writeByteList(items, to: &list)
                case .getTrieNodes(_, let root, let paths, let bytes):
                    list.write(root)
                    list.writeList { sets in
                        for set in paths { Self.writeByteList(set, to: &sets) }
                    }
                    list.write(integer: bytes)
                }
            }
        }
    }

    private static func writeByteList(_ items: [ArraySlice<UInt8>], to writer: inout RLPWriter) {
        writer.writeList { list in
            for item in items { list.write(bytes: item) }
        }
    }
}
