// SPDX-License-Identifier: Apache-2.0
import RLP

extension PartialNode {
    /// Why bytes are not a trie node.
    struct Malformed: Error {
        let reason: String
    }

    /// Decodes a node's RLP encoding: a list of two items (hex-prefix path, then the value of a leaf or the child of
    /// an extension) or of seventeen (sixteen children and a value). Children shorter than 32 bytes are decoded in
    /// place; 32-byte children stay hashes.
    static func decode(_ bytes: ArraySlice<UInt8>) throws(Malformed) -> PartialNode {
        do {
            var reader = RLPReader(bytes)
            let node = try decodeList(&reader)
            try reader.finish()
            return node
        } catch let error as RLPError {
            throw Malformed(reason: "\(error)")
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(reason: "\(error)")
        }
    }

    private static func decodeList(_ reader: inout RLPReader) throws -> PartialNode {
        var list = try reader.listReader()
        var counter = list
        var count = 0
        while !counter.isAtEnd {
            try counter.skip()
            count &+= 1
        }
        switch count {
        case 2:
            let (nibbles, leaf) = try decodePath(try list.readBytes())
            if leaf {
                guard try list.peekKind() == .bytes else { throw Malformed(reason: "a leaf's value is a list") }
                let value = try list.readBytes()
                guard !value.isEmpty else { throw Malformed(reason: "a leaf's value is empty") }
                return .short(path: symbols(nibbles) + [end], child: .value(Array(value)))
            }
            guard !nibbles.isEmpty else { throw Malformed(reason: "an extension's path is empty") }
            let child = try decodeReference(&list)
            if case .empty = child { throw Malformed(reason: "an extension's child is empty") }
            return .short(path: symbols(nibbles), child: child)
        case 17:
            var children: [PartialNode] = [.empty]
            children.reserveCapacity(17)
            for _ in 0..<16 { children.append(try decodeReference(&list)) }
            guard try list.peekKind() == .bytes else { throw Malformed(reason: "a branch's value is a list") }
            let value = try list.readBytes()
            if !value.isEmpty { children[0] = .value(Array(value)) }
            return .full(children)
        default:
            throw Malformed(reason: "a list of \(count) items is no node (2 or 17)")
        }
    }

    /// A child as its parent holds it: empty, a 32-byte hash, or a node shorter than 32 bytes in place.
    private static func decodeReference(_ list: inout RLPReader) throws -> PartialNode {
        if try list.peekKind() == .list {
            let element = try list.readElement()
            guard element.encoded.count < 32 else {
                throw Malformed(reason: "an embedded node of \(element.encoded.count) bytes (at most 31)")
            }
            var inner = RLPReader(element.encoded)
            return try decodeList(&inner)
        }
        let bytes = try list.readBytes()
        if bytes.isEmpty { return .empty }
        guard let hash = FixedBytes<32>(bytes) else {
            throw Malformed(reason: "a child reference of \(bytes.count) bytes (0 or 32)")
        }
        return .hash(hash)
    }

    private static func decodePath(_ bytes: ArraySlice<UInt8>) throws -> (nibbles: [UInt8], leaf: Bool) {
        do {
            return try TriePath.decodeCompact(bytes)
        } catch {
            throw Malformed(reason: "path \(error.message)")
        }
    }
}
