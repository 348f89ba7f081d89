// SPDX-License-Identifier: Apache-2.0

/// An RLP value with no type attached: a byte string or a list of values.
///
/// Use it for tools and tests; typed code reads with ``RLPReader`` and ``RLPDecodable`` instead, which does not
/// build a tree.
public enum RLPItem: Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])
}

extension RLPItem: RLPCodable {
    public func encode(to writer: inout RLPWriter) {
        switch self {
        case .bytes(let bytes):
            writer.write(bytes: bytes)
        case .list(let items):
            writer.writeList { list in
                for item in items { list.write(item) }
            }
        }
    }

    public init(rlp reader: inout RLPReader) throws(RLPError) {
        if try reader.peekKind() == .bytes {
            self = .bytes(Array(try reader.readBytes()))
        } else {
            self = .list(try reader.readList { list throws(RLPError) in try list.readAll(RLPItem.self) })
        }
    }
}

extension RLPItem: ExpressibleByArrayLiteral, ExpressibleByStringLiteral {
    /// A list.
    public init(arrayLiteral elements: RLPItem...) { self = .list(elements) }
    /// A byte string holding the UTF-8 bytes of the text.
    public init(stringLiteral value: String) { self = .bytes(Array(value.utf8)) }
}
