// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

/// A transaction read in place: its fields are positions in the bytes of the message or body that holds it, checked
/// when the view is made (every field's shape, size and canonical form, as ``Transaction`` checks them) and decoded
/// when read. Making one allocates nothing; ``hash`` hashes the bytes in place.
///
/// Views come from ``BlockBodyView/transactions`` and ``TransactionView/init(binary:)``. Blob transactions in
/// network form (with a sidecar) are not read as views: decode them as ``Transaction``.
public struct TransactionView: Sendable {
    /// Where each field's payload sits, by ``Slot``.
    struct Slots: Sendable {
        var starts = InlineArray<16, Int>(repeating: 0)
        var ends = InlineArray<16, Int>(repeating: 0)

        subscript(slot: Slot) -> Range<Int> {
            get { starts[slot.rawValue]..<ends[slot.rawValue] }
            set {
                starts[slot.rawValue] = newValue.lowerBound
                ends[slot.rawValue] = newValue.upperBound
            }
        }
    }

    enum Slot: Int {
        case chainID, nonce, gasPrice, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList
        case maxFeePerBlobGas, blobVersionedHashes, authorizations, v, r, s
    }

    /// The bytes the positions are counted in (shared, not copied).
    let base: ArraySlice<UInt8>
    /// The type.
    public let type: Transaction.Kind
    /// The canonical binary form in `base`: `type ‖ rlp(fields)`, or a legacy transaction's list.
    let binary: Range<Int>
    let slots: Slots
    /// The sender's nonce.
    public let nonce: UInt64
    /// Gas limit.
    public let gasLimit: UInt64

    /// Reads one transaction in its binary form (as ``Transaction/init(binary:)`` takes it, without a sidecar).
    public init(binary: some Collection<UInt8>) throws(RLPError) {
        let base = RLP.slice(binary)
        var cursor = ViewCursor(0..<base.count)
        if base.first.map({ $0 < 0x80 }) == true {
            self = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                try TransactionView(base: base, buffer: buffer, typed: 0..<buffer.count, offset: 0)
            }
        } else {
            self = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
                try TransactionView(base: base, buffer: buffer, cursor: &cursor)
            }
            try cursor.finish("the input")
        }
    }

    /// Reads the next item of `cursor` as a transaction: a legacy list, or a byte string holding a typed one.
    init(base: ArraySlice<UInt8>, buffer: UnsafeBufferPointer<UInt8>, cursor: inout ViewCursor) throws(RLPError) {
        let (header, offset) = try cursor.next(buffer)
        let payload = (offset &+ header.headerLength)..<cursor.position
        if header.isList {
            var fields = ViewCursor(payload)
            try self.init(base: base, buffer: buffer, type: .legacy, binary: offset..<cursor.position, fields: &fields)
        } else {
            try self.init(base: base, buffer: buffer, typed: payload, offset: offset)
        }
    }

    /// `type ‖ rlp(fields)` at `range`; `offset` is where its item starts (for errors).
    private init(base: ArraySlice<UInt8>, buffer: UnsafeBufferPointer<UInt8>, typed range: Range<Int>, offset: Int) throws(RLPError) {
        guard let typeByte = range.isEmpty ? nil : buffer[range.lowerBound] else {
            throw RLPError(.unexpectedEnd, "empty typed transaction", at: offset)
        }
        guard typeByte < 0x80, let type = Transaction.Kind(rawValue: typeByte), type != .legacy else {
            throw RLPError(.unknownTransactionType, "transaction type 0x\(String(typeByte, radix: 16)) is not defined", at: range.lowerBound)
        }
        var outer = ViewCursor((range.lowerBound &+ 1)..<range.upperBound)
        let (header, listOffset) = try outer.next(buffer)
        guard header.isList else {
            throw RLPError(.expectedList, "a typed transaction's fields are a list", at: listOffset)
        }
        guard outer.isAtEnd else {
            throw RLPError(.trailingBytes, "bytes follow a typed transaction's field list", at: outer.position)
        }
        var fields = ViewCursor((listOffset &+ header.headerLength)..<outer.position)
        if type == .blob, !fields.isAtEnd, buffer[fields.position] >= 0xc0 {
            throw RLPError(
                .unsupportedValue, "a network-form blob transaction (with its sidecar): decode it as Transaction", at: listOffset)
        }
        try self.init(base: base, buffer: buffer, type: type, binary: range, fields: &fields)
    }

    private init(
        base: ArraySlice<UInt8>, buffer: UnsafeBufferPointer<UInt8>, type: Transaction.Kind, binary: Range<Int>,
        fields list: inout ViewCursor
    ) throws(RLPError) {
        var slots = Slots()
        if type != .legacy { slots[.chainID] = try list.uint256(buffer, "chainId") }
        nonce = try list.integer(buffer, "nonce")
        switch type {
        case .legacy, .accessList:
            slots[.gasPrice] = try list.uint256(buffer, "gasPrice")
        case .dynamicFee, .blob, .setCode:
            slots[.maxPriorityFeePerGas] = try list.uint256(buffer, "maxPriorityFeePerGas")
            slots[.maxFeePerGas] = try list.uint256(buffer, "maxFeePerGas")
        }
        gasLimit = try list.integer(buffer, "gasLimit")
        slots[.to] = try list.fixed(buffer, count: 20, "to", orEmpty: type != .blob && type != .setCode)
        slots[.value] = try list.uint256(buffer, "value")
        slots[.data] = try list.bytes(buffer, "data")
        if type != .legacy { slots[.accessList] = try Self.checkAccessList(buffer, &list) }
        if type == .blob {
            slots[.maxFeePerBlobGas] = try list.uint256(buffer, "maxFeePerBlobGas")
            slots[.blobVersionedHashes] = try Self.checkHashes(buffer, &list, "blobVersionedHashes")
        }
        if type == .setCode { slots[.authorizations] = try Self.checkAuthorizations(buffer, &list) }
        if type == .legacy {
            slots[.v] = try list.uint256(buffer, "v")
        } else {
            let start = list.position
            let _: UInt8 = try list.integer(buffer, "yParity")
            slots[.v] = (start &+ (buffer[start] < 0x80 ? 0 : 1))..<list.position
        }
        slots[.r] = try list.uint256(buffer, "r")
        slots[.s] = try list.uint256(buffer, "s")
        if !list.isAtEnd {
            throw RLPError(.tooManyElements, "a \(type) transaction has more fields than its type defines", at: list.position)
        }
        self.base = base
        self.type = type
        self.binary = binary
        self.slots = slots
    }

    private static func checkAccessList(_ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor) throws(RLPError) -> Range<Int> {
        let range = try list.list(buffer, "accessList")
        var entries = ViewCursor(range)
        var index = 0
        while !entries.isAtEnd {
            do throws(RLPError) {
                var entry = ViewCursor(try entries.list(buffer, "[\(index)]"))
                _ = try entry.fixed(buffer, count: 20, "address")
                _ = try checkHashes(buffer, &entry, "storageKeys")
                try entry.finish("an access-list entry")
            } catch {
                throw error.prefixingPath("accessList")
            }
            index &+= 1
        }
        return range
    }

    private static func checkHashes(
        _ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor, _ field: String
    ) throws(RLPError) -> Range<Int> {
        let range = try list.list(buffer, field)
        var hashes = ViewCursor(range)
        var index = 0
        while !hashes.isAtEnd {
            do throws(RLPError) {
                _ = try hashes.fixed(buffer, count: 32, "[\(index)]")
            } catch {
                throw error.prefixingPath(field)
            }
            index &+= 1
        }
        return range
    }

    private static func checkAuthorizations(_ buffer: UnsafeBufferPointer<UInt8>, _ list: inout ViewCursor) throws(RLPError) -> Range<Int> {
        let range = try list.list(buffer, "authorizationList")
        var entries = ViewCursor(range)
        var index = 0
        while !entries.isAtEnd {
            do throws(RLPError) {
                var entry = ViewCursor(try entries.list(buffer, "[\(index)]"))
                _ = try entry.uint256(buffer, "chainId")
                _ = try entry.fixed(buffer, count: 20, "address")
                let _: UInt64 = try entry.integer(buffer, "nonce")
                let _: UInt8 = try entry.integer(buffer, "yParity")
                _ = try entry.uint256(buffer, "r")
                _ = try entry.uint256(buffer, "s")
                try entry.finish("an authorization")
            } catch {
                throw error.prefixingPath("authorizationList")
            }
            index &+= 1
        }
        return range
    }

    private func uint256(_ slot: Slot) -> UInt256 {
        base.withUnsafeBufferPointer { ViewValue.uint256($0, slots[slot]) }
    }

    /// EIP-155 or typed chain ID; nil for a legacy transaction without replay protection.
    public var chainID: UInt256? {
        if type != .legacy { return uint256(.chainID) }
        let v = self.v
        guard v >= UInt256(35) else { return nil }
        return v.subtracting(35)?.halved
    }
    /// Gas price (legacy and EIP-2930).
    public var gasPrice: UInt256? { type == .legacy || type == .accessList ? uint256(.gasPrice) : nil }
    /// EIP-1559 priority fee per gas (types 2, 3 and 4).
    public var maxPriorityFeePerGas: UInt256? { type.rawValue >= 2 ? uint256(.maxPriorityFeePerGas) : nil }
    /// EIP-1559 fee cap per gas (types 2, 3 and 4).
    public var maxFeePerGas: UInt256? { type.rawValue >= 2 ? uint256(.maxFeePerGas) : nil }
    /// The recipient; nil for contract creation.
    public var to: Address? {
        let range = slots[.to]
        guard !range.isEmpty else { return nil }
        let address: Address = base.withUnsafeBufferPointer { ViewValue.fixed($0, range) }
        return address
    }
    /// Wei transferred.
    public var value: UInt256 { uint256(.value) }
    /// Call data or init code, sharing the message's storage.
    public var data: ArraySlice<UInt8> { bytes(slots[.data]) }
    /// EIP-2930 access list (types 1 to 4; empty for legacy).
    public var accessList: AccessListView { AccessListView(base: base, range: slots[.accessList]) }
    /// EIP-4844 blob fee cap.
    public var maxFeePerBlobGas: UInt256? { type == .blob ? uint256(.maxFeePerBlobGas) : nil }
    /// EIP-4844 versioned hashes of the blobs.
    public var blobVersionedHashes: HashesView { HashesView(base: base, range: slots[.blobVersionedHashes]) }
    /// The encodings of the EIP-7702 authorizations, each a list `[chainID, address, nonce, yParity, r, s]`.
    public var authorizations: [Authorization] {
        var reader = RLPReader(bytes(slots[.authorizations]))
        return (try? reader.readAll(Authorization.self)) ?? []
    }
    /// The signature's `v` as encoded (the y parity for a typed transaction).
    public var v: UInt256 { uint256(.v) }
    /// Signature `r`.
    public var r: UInt256 { uint256(.r) }
    /// Signature `s`.
    public var s: UInt256 { uint256(.s) }

    /// The canonical binary form, sharing the message's storage.
    public var encoded: ArraySlice<UInt8> { bytes(binary) }

    /// The transaction hash: Keccak-256 of the canonical binary form, hashed in place.
    public var hash: Hash32 {
        let binary = self.binary
        var digest = Hash32()
        base.withUnsafeBufferPointer { buffer in
            var hasher = Keccak256()
            hasher.update(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[binary]))
            digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
        }
        return digest
    }

    /// The owned ``Transaction`` with these bytes.
    public func transaction() throws(RLPError) -> Transaction { try Transaction(binary: encoded) }

    private func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> {
        base[(base.startIndex &+ range.lowerBound)..<(base.startIndex &+ range.upperBound)]
    }
}
