// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

/// The little of a node record (EIP-778) a handshake needs: the "v4" identity's public key and sequence number,
/// with the record's signature checked. A stand-in until records come from the Discovery module's ENR type.
public struct RecordIdentity: Hashable, Sendable {
    /// The record's sequence number.
    public let seq: UInt64
    /// The "secp256k1" entry: the compressed public key (33 bytes).
    public let publicKey: [UInt8]
    /// keccak256 of the uncompressed key's X ‖ Y.
    public let nodeID: [UInt8]

    /// The largest record (EIP-778).
    public static let maximumSize = 300

    /// Reads `record` (RLP [signature, seq, k, v, ...]) and checks its "v4" signature over RLP [seq, k, v, ...].
    /// - Throws: ``Discv5Error/Code/invalidValue`` for a record that is malformed, too large, of another scheme or
    ///   badly signed; ``Discv5Error/Code/invalidPublicKey`` for a key that is not on the curve.
    public init(record: [UInt8]) throws(Discv5Error) {
        guard record.count <= Self.maximumSize else { throw Self.invalid("a record of \(record.count) bytes is over 300") }
        var reader = RLPReader(record)
        let parsed: (signature: [UInt8], content: [UInt8], seq: UInt64, pairs: [([UInt8], [UInt8])])
        do throws(RLPError) {
            parsed = try reader.readList { list throws(RLPError) in
                let signature = [UInt8](try list.readBytes())
                let start = list.offset
                let seq: UInt64 = try list.read()
                var pairs: [([UInt8], [UInt8])] = []
                while !list.isAtEnd {
                    let key = [UInt8](try list.readBytes())
                    pairs.append((key, [UInt8](try list.readEncoded())))
                }
                let items = list.encoded(since: start)
                let content = RLPWriter.encode { writer in writer.writeList { $0.write(encoded: items) } }
                return (signature, content, seq, pairs)
            }
            try reader.finish()
        } catch {
            throw Self.invalid("the record is not valid RLP: \(error)")
        }
        func value(_ name: String) -> [UInt8]? { parsed.pairs.first { $0.0 == Array(name.utf8) }?.1 }
        guard value("id") == RLPWriter.encode({ $0.write(bytes: Array("v4".utf8)) }) else {
            throw Self.invalid("the record's identity scheme is not v4")
        }
        guard let encodedKey = value("secp256k1"), encodedKey.count == 34, encodedKey[0] == 0xa1 else {
            throw Self.invalid("the record has no 33-byte secp256k1 key")
        }
        let key = Array(encodedKey.dropFirst())
        guard Curve.verify(signature: parsed.signature, digest: Keccak256.hash(parsed.content), publicKey: key) else {
            throw Self.invalid("the record's signature does not verify")
        }
        seq = parsed.seq
        publicKey = key
        nodeID = try Curve.nodeID(publicKey: key)
    }

    private static func invalid(_ reason: String) -> Discv5Error { Discv5Error(.invalidValue, reason, field: "record") }
}
