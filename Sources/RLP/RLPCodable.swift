// SPDX-License-Identifier: Apache-2.0

/// A type that can describe itself as RLP.
///
/// ```swift
/// struct Status: RLPCodable {
///     var version: UInt32
///     var networkID: UInt64
///     var genesis: InlineArray<32, UInt8>
///
///     func encode(to writer: inout RLPWriter) {
///         writer.writeList { list in
///             list.write(version); list.write(networkID); list.write(genesis)
///         }
///     }
///     init(rlp reader: inout RLPReader) throws(RLPError) {
///         (version, networkID, genesis) = try reader.readList { list throws(RLPError) in
///             (try list.read(field: "version"), try list.read(field: "networkID"), try list.read(field: "genesis"))
///         }
///     }
/// }
/// ```
public protocol RLPEncodable {
    /// Writes this value as one item. Called twice per encoding (measure, then write): write the same both times.
    func encode(to writer: inout RLPWriter)
}

/// A type that can be read from RLP.
public protocol RLPDecodable {
    /// Reads one item from `reader`.
    init(rlp reader: inout RLPReader) throws(RLPError)
}

/// A type that can be written as RLP and read back.
public typealias RLPCodable = RLPEncodable & RLPDecodable

extension RLPEncodable {
    /// This value's encoding.
    @inlinable
    public func rlpEncoded() -> [UInt8] {
        RLPWriter.encode { $0.write(self) }
    }
}

extension RLPDecodable {
    /// Decodes `bytes`, which must hold exactly one item.
    /// - Throws: ``RLPError`` for non-canonical input, a wrong shape (naming the field path) or trailing bytes.
    @inlinable
    public init(rlpEncoded bytes: some Collection<UInt8>) throws(RLPError) {
        var reader = RLPReader(bytes)
        self = try Self(rlp: &reader)
        try reader.finish()
    }
}
