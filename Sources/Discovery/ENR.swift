// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP
import RLPxCrypto

/// An Ethereum Node Record (EIP-778): a signature, a sequence number and key/value pairs sorted by key.
///
/// Values are kept as their exact RLP encodings, so a record re-encodes to the bytes it was read from and unknown
/// keys survive untouched; known keys are read typed through accessors (``ip``, ``udp``, ``eth`` …, in
/// `ENR+Keys.swift`). Only the "v4" identity scheme exists: keccak-256 of the content, a 64-byte secp256k1
/// signature, and the compressed public key under `secp256k1`.
public struct ENR: Hashable, Sendable {
    /// One key and its value's RLP encoding.
    public struct Pair: Hashable, Sendable {
        /// The key's bytes (ASCII by convention).
        public let key: [UInt8]
        /// The value's complete RLP encoding (a byte string or a list).
        public let value: [UInt8]
        public init(key: [UInt8], value: [UInt8]) {
            self.key = key
            self.value = value
        }
        /// The key as text (invalid UTF-8 replaced).
        public var name: String { String(decoding: key, as: UTF8.self) }
    }

    /// EIP-778's limit on an encoded record.
    public static let maximumSize = 300
    /// The text form's prefix.
    public static let textPrefix = "enr:"

    /// The signature over the content (64 bytes r ‖ s for "v4").
    public let signature: [UInt8]
    /// The sequence number; a newer record of a node has a higher one.
    public let seq: UInt64
    /// The pairs, in strictly ascending key order.
    public let pairs: [Pair]

    /// A record from its parts, unchecked: ``verify()`` says whether the signature holds.
    public init(signature: [UInt8], seq: UInt64, pairs: [Pair]) {
        self.signature = signature
        self.seq = seq
        self.pairs = pairs
    }

    /// The value encoding under `key`, if present.
    public func value(forKey key: String) -> [UInt8]? {
        let bytes = Array(key.utf8)
        return pairs.first { $0.key == bytes }?.value
    }

    // MARK: Encoding

    /// `rlp_list(signature, seq, k, v, …)`.
    public var encoded: [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { list in
                list.write(bytes: signature)
                writeContent(into: &list)
            }
        }
    }

    /// `enr:` and the base64url encoding without padding.
    public var text: String { Self.textPrefix + Base64URL.encode(encoded) }

    /// What is signed: `rlp_list(seq, k, v, …)`.
    public var content: [UInt8] {
        RLPWriter.encode { writer in writer.writeList { list in writeContent(into: &list) } }
    }

    private func writeContent(into list: inout RLPWriter) {
        list.write(integer: seq)
        for pair in pairs {
            list.write(bytes: pair.key)
            list.write(encoded: pair.value)
        }
    }

    // MARK: Decoding

    /// Decodes an RLP record: at most 300 bytes, keys sorted and unique, one value per key. Verifies the signature
    /// unless `verifying` is false.
    /// - Throws: ``DiscoveryError`` with the offset and field of the first problem.
    public init(rlp bytes: some Collection<UInt8>, verifying: Bool = true) throws(DiscoveryError) {
        let input = Array(bytes)
        guard input.count <= Self.maximumSize else {
            throw DiscoveryError(
                .recordTooLarge, "record is \(input.count) bytes, over \(Self.maximumSize)", at: Self.maximumSize)
        }
        var reader = RLPReader(input)
        var field = "record"
        do {
            var list = try reader.listReader()
            field = "signature"
            let signature = Array(try list.readBytes())
            field = "seq"
            let seq = try list.readInteger(UInt64.self)
            var pairs: [Pair] = []
            while !list.isAtEnd {
                field = "key"
                let keyOffset = list.offset
                let key = Array(try list.readBytes())
                field = String(decoding: key, as: UTF8.self)
                guard !list.isAtEnd else {
                    throw DiscoveryError(.missingValue, "key has no value", at: keyOffset, field: field)
                }
                let value = Array(try list.readEncoded())
                if let last = pairs.last {
                    if last.key == key {
                        throw DiscoveryError(.duplicateKey, "key appears twice", at: keyOffset, field: field)
                    }
                    if !last.key.lexicographicallyPrecedes(key) {
                        throw DiscoveryError(.unsortedKeys, "key sorts before \(last.name)", at: keyOffset, field: field)
                    }
                }
                pairs.append(Pair(key: key, value: value))
            }
            field = "record"
            try reader.finish()
            self.init(signature: signature, seq: seq, pairs: pairs)
        } catch let error as RLPError {
            throw DiscoveryError(rlp: error, field: field)
        } catch let error as DiscoveryError {
            throw error
        } catch {
            throw DiscoveryError(.malformedRLP, "\(error)")
        }
        if verifying { try verify() }
    }

    /// Decodes the text form `enr:<base64url>` (surrounding whitespace ignored).
    public init(text: some StringProtocol, verifying: Bool = true) throws(DiscoveryError) {
        let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        let body = String(trimmed)
        guard body.hasPrefix(Self.textPrefix) else {
            throw DiscoveryError(.invalidText, "text does not start with \(Self.textPrefix)", at: 0)
        }
        guard let bytes = Base64URL.decode(body.dropFirst(Self.textPrefix.count)) else {
            throw DiscoveryError(.invalidText, "not unpadded base64url", at: 0)
        }
        try self.init(rlp: bytes, verifying: verifying)
    }

    // MARK: Identity

    /// The identity scheme's name (`id`), if present and a byte string.
    public var identityScheme: String? {
        guard let value = value(forKey: "id"), let bytes = try? RLPReader.singleBytes(value) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The "v4" public key from `secp256k1`.
    /// - Throws: ``DiscoveryError/Code/invalidPublicKey`` when absent or not a compressed point.
    public func publicKey() throws(DiscoveryError) -> Secp256k1.PublicKey {
        guard let value = value(forKey: "secp256k1") else {
            throw DiscoveryError(.invalidPublicKey, "record has no secp256k1 key", field: "secp256k1")
        }
        guard let bytes = try? RLPReader.singleBytes(value), let key = try? Secp256k1.PublicKey(compressed: bytes) else {
            throw DiscoveryError(.invalidPublicKey, "secp256k1 is not a 33-byte compressed point", field: "secp256k1")
        }
        return key
    }

    /// The node ID: keccak-256 of the uncompressed public key's X ‖ Y.
    public func nodeID() throws(DiscoveryError) -> NodeID {
        NodeID(publicKey: try publicKey())
    }

    /// Checks the signature by the record's identity scheme ("v4" only).
    /// - Throws: ``DiscoveryError`` with ``DiscoveryError/Code/missingIdentityScheme``,
    ///   ``DiscoveryError/Code/unknownIdentityScheme``, ``DiscoveryError/Code/invalidPublicKey`` or
    ///   ``DiscoveryError/Code/invalidSignature``.
    public func verify() throws(DiscoveryError) {
        guard let scheme = identityScheme else {
            throw DiscoveryError(.missingIdentityScheme, "record has no id", field: "id")
        }
        guard scheme == "v4" else {
            throw DiscoveryError(.unknownIdentityScheme, "identity scheme \(scheme) is not v4", field: "id")
        }
        let key = try publicKey()
        guard key.isValidSignature(signature, digest: Keccak256.hash(content)) else {
            throw DiscoveryError(.invalidSignature, "signature does not verify", field: "signature")
        }
    }

    /// A "v4" record signed by `key`: `pairs` (any order; `id` and `secp256k1` are set from the key) sorted.
    /// - Throws: ``DiscoveryError/Code/duplicateKey`` for a key given twice, ``DiscoveryError/Code/recordTooLarge``.
    public static func signed(seq: UInt64, pairs: [Pair], key: Secp256k1.PrivateKey) throws(DiscoveryError) -> ENR {
        let reserved: Set<[UInt8]> = [Array("id".utf8), Array("secp256k1".utf8)]
        var all = pairs.filter { !reserved.contains($0.key) }
        all.append(Pair(key: Array("id".utf8), value: RLPWriter.encode { $0.write(bytes: Array("v4".utf8)) }))
        all.append(Pair(key: Array("secp256k1".utf8), value: RLPWriter.encode { $0.write(bytes: key.publicKey.compressed) }))
        all.sort { $0.key.lexicographicallyPrecedes($1.key) }
        for index in all.indices.dropFirst() where all[index].key == all[index - 1].key {
            throw DiscoveryError(.duplicateKey, "key given twice", field: all[index].name)
        }
        let unsigned = ENR(signature: [], seq: seq, pairs: all)
        guard let recoverable = try? key.signature(forDigest: Keccak256.hash(unsigned.content)) else {
            throw DiscoveryError(.invalidSignature, "signing failed")
        }
        let record = ENR(signature: Array(recoverable.prefix(64)), seq: seq, pairs: all)
        let size = record.encoded.count
        guard size <= maximumSize else {
            throw DiscoveryError(.recordTooLarge, "record would be \(size) bytes, over \(maximumSize)")
        }
        return record
    }

    /// This record with `seq` one higher and `changes` applied (a nil value removes the key), signed again.
    public func updated(_ changes: [String: [UInt8]?], key: Secp256k1.PrivateKey) throws(DiscoveryError) -> ENR {
        var byKey: [[UInt8]: [UInt8]] = [:]
        for pair in pairs { byKey[pair.key] = pair.value }
        for (name, value) in changes { byKey[Array(name.utf8)] = value }
        return try .signed(seq: seq &+ 1, pairs: byKey.map { Pair(key: $0.key, value: $0.value) }, key: key)
    }
}

extension RLPReader {
    /// The payload of `encoding`, which must be exactly one byte string.
    static func singleBytes(_ encoding: [UInt8]) throws(RLPError) -> [UInt8] {
        var reader = RLPReader(encoding)
        let bytes = Array(try reader.readBytes())
        try reader.finish()
        return bytes
    }
}
