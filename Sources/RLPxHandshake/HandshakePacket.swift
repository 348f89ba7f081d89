// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

/// Wrapping a handshake body for the wire, and reading one back incrementally.
enum HandshakePacket {
    /// Encrypts `body` to `recipient`. EIP-8 appends random padding and puts the 2-byte size first, which is also
    /// the ECIES shared MAC data; legacy is bare ECIES.
    static func seal(
        body: [UInt8], format: HandshakeFormat, to recipient: Secp256k1.PublicKey,
        random: inout some RandomNumberGenerator
    ) -> [UInt8] {
        let eciesKey = Secp256k1.PrivateKey.random(using: &random)
        let iv = randomBytes(16, using: &random)
        switch format {
        case .legacy:
            // A valid public key and fresh key: sealing cannot fail.
            return (try? ECIES.seal(body, to: recipient, ephemeralKey: eciesKey, iv: iv)) ?? []
        case .eip8:
            let padding = randomBytes(Int.random(in: Handshake.paddingRange, using: &random), using: &random)
            let plaintext = body + padding
            let size = plaintext.count + ECIES.overhead
            let prefix = [UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size)]
            return prefix + ((try? ECIES.seal(plaintext, to: recipient, ephemeralKey: eciesKey, iv: iv, sharedMACData: prefix)) ?? [])
        }
    }

    static func randomBytes(_ count: Int, using random: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }
}

/// Reads one handshake packet from a byte stream, in either format, asking for no byte it does not need.
///
/// A legacy packet is bare ECIES and always starts with 0x04 (the ephemeral key's prefix). An EIP-8 packet starts
/// with its size; a first byte other than 0x04 therefore means EIP-8 at once. With 0x04 first, the EIP-8 size
/// would be at least 1024, so reading the legacy size first never over-reads: if the legacy packet does not
/// authenticate, the same bytes are read as the start of an EIP-8 packet.
struct HandshakePacketReader: Sendable {
    let legacySize: Int
    private(set) var buffer: [UInt8] = []
    private var legacyRuledOut = false

    init(legacySize: Int) { self.legacySize = legacySize }

    /// Bytes still needed before the packet can be read (0 when complete).
    var bytesNeeded: Int {
        guard buffer.count >= 2 else { return 2 - buffer.count }
        if buffer[0] == 0x04 && !legacyRuledOut && buffer.count < legacySize { return legacySize - buffer.count }
        if buffer[0] == 0x04 && !legacyRuledOut { return 0 }
        return max(0, 2 + eip8Size - buffer.count)
    }

    var eip8Size: Int { Int(buffer[0]) << 8 | Int(buffer[1]) }

    /// A decrypted packet: the plaintext, the exact bytes on the wire, and the format.
    struct Packet {
        var plaintext: [UInt8]
        var wire: [UInt8]
        var format: HandshakeFormat
    }

    /// Takes what the packet needs from the front of `input` and returns the packet once it is complete.
    /// - Throws: ``HandshakeError`` for an oversized, truncated or unauthenticated packet.
    mutating func read(_ input: inout ArraySlice<UInt8>, key: Secp256k1.PrivateKey) throws(HandshakeError) -> Packet? {
        while !input.isEmpty {
            let needed = bytesNeeded
            if needed == 0 { break }
            let take = min(needed, input.count)
            buffer.append(contentsOf: input.prefix(take))
            input = input.dropFirst(take)
            if buffer.count == 2 && buffer[0] != 0x04 { try checkEIP8Size() }
        }
        guard buffer.count >= 2, bytesNeeded == 0 else { return nil }
        if buffer[0] == 0x04 && !legacyRuledOut {
            if let plaintext = try? ECIES.open(buffer, with: key) {
                return Packet(plaintext: plaintext, wire: buffer, format: .legacy)
            }
            legacyRuledOut = true
            try checkEIP8Size()
            // Read the rest of the EIP-8 packet; the caller calls again with more bytes.
            return try read(&input, key: key)
        }
        do {
            let plaintext = try ECIES.open(buffer[2...], with: key, sharedMACData: buffer[0..<2])
            return Packet(plaintext: plaintext, wire: buffer, format: .eip8)
        } catch {
            throw HandshakeError.from(error, context: "EIP-8 packet")
        }
    }

    private func checkEIP8Size() throws(HandshakeError) {
        let size = eip8Size
        guard size <= Handshake.maximumPacketSize else {
            throw HandshakeError(.tooLarge, "EIP-8 size prefix \(size) exceeds \(Handshake.maximumPacketSize)")
        }
        guard size >= ECIES.overhead else {
            throw HandshakeError(.truncated, "EIP-8 size prefix \(size) is below the ECIES overhead \(ECIES.overhead)")
        }
    }
}
