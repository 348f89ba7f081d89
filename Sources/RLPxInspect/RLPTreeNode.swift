// SPDX-License-Identifier: Apache-2.0
import RLP

/// One item of decoded RLP as a person wants to see it: where it is, how it is framed, and what it might mean.
public struct RLPTreeNode: Hashable, Sendable {
    /// Where the item starts in the input.
    public var offset: Int
    /// Byte string or list.
    public var kind: RLPElement.Kind
    /// Header bytes (0 for a single byte below 0x80).
    public var headerLength: Int
    /// Payload bytes.
    public var payloadLength: Int
    /// A byte string's bytes (empty for a list).
    public var bytes: [UInt8]
    /// A list's elements: those that decoded before any error.
    public var children: [RLPTreeNode]

    /// The longest byte string read as an integer: 16 bytes holds every quantity a chain carries (balances,
    /// difficulty); 20- and 32-byte strings are addresses, hashes and keys, whose 49- and 78-digit values help nobody.
    public static let longestInteger = 16

    /// The byte string read as a canonical unsigned integer, when it is one and has at most ``longestInteger`` bytes.
    public var unsignedValue: BigUInt? {
        guard kind == .bytes, bytes.count <= Self.longestInteger, bytes.first != 0 else { return nil }
        return BigUInt(bigEndianBytes: bytes)
    }

    /// The item itself (a list with the children that decoded).
    public var item: RLPItem { kind == .list ? .list(children.map(\.item)) : .bytes(bytes) }

    /// The byte string as text, when every byte is printable ASCII.
    public var text: String? {
        guard kind == .bytes, !bytes.isEmpty, bytes.allSatisfy({ (0x20...0x7e).contains($0) }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The result of inspecting bytes: the items that decoded, and the first error if there was one.
public struct RLPInspection: Hashable, Sendable {
    /// Top-level items (one for a valid input); the last may be incomplete when ``error`` is set.
    public var items: [RLPTreeNode]
    /// The first rule broken, or nil when the input is one canonical item.
    public var error: RLPError?

    /// Walks `bytes` as one RLP item, or with `stream` as items one after another (as `geth export` writes blocks
    /// and go-ethereum's `rlpdump -single=false` reads them), keeping everything that decoded before the first error.
    public init(_ bytes: [UInt8], stream: Bool = false) {
        var reader = RLPReader(bytes)
        var items: [RLPTreeNode] = []
        do throws(RLPError) {
            try Self.walk(&reader, count: stream ? nil : 1, into: &items)
            try reader.finish()
            error = nil
        } catch {
            self.error = error
        }
        self.items = items
    }

    /// Appends up to `count` items (all of them when nil) from `reader` to `nodes`, descending into lists.
    static func walk(_ reader: inout RLPReader, count: Int?, into nodes: inout [RLPTreeNode]) throws(RLPError) {
        var read = 0
        while count.map({ read < $0 }) ?? !reader.isAtEnd {
            let element = try reader.readElement()
            read += 1
            var node = RLPTreeNode(
                offset: element.offset, kind: element.kind, headerLength: element.headerLength,
                payloadLength: element.payloadLength, bytes: element.kind == .bytes ? Array(element.payload) : [],
                children: [])
            if element.kind == .list {
                do throws(RLPError) {
                    var list = try element.listReader()
                    try walk(&list, count: nil, into: &node.children)
                } catch {
                    nodes.append(node)
                    throw error
                }
            }
            nodes.append(node)
        }
    }
}
