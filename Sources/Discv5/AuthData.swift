// SPDX-License-Identifier: Apache-2.0

/// A packet's kind, the flag byte of its static header.
public enum PacketFlag: UInt8, Hashable, Sendable, CaseIterable {
    /// An ordinary message packet: authdata is the source node ID.
    case ordinary = 0
    /// A WHOAREYOU challenge: authdata is the ID nonce and the known ENR sequence number; no message.
    case whoareyou = 1
    /// A handshake message packet: authdata proves the source's identity and carries its ephemeral key.
    case handshake = 2
}

/// The authdata of a handshake packet.
public struct HandshakeAuthData: Hashable, Sendable {
    /// The initiator's node ID, 32 bytes.
    public var sourceID: [UInt8]
    /// The ID-nonce signature (64 bytes in the "v4" scheme).
    public var signature: [UInt8]
    /// The initiator's ephemeral public key (33 bytes compressed in the "v4" scheme).
    public var ephemeralPublicKey: [UInt8]
    /// The initiator's node record as RLP, or empty when the recipient's copy is current.
    public var record: [UInt8]

    public init(sourceID: [UInt8], signature: [UInt8], ephemeralPublicKey: [UInt8], record: [UInt8] = []) {
        self.sourceID = sourceID
        self.signature = signature
        self.ephemeralPublicKey = ephemeralPublicKey
        self.record = record
    }
}

/// The flag-specific part of a packet header.
public enum AuthData: Hashable, Sendable {
    /// An ordinary message from `sourceID` (32 bytes).
    case ordinary(sourceID: [UInt8])
    /// A challenge: `idNonce` (16 bytes) and the highest ENR sequence number the sender knows of the recipient.
    case whoareyou(idNonce: [UInt8], enrSeq: UInt64)
    /// A handshake.
    case handshake(HandshakeAuthData)

    /// The size of a node ID.
    public static let nodeIDSize = 32
    /// The size of a WHOAREYOU's ID nonce.
    public static let idNonceSize = 16
    /// The size of WHOAREYOU authdata.
    public static let whoareyouSize = 24
    /// The size of a handshake's fixed authdata head (source ID, signature size, key size).
    public static let handshakeHeadSize = 34

    /// The flag that goes with this authdata.
    public var flag: PacketFlag {
        switch self {
        case .ordinary: .ordinary
        case .whoareyou: .whoareyou
        case .handshake: .handshake
        }
    }

    /// The source node ID, for the kinds that carry one.
    public var sourceID: [UInt8]? {
        switch self {
        case .ordinary(let sourceID): sourceID
        case .whoareyou: nil
        case .handshake(let handshake): handshake.sourceID
        }
    }

    /// The authdata bytes.
    /// - Throws: ``Discv5Error/Code/invalidArgument`` when a field has the wrong size.
    public func encoded() throws(Discv5Error) -> [UInt8] {
        switch self {
        case .ordinary(let sourceID):
            try Self.require(sourceID.count == Self.nodeIDSize, "a source ID is 32 bytes")
            return sourceID
        case .whoareyou(let idNonce, let enrSeq):
            try Self.require(idNonce.count == Self.idNonceSize, "an ID nonce is 16 bytes")
            return idNonce + (0..<8).reversed().map { UInt8(truncatingIfNeeded: enrSeq >> ($0 * 8)) }
        case .handshake(let handshake):
            try Self.require(handshake.sourceID.count == Self.nodeIDSize, "a source ID is 32 bytes")
            try Self.require(handshake.signature.count <= 255, "a signature is at most 255 bytes")
            try Self.require(handshake.ephemeralPublicKey.count <= 255, "an ephemeral key is at most 255 bytes")
            return handshake.sourceID + [UInt8(handshake.signature.count), UInt8(handshake.ephemeralPublicKey.count)]
                + handshake.signature + handshake.ephemeralPublicKey + handshake.record
        }
    }

    /// Parses the unmasked authdata of a packet with `flag`; `offset` is where it starts in the packet.
    /// - Throws: ``Discv5Error/Code/authDataSizeWrong`` when the size does not fit the flag's layout.
    init(decoding bytes: ArraySlice<UInt8>, flag: PacketFlag, offset: Int) throws(Discv5Error) {
        let start = bytes.startIndex
        switch flag {
        case .ordinary:
            guard bytes.count == Self.nodeIDSize else {
                throw Discv5Error(.authDataSizeWrong, "ordinary authdata is 32 bytes, not \(bytes.count)", at: offset, field: "authdata")
            }
            self = .ordinary(sourceID: Array(bytes))
        case .whoareyou:
            guard bytes.count == Self.whoareyouSize else {
                throw Discv5Error(.authDataSizeWrong, "WHOAREYOU authdata is 24 bytes, not \(bytes.count)", at: offset, field: "authdata")
            }
            let enrSeq = bytes[(start + 16)...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .whoareyou(idNonce: Array(bytes[start..<(start + 16)]), enrSeq: enrSeq)
        case .handshake:
            guard bytes.count >= Self.handshakeHeadSize else {
                throw Discv5Error(
                    .authDataSizeWrong, "handshake authdata of \(bytes.count) bytes is shorter than its 34-byte head",
                    at: offset, field: "authdata")
            }
            let signatureSize = Int(bytes[start + 32])
            let keySize = Int(bytes[start + 33])
            let signatureStart = start + Self.handshakeHeadSize
            let keyStart = signatureStart + signatureSize
            let recordStart = keyStart + keySize
            guard recordStart <= bytes.endIndex else {
                throw Discv5Error(
                    .authDataSizeWrong, "signature (\(signatureSize)) and key (\(keySize)) run past the authdata",
                    at: offset + 32, field: "authdata")
            }
            self = .handshake(
                HandshakeAuthData(
                    sourceID: Array(bytes[start..<(start + 32)]), signature: Array(bytes[signatureStart..<keyStart]),
                    ephemeralPublicKey: Array(bytes[keyStart..<recordStart]), record: Array(bytes[recordStart...])))
        }
    }

    private static func require(_ condition: Bool, _ reason: String) throws(Discv5Error) {
        guard condition else { throw Discv5Error(.invalidArgument, reason, field: "authdata") }
    }
}
