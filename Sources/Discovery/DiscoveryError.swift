// SPDX-License-Identifier: Apache-2.0
import RLP

/// Every way a node record or a discovery packet can be wrong.
///
/// Shaped like ``RLP/RLPError``: the ``code`` names the broken rule and is stable API (vector files spell it),
/// ``offset`` says where in the input, ``field`` names the part of the record or packet. Errors compare by code.
public struct DiscoveryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The RLP underneath is malformed; the reason names RLP's own code.
        public static let malformedRLP = Code("malformedRLP")
        /// A record is over the 300 bytes EIP-778 allows.
        public static let recordTooLarge = Code("recordTooLarge")
        /// A record's keys are not in ascending byte order.
        public static let unsortedKeys = Code("unsortedKeys")
        /// A record holds one key twice.
        public static let duplicateKey = Code("duplicateKey")
        /// A record's last key has no value.
        public static let missingValue = Code("missingValue")
        /// A record has no `id` entry: no identity scheme to verify it with.
        public static let missingIdentityScheme = Code("missingIdentityScheme")
        /// A record names an identity scheme other than "v4".
        public static let unknownIdentityScheme = Code("unknownIdentityScheme")
        /// A "v4" record has no usable `secp256k1` key (absent, not 33 bytes, or not on the curve).
        public static let invalidPublicKey = Code("invalidPublicKey")
        /// A signature does not verify (records), or no key can be recovered from it (packets).
        public static let invalidSignature = Code("invalidSignature")
        /// Text that should be `enr:` followed by base64url is not.
        public static let invalidText = Code("invalidText")
        /// A known key's value does not have its type's shape (an `ip` that is not 4 bytes, a port over 65535).
        public static let invalidValue = Code("invalidValue")
        /// A discv4 packet is shorter than hash, signature and type.
        public static let packetTooSmall = Code("packetTooSmall")
        /// A discv4 packet is over 1280 bytes.
        public static let packetTooLarge = Code("packetTooLarge")
        /// A discv4 packet's hash is not the keccak of the rest.
        public static let hashMismatch = Code("hashMismatch")
        /// A discv4 packet type outside 1...6.
        public static let unknownPacketType = Code("unknownPacketType")
    }

    /// The rule that was broken.
    public let code: Code
    /// Where in the input (bytes of the record or packet; for text, bytes after base64 decoding).
    public let offset: Int?
    /// The field: `seq`, `signature`, a record key such as `udp`, `ping.to.ip`.
    public let field: String?
    /// What was wrong, for people.
    public let reason: String

    public init(_ code: Code, _ reason: String, at offset: Int? = nil, field: String? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.field = field
    }

    /// An RLP error, kept as ``Code/malformedRLP`` with its offset (moved by `delta`) and field path.
    public init(rlp error: RLPError, offsetBy delta: Int = 0, field: String? = nil) {
        var path = error.pathDescription
        if let field { path = path.isEmpty ? field : field + "." + path }
        self.init(
            .malformedRLP, "\(error.code.name): \(error.reason)", at: error.offset.map { $0 + delta }, field: path.isEmpty ? nil : path)
    }

    public var description: String {
        var text = "DiscoveryError.\(code.name): \(reason)"
        if let offset { text += " at offset \(offset)" }
        if let field { text += " in field \(field)" }
        return text
    }

    public static func == (lhs: DiscoveryError, rhs: DiscoveryError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
