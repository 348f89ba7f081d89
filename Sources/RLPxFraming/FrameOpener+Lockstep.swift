// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto

extension FrameOpener {
    /// A frame wholly received whose header was read (``readHeaderUnchecked(_:)``) but not yet authenticated.
    struct WholeFrame {
        /// Padded body ‖ frame MAC.
        var wire: UnsafeMutableRawBufferPointer
        var header: FrameHeader
        var headerTag: UnsafeRawBufferPointer
    }

    /// ``openBody(inPlace:header:checkingHeaderTag:)`` on two openers at once (the two directions of a
    /// connection), each on its own frame: the two MACs advance in lockstep (`RLPxMAC.bodies`), so the pair costs
    /// about one frame's Keccak time. Each side's result is its own; a failed side's body is not decrypted.
    static func openBodies(
        _ a: inout FrameOpener, _ frameA: WholeFrame, _ b: inout FrameOpener, _ frameB: WholeFrame
    ) -> (Result<UnsafeMutableRawBufferPointer, FramingError>, Result<UnsafeMutableRawBufferPointer, FramingError>) {
        let paddedA = Frame.paddedLength(frameA.header.size)
        let paddedB = Frame.paddedLength(frameB.header.size)
        guard frameA.wire.count >= paddedA &+ 16, frameB.wire.count >= paddedB &+ 16,
            frameA.headerTag.count == 16, frameB.headerTag.count == 16
        else {
            // Not whole after all: each alone, which reports what is short.
            let first = Result { () throws(FramingError) in
                try a.openBody(inPlace: frameA.wire, header: frameA.header, checkingHeaderTag: frameA.headerTag)
            }
            let second = Result { () throws(FramingError) in
                try b.openBody(inPlace: frameB.wire, header: frameB.header, checkingHeaderTag: frameB.headerTag)
            }
            return (first, second)
        }
        let bodyA = UnsafeMutableRawBufferPointer(rebasing: frameA.wire[0..<paddedA])
        let bodyB = UnsafeMutableRawBufferPointer(rebasing: frameB.wire[0..<paddedB])
        var expected = InlineArray<64, UInt8>(repeating: 0)
        return withUnsafeMutableBytes(of: &expected) { expected in
            func tag(_ index: Int) -> UnsafeMutableRawBufferPointer {
                UnsafeMutableRawBufferPointer(rebasing: expected[(16 * index)..<(16 * index + 16)])
            }
            RLPxMAC.bodies(
                &a.mac, .init(body: UnsafeRawBufferPointer(bodyA), headerTag: tag(0), tag: tag(1)),
                &b.mac, .init(body: UnsafeRawBufferPointer(bodyB), headerTag: tag(2), tag: tag(3)))
            func check(_ opener: inout FrameOpener, _ frame: WholeFrame, _ body: UnsafeMutableRawBufferPointer, tags first: Int)
                -> Result<UnsafeMutableRawBufferPointer, FramingError>
            {
                Result { () throws(FramingError) in
                    try opener.decrypt(
                        body, size: frame.header.size, checking: UnsafeRawBufferPointer(rebasing: frame.wire[body.count..<(body.count + 16)]),
                        against: UnsafeRawBufferPointer(tag(first + 1)), headerTag: (frame.headerTag, UnsafeRawBufferPointer(tag(first))))
                }
            }
            return (check(&a, frameA, bodyA, tags: 0), check(&b, frameB, bodyB, tags: 2))
        }
    }
}
