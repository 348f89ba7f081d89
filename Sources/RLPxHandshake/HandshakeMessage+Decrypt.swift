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

extension AckMessage {
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
    var reader = HandshakePacketReader(legacySize: legacySize)
    var input = ArraySlice(packet)
    guard let read = try reader.read(&input, key: key) else {
        throw HandshakeError(.truncated, "packet ends \(reader.bytesNeeded) bytes early")
    }
    guard input.isEmpty else {
        throw HandshakeError(.malformedMessage, "\(input.count) bytes follow the packet")
    }
    return read
}
