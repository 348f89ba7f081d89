// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

extension AuthMessage {
    /// Decrypts and reads a complete auth packet (either format) with the recipient's static key.
    /// - Throws: ``HandshakeError``, including ``HandshakeError/Code/truncated`` for an incomplete packet and
    ///   ``HandshakeError/Code/malformedMessage`` for bytes after it.
    public static func decrypt(
        _ packet: some Collection<UInt8>, with key: Secp256k1.PrivateKey
    ) throws(HandshakeError) -> (message: AuthMessage, format: HandshakeFormat) {
        let read = try readWhole(packet, legacySize: Handshake.legacyAuthSize, key: key)
        return (try AuthMessage(plaintext: read.plaintext, format: read.format), read.format)
    }
}

extension AuthMessage {
    /// Decrypts the auth packet at the start of `bytes` (a TCP payload may carry frames after it) and says how long
    /// it is.
    public static func decryptLeading(
        _ bytes: some Collection<UInt8>, with key: Secp256k1.PrivateKey
    ) throws(HandshakeError) -> (message: AuthMessage, format: HandshakeFormat, length: Int) {
        let (read, length) = try readLeading(bytes, legacySize: Handshake.legacyAuthSize, key: key)
        return (try AuthMessage(plaintext: read.plaintext, format: read.format), read.format, length)
    }
}

extension AckMessage {
    /// Decrypts the ack packet at the start of `bytes` (the recipient's first TCP payload often carries its Hello
    /// too) and says how long it is.
    public static func decryptLeading(
        _ bytes: some Collection<UInt8>, with key: Secp256k1.PrivateKey
    ) throws(HandshakeError) -> (message: AckMessage, format: HandshakeFormat, length: Int) {
        let (read, length) = try readLeading(bytes, legacySize: Handshake.legacyAckSize, key: key)
        return (try AckMessage(plaintext: read.plaintext, format: read.format), read.format, length)
    }

    /// Decrypts and reads a complete ack packet (either format) with the initiator's static key.
    public static func decrypt(
        _ packet: some Collection<UInt8>, with key: Secp256k1.PrivateKey
    ) throws(HandshakeError) -> (message: AckMessage, format: HandshakeFormat) {
        let read = try readWhole(packet, legacySize: Handshake.legacyAckSize, key: key)
        return (try AckMessage(plaintext: read.plaintext, format: read.format), read.format)
    }
}

func readWhole(
    _ packet: some Collection<UInt8>, legacySize: Int, key: Secp256k1.PrivateKey
) throws(HandshakeError) -> HandshakePacketReader.Packet {
    let (read, length) = try readLeading(packet, legacySize: legacySize, key: key)
    guard length == packet.count else {
        throw HandshakeError(.malformedMessage, "\(packet.count - length) bytes follow the packet")
    }
    return read
}

/// The packet at the start of `bytes`, and its length on the wire.
func readLeading(
    _ bytes: some Collection<UInt8>, legacySize: Int, key: Secp256k1.PrivateKey
) throws(HandshakeError) -> (packet: HandshakePacketReader.Packet, length: Int) {
    var reader = HandshakePacketReader(legacySize: legacySize)
    var input = ArraySlice(bytes)
    guard let read = try reader.read(&input, key: key) else {
        throw HandshakeError(.truncated, "packet ends \(reader.bytesNeeded) bytes early")
    }
    return (read, bytes.count - input.count)
}
