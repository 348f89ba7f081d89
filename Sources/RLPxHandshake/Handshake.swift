// SPDX-License-Identifier: Apache-2.0

/// Constants of the RLPx handshake (devp2p rlpx.md, EIP-8).
public enum Handshake {
    /// The largest EIP-8 packet accepted: its 2-byte size prefix may not exceed this (go-ethereum #30029).
    public static let maximumPacketSize = 2048
    /// A pre-EIP-8 auth packet: ECIES over a 194-byte plaintext.
    public static let legacyAuthSize = 307
    /// A pre-EIP-8 ack packet: ECIES over a 97-byte plaintext.
    public static let legacyAckSize = 210
    /// The version this implementation writes in auth and ack bodies.
    public static let version: UInt = 4
    /// EIP-8 padding: go-ethereum appends 100 to 199 bytes; we append random bytes in the same range.
    public static let paddingRange = 100...199
}

/// Which encoding a handshake message used.
public enum HandshakeFormat: String, Sendable, Hashable {
    /// Fixed-size pre-EIP-8 packets (307-byte auth, 210-byte ack).
    case legacy
    /// EIP-8: 2-byte size prefix (also the ECIES shared MAC data), RLP body, random padding.
    case eip8
}

/// Which side of the connection: the spec's words.
public enum Role: String, Sendable, Hashable {
    /// The side that dialled and sent auth.
    case initiator
    /// The side that accepted and sent ack.
    case recipient
}
