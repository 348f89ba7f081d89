// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxTestSupport
import Testing

@Suite struct FrameBehaviourTests {
    /// Secrets from a real in-memory handshake.
    static func secrets() throws -> (initiator: SessionSecrets, recipient: SessionSecrets) {
        var random = SeededRandom(seed: 77)
        let a = Secp256k1.PrivateKey.random(using: &random)
        let b = Secp256k1.PrivateKey.random(using: &random)
        var initiator = HandshakeInitiator(staticKey: a, remotePublicKey: b.publicKey, random: &random)
        var recipient = HandshakeRecipient(staticKey: b, random: &random)
        let (ack, recipientResult) = try #require(try recipient.receive(initiator.authPacket(random: &random), random: &random))
        let initiatorResult = try #require(try initiator.receive(ack))
        return (initiatorResult.secrets, recipientResult.secrets)
    }

    @Test func roundTripsEverySizeBothWays() throws {
        let (a, b) = try Self.secrets()
        var random = SeededRandom(seed: 1)
        for (writer, reader) in [(a, b), (b, a)] {
            var sealer = FrameSealer(secrets: writer)
            var decoder = FrameDecoder(secrets: reader)
            for size in [0, 1, 15, 16, 17, 31, 32, 33, 1000, 65536, 1 << 20] {
                let data = random.bytes(size)
                decoder.append(try sealer.seal(data))
                #expect(try decoder.nextFrame()?.data == data, "\(size) bytes")
            }
        }
    }

    /// Header data beyond the header's 13 bytes is the caller's mistake: a typed error, and nothing sealed (the
    /// stream is untouched, so the next frame still opens).
    @Test func oversizedHeaderDataIsAnError() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        #expect(throws: FramingError.headerDataTooLarge) {
            _ = try sealer.seal([0x80], headerData: [UInt8](repeating: 0x80, count: 14))
        }
        var decoder = FrameDecoder(secrets: b)
        decoder.append(try sealer.seal([0x01, 0x80], headerData: [UInt8](repeating: 0x80, count: 13)))
        #expect(try decoder.nextFrame()?.data == [0x01, 0x80])
    }

    /// Sealing a message directly gives the very bytes of sealing its frame data, frame after frame, compressed
    /// or not, and it opens back to the message.
    @Test func sealingAMessageEqualsSealingItsFrameData() throws {
        let (a, b) = try Self.secrets()
        var random = SeededRandom(seed: 2)
        var direct = FrameSealer(secrets: a)
        var viaFrameData = FrameSealer(secrets: a)
        var decoder = FrameDecoder(secrets: b)
        for (index, size) in [0, 1, 55, 56, 1000, 4096, 65536, 1 << 20].enumerated() {
            for compressed in [false, true] {
                // Random payloads do not compress; repeated ones do.
                let payload = index % 2 == 0 ? random.bytes(size) : [UInt8](repeating: UInt8(index), count: size)
                let message = Message(code: UInt64(index * 70), payload: payload)
                let sealed = try direct.seal(message, compressed: compressed)
                #expect(sealed == (try viaFrameData.seal(message.frameData(compressed: compressed))), "\(size) bytes")
                decoder.append(sealed)
                let frame = try #require(try decoder.nextFrame())
                #expect(try Message(frameData: frame.data, compressed: compressed) == message)
            }
        }
    }

    /// Frames sealed onto one reused buffer are the frames sealed one by one, back to back; a refused message
    /// leaves the buffer as it was.
    @Test func sealingOntoABufferAppends() throws {
        let (a, b) = try Self.secrets()
        var onto = FrameSealer(secrets: a)
        var alone = FrameSealer(secrets: a)
        var wire: [UInt8] = [1, 2, 3]
        var expected: [UInt8] = [1, 2, 3]
        var random = SeededRandom(seed: 4)
        for (index, size) in [0, 10, 300, 5000].enumerated() {
            let message = Message(code: UInt64(index), payload: random.bytes(size))
            try onto.seal(message, compressed: index % 2 == 0, appendingTo: &wire)
            expected += try alone.seal(message, compressed: index % 2 == 0)
        }
        #expect(wire == expected)
        let tooLarge = Message(code: 16, payload: [UInt8](repeating: 1, count: Frame.maximumSize))
        #expect(throws: FramingError.self) { try onto.seal(tooLarge, compressed: false, appendingTo: &wire) }
        #expect(wire == expected)
        var decoder = FrameDecoder(secrets: b)
        decoder.append(wire.dropFirst(3))
        var sizes: [Int] = []
        while let size = try decoder.nextFrame({ header, data in data.count == header.size ? header.size : -1 }) { sizes.append(size) }
        #expect(sizes.count == 4 && !sizes.contains(-1))
    }

    @Test func aMessageTooLargeForAFrameIsRefused() throws {
        let (a, _) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        let message = Message(code: 16, payload: [UInt8](repeating: 1, count: Frame.maximumSize))
        #expect(throws: FramingError.self) { try sealer.seal(message, compressed: false) }
        // Compressed, the same payload fits easily.
        #expect(try sealer.seal(message, compressed: true).count < 1 << 20)
    }

    @Test func headerMACFailureRefusesEverythingAfter() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        var frame = try sealer.seal([1, 2, 3])
        frame[20] ^= 1
        var decoder = FrameDecoder(secrets: b)
        decoder.append(frame)
        #expect(throws: FramingError.headerMACMismatch) { try decoder.nextFrame() }
        decoder.append(try sealer.seal([4]))
        #expect(throws: FramingError.streamFailed) { try decoder.nextFrame() }
    }

    @Test func tamperedHeaderIsCaughtBeforeItsSizeIsTrusted() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        var frame = try sealer.seal([1, 2, 3])
        frame[0] ^= 0xff  // would announce a 16 MiB frame if it were believed
        var decoder = FrameDecoder(secrets: b)
        decoder.append(frame)
        #expect(throws: FramingError.headerMACMismatch) { try decoder.nextFrame() }
    }

    /// A whole frame has both MACs computed at once; a changed header byte is still a header MAC failure.
    @Test func tamperedHeaderOfAWholeFrameIsAHeaderMACFailure() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        var frame = try sealer.seal([UInt8](repeating: 9, count: 40))
        frame[10] ^= 1  // header-data: the size stays small, so the whole frame is read at once
        var decoder = FrameDecoder(secrets: b)
        decoder.append(frame)
        #expect(throws: FramingError.headerMACMismatch) { try decoder.nextFrame() }
    }

    /// Frames read whole (both MACs at once) and frames read as their bytes trickle in (header, then body) keep
    /// one MAC chain: mixing the two ways over every size from 0 to 300 bytes reads every frame.
    @Test func wholeAndTricklingFramesShareOneChain() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        var decoder = FrameDecoder(secrets: b)
        for size in 0...300 {
            let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ size) }
            let frame = try sealer.seal(data)
            if size % 3 == 0 {
                for byte in frame {
                    #expect(try decoder.nextFrame() == nil)
                    decoder.append([byte])
                }
            } else {
                decoder.append(frame)
            }
            #expect(try decoder.nextFrame()?.data == data, "\(size) bytes")
        }
    }

    @Test func frameMACFailure() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        var frame = try sealer.seal([UInt8](repeating: 9, count: 40))
        frame[40] ^= 1
        var decoder = FrameDecoder(secrets: b)
        decoder.append(frame)
        #expect(throws: FramingError.frameMACMismatch) { try decoder.nextFrame() }
        #expect(throws: FramingError.streamFailed) { try decoder.nextFrame() }
    }

    @Test func sizeLimitIsCheckedBeforeTheBodyArrives() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        let frame = try sealer.seal([UInt8](repeating: 9, count: 17))
        var decoder = FrameDecoder(secrets: b, maximumFrameSize: 16)
        decoder.append(frame.prefix(32))  // the header only
        #expect(throws: FramingError.frameTooLarge) { try decoder.nextFrame() }
        var unlimited = FrameSealer(secrets: a)
        #expect(throws: FramingError.frameTooLarge) { try unlimited.seal([UInt8](repeating: 0, count: Frame.maximumSize + 1)) }
    }

    @Test func needsExactlyWhatTheNextStepTakes() throws {
        let (a, b) = try Self.secrets()
        var sealer = FrameSealer(secrets: a)
        let frame = try sealer.seal([UInt8](repeating: 1, count: 20))
        var decoder = FrameDecoder(secrets: b)
        #expect(decoder.bytesNeeded == 32)
        decoder.append(frame.prefix(32))
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bytesNeeded == 32 + 16)  // 20 padded to 32, then the MAC
        decoder.append(frame.dropFirst(32))
        #expect(try decoder.nextFrame()?.data.count == 20)
        #expect(decoder.bytesNeeded == 32)
    }
}

/// Arguments a caller can get wrong are typed errors or clamped, never a stopped process.
@Suite struct FramingMisuseTests {
    @Test func shortInputToTheOpenerIsAnError() throws {
        let (a, b) = try FrameBehaviourTests.secrets()
        var opener = FrameOpener(secrets: b)
        #expect(throws: FramingError.incompleteFrame) { _ = try opener.openHeader([UInt8](repeating: 0, count: 31)[...]) }
        var sealer = FrameSealer(secrets: a)
        let wire = try sealer.seal([0x80])
        let header = try opener.openHeader(wire[0..<32])
        #expect(throws: FramingError.incompleteFrame) { _ = try opener.openBody(wire[32..<40], header: header) }
    }

    @Test func frameSizeLimitIsClamped() throws {
        let (_, b) = try FrameBehaviourTests.secrets()
        #expect(FrameDecoder(secrets: b, maximumFrameSize: -5).maximumFrameSize == 0)
        #expect(FrameDecoder(secrets: b, maximumFrameSize: Int.max).maximumFrameSize == Frame.maximumSize)
    }
}
