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

    /// Advances the state by a 16-byte header ciphertext and returns the header MAC:
    /// seed = AES(mac-secret, digest[:16]) ⊕ header-ciphertext; absorb seed; MAC = digest[:16].
    public mutating func header(_ headerCiphertext: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(headerCiphertext.count == 16, "a frame header is 16 bytes")
        mixDigest(xoring: headerCiphertext)
        return prefix16()
    }

    /// Advances the state by a 16-byte header ciphertext and returns the header MAC.
    public mutating func header(_ headerCiphertext: [UInt8]) -> [UInt8] {
        headerCiphertext.withUnsafeBytes { header($0) }
    }

    /// Advances the state by a frame body ciphertext and returns the frame MAC:
    /// absorb body; seed = AES(mac-secret, digest[:16]) ⊕ digest[:16]; absorb seed; MAC = digest[:16].
    public mutating func body(_ frameCiphertext: UnsafeRawBufferPointer) -> [UInt8] {
        hash.update(frameCiphertext)
        mixDigest(xoring: nil)
        return prefix16()
    }

    /// Advances the state by a frame body ciphertext and returns the frame MAC.
    public mutating func body(_ frameCiphertext: [UInt8]) -> [UInt8] {
        frameCiphertext.withUnsafeBytes { body($0) }
    }

    /// Absorbs AES(digest[:16]) ⊕ (`other`, or digest[:16] itself when nil), all on the stack.
    private mutating func mixDigest(xoring other: UnsafeRawBufferPointer?) {
        var block = InlineArray<16, UInt8>(repeating: 0)
        var digest = InlineArray<16, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &digest) { hash.finalize(into: $0) }
        block = digest
        withUnsafeMutableBytes(of: &block) { cipher.encrypt(block: $0) }
        for index in 0..<16 { block[index] ^= other.map { $0[index] } ?? digest[index] }
        withUnsafeBytes(of: block) { hash.update($0) }
    }

    private func prefix16() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 16) { buffer, count in
            hash.finalize(into: UnsafeMutableRawBufferPointer(buffer))
            count = 16
        }
    }

    /// Whether `expected` equals `actual`, compared in constant time.
    public static func matches(_ expected: some Collection<UInt8>, _ actual: some Collection<UInt8>) -> Bool {
        OpenSSL.constantTimeEqual(expected, actual)
    }
}
