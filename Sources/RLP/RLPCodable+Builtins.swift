// SPDX-License-Identifier: Apache-2.0

// Unsigned integers of every width: canonical big-endian, zero as the empty string.

extension UInt8: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

extension UInt16: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

extension UInt32: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

extension UInt64: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

extension UInt: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

extension UInt128: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self) }
    @inlinable public init(rlp reader: inout RLPReader) throws(RLPError) { self = try reader.readInteger() }
}

/// `true` is 0x01 and `false` the empty string 0x80, as go-ethereum writes them; nothing else is accepted.
extension Bool: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(integer: self ? 1 as UInt8 : 0) }
    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        self = try reader.withNextByteString { bytes, offset throws(RLPError) in
            switch (bytes.count, bytes.first) {
            case (0, _): return false
            case (1, 0x01): return true
            default: throw RLPError(.invalidBool, "boolean must be 0x01 or 0x80", at: offset)
            }
        }
    }
}

/// Text as its UTF-8 bytes; decoding requires valid UTF-8.
extension String: RLPCodable {
    @inlinable public func encode(to writer: inout RLPWriter) { writer.write(bytes: utf8) }
    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        let start = reader.offset
        let bytes = try reader.readBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {  // Decoding repairs invalid UTF-8, so equal means valid.
            throw RLPError(.invalidUTF8, "byte string is not valid UTF-8", at: start)
        }
        self = text
    }
}

/// `[UInt8]` is a byte string; an array of any other element is a list.
extension Array: RLPEncodable where Element: RLPEncodable {
    @inlinable
    public func encode(to writer: inout RLPWriter) {
        // Test the element type, not the value: an empty array of any element casts to [UInt8].
        if Element.self == UInt8.self, let bytes = self as? [UInt8] {
            writer.write(bytes: bytes)
        } else {
            writer.writeList { list in
                for element in self { list.write(element) }
            }
        }
    }
}

extension Array: RLPDecodable where Element: RLPDecodable {
    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        if Element.self == UInt8.self, let bytes = [UInt8](try reader.readBytes()) as? [Element] {
            self = bytes
        } else {
            self = try reader.readList { list throws(RLPError) in try list.readAll() }
        }
    }
}

/// `InlineArray<N, UInt8>` is a byte string of exactly N bytes; with any other element, a list of exactly N items.
extension InlineArray: RLPEncodable where Element: RLPEncodable {
    @inlinable
    public func encode(to writer: inout RLPWriter) {
        if Element.self == UInt8.self {
            withUnsafeBytes(of: self) { writer.write(bytes: $0) }  // Element is UInt8: the bytes are the value.
        } else {
            writer.writeList { list in
                for index in indices { list.write(self[index]) }
            }
        }
    }
}

extension InlineArray: RLPDecodable where Element: RLPDecodable {
    @inlinable
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        if Element.self == UInt8.self {
            var value = InlineArray<count, UInt8>(repeating: 0)
            try reader.withNextByteString { bytes, offset throws(RLPError) in
                guard bytes.count == Self.count else {
                    throw RLPError(.wrongByteCount, "expected \(Self.count) bytes, found \(bytes.count)", at: offset)
                }
                withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            }
            self = unsafeBitCast(value, to: Self.self)  // Element is UInt8, so the layouts are identical.
        } else {
            self = try reader.readList { list throws(RLPError) in
                try InlineArray { (index: Int) throws(RLPError) -> Element in
                    do throws(RLPError) {
                        return try list.read(Element.self)
                    } catch {
                        throw error.prefixingPath("[\(index)]")
                    }
                }
            }
        }
    }
}
