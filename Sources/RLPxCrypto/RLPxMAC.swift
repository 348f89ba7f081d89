// SPDX-License-Identifier: Apache-2.0
import Keccak

/// The running MAC of one direction of an RLPx connection (devp2p rlpx.md, "MAC"): a Keccak-256 state seeded with
/// (mac-secret ⊕ nonce) ‖ handshake packet, advanced by every header and body, with AES-256 on mac-secret mixing
/// each digest back in.
///
/// ### Invariants
/// The egress MAC of one side equals the ingress MAC of the other at every frame boundary; a frame is accepted
/// only when both its header MAC and its body MAC match, compared in constant time.
public struct RLPxMAC: Sendable {
    private var hash: Keccak256
    private var cipher: AESBlockCipher

    /// The MAC seeded with `seed` (mac-secret ⊕ nonce) and then `packet` (the exact handshake bytes on the wire).
    public init(macSecret: some Collection<UInt8>, seed: some Collection<UInt8>, packet: some Collection<UInt8>) {
        cipher = AESBlockCipher(key: macSecret)
        hash = Keccak256()
        hash.update(seed)
        hash.update(packet)
    }

    /// The full 32-byte digest of the state now (the state is unchanged).
    public var digest: [UInt8] { hash.finalize() }

    /// Absorbs `bytes` directly (for tests and known-answer checks such as EIP-8's ingress-mac("foo")).
    public mutating func update(_ bytes: some Collection<UInt8>) { hash.update(bytes) }

    /// Advances the state by a 16-byte header ciphertext and returns the header MAC.
    public mutating func header(_ headerCiphertext: some Collection<UInt8>) -> [UInt8] {
        var seed = Array(hash.finalize().prefix(16))
        encrypt(&seed)
        for (index, byte) in headerCiphertext.enumerated() where index < 16 { seed[index] ^= byte }
        hash.update(seed)
        return Array(hash.finalize().prefix(16))
    }

    /// Advances the state by a frame body ciphertext and returns the frame MAC.
    public mutating func body(_ frameCiphertext: UnsafeRawBufferPointer) -> [UInt8] {
        hash.update(frameCiphertext)
        let digest = Array(hash.finalize().prefix(16))
        var seed = digest
        encrypt(&seed)
        for index in 0..<16 { seed[index] ^= digest[index] }
        hash.update(seed)
        return Array(hash.finalize().prefix(16))
    }

    /// Advances the state by a frame body ciphertext and returns the frame MAC.
    public mutating func body(_ frameCiphertext: [UInt8]) -> [UInt8] {
        frameCiphertext.withUnsafeBytes { body($0) }
    }

    private mutating func encrypt(_ block: inout [UInt8]) {
        block.withUnsafeMutableBytes { cipher.encrypt(block: $0) }
    }

    /// Whether `expected` equals `actual`, compared in constant time.
    public static func matches(_ expected: some Collection<UInt8>, _ actual: some Collection<UInt8>) -> Bool {
        OpenSSL.constantTimeEqual(expected, actual)
    }
}
