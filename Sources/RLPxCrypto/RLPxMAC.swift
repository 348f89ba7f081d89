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
    /// The length of a header MAC and of a frame MAC.
    public static let tagLength = 16

    var hash: Keccak256
    var cipher: AESBlockCipher
    /// digest[:16] of the state as it is now, kept from the last MAC until the next absorb: the next header
    /// starts from exactly that digest, so one Keccak permutation per frame is saved.
    var currentPrefix: InlineArray<16, UInt8>?

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
    public mutating func update(_ bytes: some Collection<UInt8>) {
        hash.update(bytes)
        currentPrefix = nil
    }

    /// Advances the state by a 16-byte header ciphertext and writes the header MAC to `tag` (16 bytes):
    /// seed = AES(mac-secret, digest[:16]) ⊕ header-ciphertext; absorb seed; MAC = digest[:16].
    package mutating func header(_ headerCiphertext: UnsafeRawBufferPointer, tag: UnsafeMutableRawBufferPointer) {
        absorbHeader(headerCiphertext)
        headerTag(into: tag)
    }

    /// The first half of ``header(_:tag:)``: advances the state by a 16-byte header ciphertext. The header MAC is
    /// then taken by ``headerTag(into:)``, or beside the body by ``body(_:tag:headerTag:)``.
    package mutating func absorbHeader(_ headerCiphertext: UnsafeRawBufferPointer) {
        precondition(headerCiphertext.count == 16, "a frame header is 16 bytes")
        mixDigest(xoring: headerCiphertext)
    }

    /// The second half of ``header(_:tag:)``: writes the MAC of the header just absorbed to `tag` (16 bytes).
    package mutating func headerTag(into tag: UnsafeMutableRawBufferPointer) {
        writePrefix(to: tag)
    }

    /// ``headerTag(into:)`` then ``body(_:tag:)`` in one step: the permutation the header MAC needs runs beside the
    /// first one the body needs (`Keccak256.update(_:digestBefore:digestAfter:)`), one fewer per frame.
    package mutating func body(
        _ frameCiphertext: UnsafeRawBufferPointer, tag: UnsafeMutableRawBufferPointer, headerTag: UnsafeMutableRawBufferPointer
    ) {
        precondition(headerTag.count == Self.tagLength, "a MAC tag is 16 bytes")
        var prefix = InlineArray<16, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &prefix) { hash.update(frameCiphertext, digestBefore: headerTag, digestAfter: $0) }
        currentPrefix = prefix
        mixDigest(xoring: nil)
        writePrefix(to: tag)
    }

    /// Advances the state by a frame body ciphertext and writes the frame MAC to `tag` (16 bytes):
    /// absorb body; seed = AES(mac-secret, digest[:16]) ⊕ digest[:16]; absorb seed; MAC = digest[:16].
    package mutating func body(_ frameCiphertext: UnsafeRawBufferPointer, tag: UnsafeMutableRawBufferPointer) {
        hash.update(frameCiphertext)
        currentPrefix = nil
        mixDigest(xoring: nil)
        writePrefix(to: tag)
    }

    /// Absorbs AES(digest[:16]) ⊕ (`other`, or digest[:16] itself when nil), all on the stack.
    private mutating func mixDigest(xoring other: UnsafeRawBufferPointer?) {
        let block = Self.mixedBlock(currentPrefix ?? digestPrefix(), xoring: other, cipher: &cipher)
        withUnsafeBytes(of: block) { hash.update($0) }
        currentPrefix = nil
    }

    /// AES(mac-secret, `digest`) ⊕ (`other`, or `digest` itself when nil): the block a MAC step absorbs.
    static func mixedBlock(
        _ digest: InlineArray<16, UInt8>, xoring other: UnsafeRawBufferPointer?, cipher: inout AESBlockCipher
    ) -> InlineArray<16, UInt8> {
        var block = digest
        withUnsafeMutableBytes(of: &block) { cipher.encrypt(block: $0) }
        for index in 0..<16 { block[index] ^= other.map { $0[index] } ?? digest[index] }
        return block
    }

    private mutating func writePrefix(to tag: UnsafeMutableRawBufferPointer) {
        precondition(tag.count == Self.tagLength, "a MAC tag is 16 bytes")
        let prefix = digestPrefix()
        withUnsafeBytes(of: prefix) { tag.copyMemory(from: $0) }
        currentPrefix = prefix
    }

    /// digest[:16] of the state now, on the stack.
    private func digestPrefix() -> InlineArray<16, UInt8> {
        var prefix = InlineArray<16, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &prefix) { hash.finalize(into: $0) }
        return prefix
    }

    /// Whether `expected` equals `actual`, compared in constant time.
    package static func matches(_ expected: UnsafeRawBufferPointer, _ actual: UnsafeRawBufferPointer) -> Bool {
        OpenSSL.constantTimeEqual(expected, actual)
    }
}
