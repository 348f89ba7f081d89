// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxHandshake

/// The receiving half of a connection, in nio-ssh's two steps: authenticate and decrypt the header (the only
/// thing trusted before the body's MAC is checked is the size it announces), then authenticate and decrypt the body.
///
/// ### Invariants
/// Nothing unauthenticated is returned. Call ``openHeader(_:)`` and ``openBody(_:header:)`` alternately, in stream
/// order; after a MAC failure the key stream and MAC are out of step with the peer, so use ``FrameDecoder``, which
/// then refuses all further input.
public struct FrameOpener: Sendable {
    var stream: AESCTRStream
    var mac: RLPxMAC

    /// The ingress half for `secrets`.
    public init(secrets: SessionSecrets) {
        self.init(aesSecret: secrets.aesSecret, mac: secrets.ingressMAC)
    }

    /// An opener from its parts.
    public init(aesSecret: [UInt8], mac: RLPxMAC) {
        stream = AESCTRStream(key: aesSecret)
        self.mac = mac
    }

    /// Checks the header MAC of the first 32 bytes of `bytes` (header ‖ header MAC), then decrypts the header.
    /// - Throws: ``FramingError/Code/headerMACMismatch``; ``FramingError/Code/incompleteFrame`` under 32 bytes.
    public mutating func openHeader(_ bytes: ArraySlice<UInt8>) throws(FramingError) -> FrameHeader {
        guard bytes.count >= 32 else { throw FramingError(.incompleteFrame, "a header and its MAC are 32 bytes, not \(bytes.count)") }
        let (header, authentic) = bytes.withUnsafeBytes { wire in
            let header = readHeaderUnchecked(UnsafeRawBufferPointer(rebasing: wire[0..<16]))
            return (header, checkHeaderTag(UnsafeRawBufferPointer(rebasing: wire[16..<32])))
        }
        guard authentic else { throw .headerMACMismatch }
        return header
    }

    /// Advances the MAC over a 16-byte header ciphertext and decrypts it, without checking its MAC: nothing in it
    /// may be trusted until ``checkHeaderTag(_:)`` or ``openBody(inPlace:header:checkingHeaderTag:)`` passes.
    mutating func readHeaderUnchecked(_ ciphertext: UnsafeRawBufferPointer) -> FrameHeader {
        mac.absorbHeader(ciphertext)
        var header = InlineArray<16, UInt8>(repeating: 0)
        return withUnsafeMutableBytes(of: &header) { header in
            header.copyMemory(from: ciphertext)
            stream.apply(to: header)
            return FrameHeader(decrypted: UnsafeRawBufferPointer(header))
        }
    }

    /// Whether the header just read has the MAC `tag`, compared in constant time.
    mutating func checkHeaderTag(_ tag: UnsafeRawBufferPointer) -> Bool {
        var expected = InlineArray<16, UInt8>(repeating: 0)
        return withUnsafeMutableBytes(of: &expected) { expected in
            mac.headerTag(into: expected)
            return RLPxMAC.matches(UnsafeRawBufferPointer(expected), tag)
        }
    }

    /// Checks the frame MAC of `bytes` (padded body ‖ frame MAC, as ``Frame/paddedLength(_:)`` + 16 bytes for
    /// `header.size`), then decrypts and returns the frame data without padding.
    /// - Throws: ``FramingError/Code/frameMACMismatch``; ``FramingError/Code/incompleteFrame`` when short.
    public mutating func openBody(_ bytes: ArraySlice<UInt8>, header: FrameHeader) throws(FramingError) -> [UInt8] {
        var body = Array(bytes.prefix(Frame.paddedLength(header.size) &+ 16))
        let size = try body.withUnsafeMutableBytes { wire in
            Result { () throws(FramingError) in try openBody(inPlace: wire, header: header).count }
        }.get()
        body.removeLast(body.count &- size)
        return body
    }

    /// ``openBody(_:header:)`` without a copy: checks the frame MAC of `wire` (padded body ‖ frame MAC), decrypts
    /// the body where it lies and returns the frame data within `wire` (padding removed).
    /// - Throws: ``FramingError/Code/frameMACMismatch``; ``FramingError/Code/incompleteFrame`` when short.
    package mutating func openBody(
        inPlace wire: UnsafeMutableRawBufferPointer, header: FrameHeader
    ) throws(FramingError) -> UnsafeMutableRawBufferPointer {
        try openBody(inPlace: wire, header: header, checkingHeaderTag: nil)
    }

    /// ``openBody(inPlace:header:)``; with `headerTag`, also ``checkHeaderTag(_:)`` in the same step, for a frame
    /// whose body is already here: both MACs are computed together (one Keccak permutation fewer), and the
    /// header's is checked first.
    /// - Throws: ``FramingError/Code/headerMACMismatch``, ``FramingError/Code/frameMACMismatch``;
    ///   ``FramingError/Code/incompleteFrame`` when short.
    mutating func openBody(
        inPlace wire: UnsafeMutableRawBufferPointer, header: FrameHeader, checkingHeaderTag headerTag: UnsafeRawBufferPointer?
    ) throws(FramingError) -> UnsafeMutableRawBufferPointer {
        let padded = Frame.paddedLength(header.size)
        guard wire.count >= padded &+ 16 else {
            throw FramingError(.incompleteFrame, "a \(header.size)-byte frame body and its MAC are \(padded &+ 16) bytes, not \(wire.count)")
        }
        let body = UnsafeMutableRawBufferPointer(rebasing: wire[0..<padded])
        let tag = UnsafeRawBufferPointer(rebasing: wire[padded..<(padded + 16)])
        var expected = InlineArray<32, UInt8>(repeating: 0)
        return try withUnsafeMutableBytes(of: &expected) { expected throws(FramingError) in
            let expectedHeader = UnsafeMutableRawBufferPointer(rebasing: expected[0..<16])
            let expectedBody = UnsafeMutableRawBufferPointer(rebasing: expected[16..<32])
            if headerTag == nil {
                mac.body(UnsafeRawBufferPointer(body), tag: expectedBody)
            } else {
                mac.body(UnsafeRawBufferPointer(body), tag: expectedBody, headerTag: expectedHeader)
            }
            return try decrypt(
                body, size: header.size, checking: tag, against: UnsafeRawBufferPointer(expectedBody),
                headerTag: headerTag.map { ($0, UnsafeRawBufferPointer(expectedHeader)) })
        }
    }

    /// Compares a frame's MAC (and its header's, when given, first) with the one computed, then decrypts the
    /// padded body where it lies and returns the frame data within it.
    /// - Throws: ``FramingError/Code/headerMACMismatch``, ``FramingError/Code/frameMACMismatch``.
    mutating func decrypt(
        _ body: UnsafeMutableRawBufferPointer, size: Int, checking tag: UnsafeRawBufferPointer, against expected: UnsafeRawBufferPointer,
        headerTag: (tag: UnsafeRawBufferPointer, expected: UnsafeRawBufferPointer)?
    ) throws(FramingError) -> UnsafeMutableRawBufferPointer {
        if let headerTag, !RLPxMAC.matches(headerTag.expected, headerTag.tag) { throw .headerMACMismatch }
        guard RLPxMAC.matches(expected, tag) else { throw .frameMACMismatch }
        stream.apply(to: body)
        return UnsafeMutableRawBufferPointer(rebasing: body[0..<size])
    }
}
