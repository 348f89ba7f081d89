// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

/// A transaction read in place: where each field's item starts in the bytes of the message or body that holds it,
/// checked when the view is made (every field's shape, size and canonical form, as ``Transaction`` checks them) and
/// decoded when read. Making one allocates nothing; ``hash`` hashes the bytes in place.
///
/// Views come from ``BlockBodyView/transactions()`` and ``TransactionView/init(binary:)``. Blob transactions in
/// network form (with a sidecar) are not read as views: decode them as ``Transaction``.
public struct TransactionView: Sendable {
    /// The bytes the positions are counted in (shared, not copied).
    @usableFromInline let base: ViewStorage
    /// Everything else: positions and the two integers every transaction has.
    @usableFromInline let layout: Layout

    @inlinable
    init(base: ViewStorage, layout: Layout) {
        self.base = base
        self.layout = layout
    }

    /// Reads one transaction in its binary form (as ``Transaction/init(binary:)`` takes it, without a sidecar).
    public init(binary: some Collection<UInt8>) throws(RLPError) {
        let base = try ViewStorage(binary)
        let layout = try base.withUnsafeBufferPointer { buffer throws(RLPError) in
            var cursor = ViewCursor(0..<buffer.count)
            if let first = buffer.first, first < 0x80 { return try Layout(buffer, typed: 0..<buffer.count, offset: 0) }
            let layout = try Layout(buffer, cursor: &cursor)
            try cursor.finish("the input")
            return layout
        }
        self.init(base: base, layout: layout)
    }

    /// The type.
    @inlinable public var type: Transaction.Kind {
        @inline(always) get { layout.type }
    }
    /// The sender's nonce.
    @inlinable public var nonce: UInt64 {
        @inline(always) get { layout.nonce }
    }
    /// Gas limit.
    @inlinable public var gasLimit: UInt64 {
        @inline(always) get { layout.gasLimit }
    }

    @inlinable @inline(always)
    func uint256(_ slot: Layout.Slot) -> UInt256 {
        let offset = layout[slot]
        return base.withUnsafeBufferPointer { ViewValue.uint256($0, ViewValue.shortPayload($0, at: offset)) }
    }

    @inlinable @inline(always)
    func payload(_ slot: Layout.Slot) -> Range<Int> {
        let offset = layout[slot]
        return base.withUnsafeBufferPointer { ViewValue.payload($0, at: offset) }
    }

    /// EIP-155 or typed chain ID; nil for a legacy transaction without replay protection.
    @inlinable public var chainID: UInt256? {
        @inline(always) get {
            if type != .legacy { return uint256(.chainID) }
            let v = self.v
            guard v >= UInt256(35) else { return nil }
            return v.subtracting(35)?.halved
        }
    }
    /// Gas price (legacy and EIP-2930).
    @inlinable public var gasPrice: UInt256? {
        @inline(always) get { type == .legacy || type == .accessList ? uint256(.gasPrice) : nil }
    }
    /// EIP-1559 priority fee per gas (types 2, 3 and 4).
    @inlinable public var maxPriorityFeePerGas: UInt256? {
        @inline(always) get { type.rawValue >= 2 ? uint256(.maxPriorityFeePerGas) : nil }
    }
    /// EIP-1559 fee cap per gas (types 2, 3 and 4).
    @inlinable public var maxFeePerGas: UInt256? {
        @inline(always) get { type.rawValue >= 2 ? uint256(.maxFeePerGas) : nil }
    }
    /// The recipient; nil for contract creation.
    @inlinable public var to: Address? {
        @inline(always) get {
            let offset = layout[.to]
            let range = base.withUnsafeBufferPointer { ViewValue.shortPayload($0, at: offset) }
            guard !range.isEmpty else { return nil }
            let address: Address = base.withUnsafeBufferPointer { ViewValue.fixed($0, range) }
            return address
        }
    }
    /// Wei transferred.
    @inlinable public var value: UInt256 {
        @inline(always) get { uint256(.value) }
    }
    /// Call data or init code, sharing the message's storage.
    @inlinable public var data: ArraySlice<UInt8> {
        @inline(always) get { bytes(payload(.data)) }
    }
    /// EIP-2930 access list (types 1 to 4; empty for legacy).
    @inlinable public var accessList: AccessListView {
        @inline(always) get {
            AccessListView(base: base, range: type == .legacy ? 0..<0 : payload(.accessList))
        }
    }
    /// EIP-4844 blob fee cap.
    @inlinable public var maxFeePerBlobGas: UInt256? {
        @inline(always) get { type == .blob ? uint256(.maxFeePerBlobGas) : nil }
    }
    /// EIP-4844 versioned hashes of the blobs.
    @inlinable public var blobVersionedHashes: HashesView {
        @inline(always) get {
            HashesView(base: base, range: type == .blob ? payload(.blobVersionedHashes) : 0..<0)
        }
    }
    /// The EIP-7702 authorizations, decoded (each a list `[chainID, address, nonce, yParity, r, s]`).
    public var authorizations: [Authorization] {
        guard type == .setCode else { return [] }
        var reader = RLPReader(bytes(payload(.authorizations)))
        return (try? reader.readAll(Authorization.self)) ?? []
    }
    /// The signature's `v` as encoded (the y parity for a typed transaction).
    @inlinable public var v: UInt256 {
        @inline(always) get { uint256(.v) }
    }
    /// Signature `r`.
    @inlinable public var r: UInt256 {
        @inline(always) get { uint256(.r) }
    }
    /// Signature `s`.
    @inlinable public var s: UInt256 {
        @inline(always) get { uint256(.s) }
    }

    /// The canonical binary form, sharing the message's storage.
    @inlinable public var encoded: ArraySlice<UInt8> {
        @inline(always) get { bytes(layout.binary) }
    }

    /// The transaction hash: Keccak-256 of the canonical binary form, hashed in place.
    @inlinable public var hash: Hash32 {
        @inline(always) get {
            let binary = layout.binary
            var digest = Hash32()
            base.withUnsafeBufferPointer { buffer in
                var hasher = Keccak256()
                hasher.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[binary])))
                digest.withUnsafeMutableBytes { hasher.finalize(into: $0) }
            }
            return digest
        }
    }

    /// The owned ``Transaction`` with these bytes.
    public func transaction() throws(RLPError) -> Transaction { try Transaction(binary: encoded) }

    @inlinable
    func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> { base.slice(range) }
}
