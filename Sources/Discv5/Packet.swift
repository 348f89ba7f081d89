// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// One discv5 packet: masking-iv ‖ masked-header ‖ message, where the header (static header ‖ authdata) is
/// masked with AES-128-CTR keyed by the first 16 bytes of the destination's node ID.
///
/// The value holds the header unmasked and the message data as it travels (ciphertext ‖ tag; empty for a
/// WHOAREYOU). Protocol ID ("discv5"), version (1) and authdata size are implied, so decoding and re-encoding a
/// packet gives back its bytes exactly.
public struct Packet: Hashable, Sendable {
    /// The 16 random bytes that start the packet and seed the header mask.
    public var maskingIV: [UInt8]
    /// The 12-byte nonce: the AES-GCM nonce of the message, or for a WHOAREYOU the nonce of the packet it answers.
    public var nonce: [UInt8]
    /// The flag-specific header part; its kind is the packet's flag.
    public var authData: AuthData
    /// The message data after the header: AES-GCM ciphertext ‖ tag.
    public var message: [UInt8]

    /// The smallest packet: a WHOAREYOU (16 + 23 + 24 bytes).
    public static let minimumSize = 63
    /// The largest packet.
    public static let maximumSize = 1280
    /// The masking IV's size.
    public static let maskingIVSize = 16
    /// The static header's size: protocol ID (6), version (2), flag (1), nonce (12), authdata size (2).
    public static let staticHeaderSize = 23
    /// The protocol ID, "discv5".
    public static let protocolID: [UInt8] = Array("discv5".utf8)
    /// The header version this module reads and writes.
    public static let version: UInt16 = 1

    public init(maskingIV: [UInt8], nonce: [UInt8], authData: AuthData, message: [UInt8] = []) {
        self.maskingIV = maskingIV
        self.nonce = nonce
        self.authData = authData
        self.message = message
    }

    /// The packet's flag.
    public var flag: PacketFlag { authData.flag }

    /// The unmasked header: static header ‖ authdata.
    /// - Throws: ``Discv5Error/Code/invalidArgument`` for a nonce or authdata field of the wrong size.
    public func header() throws(Discv5Error) -> [UInt8] {
        guard nonce.count == AESGCM.nonceSize else { throw Discv5Error(.invalidArgument, "a nonce is 12 bytes", field: "nonce") }
        let auth = try authData.encoded()
        guard auth.count <= Int(UInt16.max) else { throw Discv5Error(.invalidArgument, "authdata over 65535 bytes", field: "authdata") }
        return Self.protocolID + [UInt8(Self.version >> 8), UInt8(Self.version & 0xff), flag.rawValue] + nonce
            + [UInt8(auth.count >> 8), UInt8(auth.count & 0xff)] + auth
    }

    /// masking-iv ‖ header, unmasked: the associated data of the message's encryption and, for a WHOAREYOU, the
    /// challenge data the handshake signs and salts its keys with.
    public func associatedData() throws(Discv5Error) -> [UInt8] {
        guard maskingIV.count == Self.maskingIVSize else {
            throw Discv5Error(.invalidArgument, "a masking IV is 16 bytes", field: "maskingIV")
        }
        return maskingIV + (try header())
    }

    /// The packet on the wire, its header masked for `destinationID`.
    /// - Throws: ``Discv5Error/Code/invalidArgument`` for fields of the wrong size, ``Discv5Error/Code/packetTooLarge``
    ///   past 1280 bytes.
    public func encoded(destinationID: [UInt8]) throws(Discv5Error) -> [UInt8] {
        var bytes = try associatedData()
        guard destinationID.count == AuthData.nodeIDSize else {
            throw Discv5Error(.invalidArgument, "a destination ID is 32 bytes", field: "destinationID")
        }
        guard bytes.count + message.count <= Self.maximumSize else {
            throw Discv5Error(.packetTooLarge, "a packet of \(bytes.count + message.count) bytes is over 1280")
        }
        var mask = Self.mask(destinationID: destinationID, maskingIV: maskingIV)
        bytes.withUnsafeMutableBytes { mask.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[Self.maskingIVSize...])) }
        return bytes + message
    }

    /// Reads a packet sent to `localNodeID` (32 bytes), unmasking its header. The message stays encrypted.
    /// - Throws: ``Discv5Error`` with ``Discv5Error/Code/packetTooShort``, ``Discv5Error/Code/packetTooLarge``,
    ///   ``Discv5Error/Code/wrongProtocolID``, ``Discv5Error/Code/unsupportedVersion``,
    ///   ``Discv5Error/Code/unknownFlag``, ``Discv5Error/Code/authDataSizeWrong`` or
    ///   ``Discv5Error/Code/messageTooShort``.
    public init(decoding input: some Collection<UInt8>, localNodeID: [UInt8]) throws(Discv5Error) {
        guard localNodeID.count == AuthData.nodeIDSize else {
            throw Discv5Error(.invalidArgument, "a local node ID is 32 bytes", field: "localNodeID")
        }
        guard input.count >= Self.minimumSize else {
            throw Discv5Error(.packetTooShort, "a packet of \(input.count) bytes is under 63", at: 0)
        }
        guard input.count <= Self.maximumSize else {
            throw Discv5Error(.packetTooLarge, "a packet of \(input.count) bytes is over 1280", at: 0)
        }
        var bytes = Array(input)
        let iv = Array(bytes[..<Self.maskingIVSize])
        let headerStart = Self.maskingIVSize
        let staticEnd = headerStart + Self.staticHeaderSize
        var mask = Self.mask(destinationID: localNodeID, maskingIV: iv)
        bytes.withUnsafeMutableBytes { mask.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[headerStart..<staticEnd])) }

        guard bytes[headerStart..<(headerStart + 6)].elementsEqual(Self.protocolID) else {
            throw Discv5Error(.wrongProtocolID, "the unmasked header does not start with discv5", at: headerStart, field: "protocolID")
        }
        let version = UInt16(bytes[headerStart + 6]) << 8 | UInt16(bytes[headerStart + 7])
        guard version == Self.version else {
            throw Discv5Error(.unsupportedVersion, "header version \(version), not 1", at: headerStart + 6, field: "version")
        }
        guard let flag = PacketFlag(rawValue: bytes[headerStart + 8]) else {
            throw Discv5Error(.unknownFlag, "flag \(bytes[headerStart + 8])", at: headerStart + 8, field: "flag")
        }
        let nonce = Array(bytes[(headerStart + 9)..<(headerStart + 21)])
        let authSize = Int(bytes[headerStart + 21]) << 8 | Int(bytes[headerStart + 22])
        guard authSize <= bytes.count - staticEnd else {
            throw Discv5Error(
                .authDataSizeWrong, "authdata size \(authSize) runs past the packet's \(bytes.count - staticEnd) bytes",
                at: headerStart + 21, field: "authdataSize")
        }
        let authEnd = staticEnd + authSize
        bytes.withUnsafeMutableBytes { mask.apply(to: UnsafeMutableRawBufferPointer(rebasing: $0[staticEnd..<authEnd])) }
        let authData = try AuthData(decoding: bytes[staticEnd..<authEnd], flag: flag, offset: staticEnd)
        let message = Array(bytes[authEnd...])
        if flag != .whoareyou, message.count < AESGCM.tagSize {
            throw Discv5Error(
                .messageTooShort, "\(message.count) bytes of message data, under a 16-byte tag", at: authEnd, field: "message")
        }
        self.init(maskingIV: iv, nonce: nonce, authData: authData, message: message)
    }

    /// The AES-128-CTR stream that masks a header for `destinationID`.
    static func mask(destinationID: [UInt8], maskingIV: [UInt8]) -> AESCTRStream {
        AESCTRStream(key: destinationID.prefix(16), iv: maskingIV)
    }
}

extension Packet {
    /// A message packet (ordinary or handshake) whose message is `message` sealed with `key` under `nonce`.
    /// - Throws: ``Discv5Error/Code/invalidArgument`` for a WHOAREYOU, or fields of the wrong size.
    public static func sealing(
        _ message: Message, maskingIV: [UInt8], nonce: [UInt8], authData: AuthData, key: [UInt8]
    ) throws(Discv5Error) -> Packet {
        guard authData.flag != .whoareyou else { throw Discv5Error(.invalidArgument, "a WHOAREYOU carries no message") }
        var packet = Packet(maskingIV: maskingIV, nonce: nonce, authData: authData)
        packet.message = try AESGCM.seal(message.encoded(), key: key, nonce: nonce, associatedData: packet.associatedData())
        return packet
    }

    /// The message plaintext, decrypted with `key` and authenticated with the header.
    /// - Throws: ``Discv5Error/Code/decryptionFailed``.
    public func openPlaintext(key: [UInt8]) throws(Discv5Error) -> [UInt8] {
        try AESGCM.open(message, key: key, nonce: nonce, associatedData: associatedData())
    }

    /// The message, decrypted with `key` and decoded.
    /// - Throws: ``Discv5Error/Code/decryptionFailed`` or a message decoding error.
    public func openMessage(key: [UInt8]) throws(Discv5Error) -> Message {
        try Message(decoding: openPlaintext(key: key))
    }
}
