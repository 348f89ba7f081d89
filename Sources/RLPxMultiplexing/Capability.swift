// SPDX-License-Identifier: Apache-2.0
import RLP

/// A capability as a Hello announces it: a short ASCII name and a version (`eth/68`).
///
/// Order is byte-wise on the name, then by version, as go-ethereum's `Cap.Cmp` sorts; matching depends on it.
public struct Capability: Hashable, Sendable, Comparable, CustomStringConvertible, RLPCodable {
    public var name: String
    public var version: UInt

    public init(name: String, version: UInt) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)/\(version)" }

    public static func < (lhs: Capability, rhs: Capability) -> Bool {
        if lhs.name != rhs.name { return Array(lhs.name.utf8).lexicographicallyPrecedes(Array(rhs.name.utf8)) }
        return lhs.version < rhs.version
    }

    /// `[name, version]`.
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { list in
            list.write(name)
            list.write(version)
        }
    }

    /// Reads `[name, version, ...]`; extra elements are ignored, as go-ethereum does (`rlp:"tail"`-free but lenient).
    public init(rlp reader: inout RLPReader) throws(RLPError) {
        var list = try reader.listReader()
        let nameBytes = try list.read([UInt8].self, field: "name")
        name = String(decoding: nameBytes, as: UTF8.self)
        version = try list.read(UInt.self, field: "version")
    }
}

/// A protocol this node runs: its capability and how many message codes it uses.
public struct ProtocolSpec: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: UInt
    /// Message codes the protocol uses, from 0.
    public var length: UInt64

    public init(name: String, version: UInt, length: UInt64) {
        self.name = name
        self.version = version
        self.length = length
    }

    public var capability: Capability { Capability(name: name, version: version) }

    /// `eth/68:17`, the form `--caps` takes.
    public var description: String { "\(name)/\(version):\(length)" }
}

/// A protocol both sides run, with the range of wire codes it was given.
public struct MatchedProtocol: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: UInt
    public var length: UInt64
    /// The first wire code: local code 0 of this protocol.
    public var offset: UInt64

    public var description: String { "\(name)/\(version) codes \(offset)..<\(offset + length)" }
}
