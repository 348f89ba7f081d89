// SPDX-License-Identifier: Apache-2.0
import Discv5
import RLPxTestSupport
import Testing

/// Packets that break a rule are refused with the rule's code; random and damaged packets never crash.
@Suite struct MalformedPacketTests {
    typealias V = WireVectors

    /// The code `bytes` is refused with by node B, or nil when accepted.
    static func code(_ bytes: [UInt8]) -> Discv5Error.Code? {
        do {
            _ = try Packet(decoding: bytes, localNodeID: V.nodeBID)
            return nil
        } catch {
            return error.code
        }
    }

    /// A packet for node B whose unmasked header is changed by `edit` before masking (`message` appended as is).
    static func packet(header edit: (inout [UInt8]) -> Void, message: [UInt8] = Array(repeating: 0, count: 16)) throws -> [UInt8] {
        let base = Packet(maskingIV: V.maskingIV, nonce: V.PingMessage.nonce, authData: .ordinary(sourceID: V.nodeAID))
        var header = try base.header()
        edit(&header)
        // Masking is XOR with a key stream that depends only on the IV and the destination: read it off a packet.
        let reference = Packet(maskingIV: V.maskingIV, nonce: V.PingMessage.nonce, authData: .ordinary(sourceID: V.nodeAID))
        let stream = zip(try reference.encoded(destinationID: V.nodeBID).dropFirst(16), try reference.header()).map { $0 ^ $1 }
        var masked = header
        for index in masked.indices where index < stream.count { masked[index] ^= stream[index] }
        precondition(masked.count <= stream.count, "edits may not lengthen the header")
        return V.maskingIV + masked + message
    }

    @Test func theEditingHelperMakesValidPackets() throws {
        let bytes = try Self.packet(header: { _ in })
        #expect(Self.code(bytes) == nil)
    }

    @Test func tooShortAndTooLarge() throws {
        #expect(Self.code([]) == .packetTooShort)
        #expect(Self.code(Array(V.Whoareyou.packet.dropLast())) == .packetTooShort)
        #expect(Self.code(Array(repeating: 0, count: 62)) == .packetTooShort)
        #expect(Self.code(V.PingMessage.packet + Array(repeating: 0, count: 1281 - V.PingMessage.packet.count)) == .packetTooLarge)
        // An encoder refuses to go past 1280 bytes too.
        let big = Packet(
            maskingIV: V.maskingIV, nonce: V.PingMessage.nonce, authData: .ordinary(sourceID: V.nodeAID), message: Array(repeating: 0, count: 1280))
        #expect(throws: Discv5Error.packetTooLarge) { try big.encoded(destinationID: V.nodeBID) }
    }

    @Test func wrongProtocolIDAndVersion() throws {
        #expect(Self.code(try Self.packet { $0[5] = UInt8(ascii: "4") }) == .wrongProtocolID)
        #expect(Self.code(try Self.packet { $0[7] = 2 }) == .unsupportedVersion)
        #expect(Self.code(try Self.packet { $0[6] = 1 }) == .unsupportedVersion)
        #expect(Self.code(try Self.packet { $0[7] = 0 }) == .unsupportedVersion)
        #expect(Self.code(try Self.packet { $0[8] = 3 }) == .unknownFlag)
        #expect(Self.code(try Self.packet { $0[8] = 0xff }) == .unknownFlag)
    }

    @Test func authDataSizeWrong() throws {
        // Declared larger than the packet holds.
        #expect(
            Self.code(
                try Self.packet {
                    $0[21] = 0x01
                    $0[22] = 0x00
                }) == .authDataSizeWrong)
        // Ordinary authdata that is not 32 bytes (the rest counts as message).
        #expect(Self.code(try Self.packet { $0[22] = 31 }) == .authDataSizeWrong)
        #expect(Self.code(try Self.packet(header: { $0[22] = 33 }, message: Array(repeating: 0, count: 17))) == .authDataSizeWrong)
        // WHOAREYOU authdata that is not 24 bytes.
        #expect(Self.code(try Self.packet { $0[8] = 1 }) == .authDataSizeWrong)
        // Handshake authdata shorter than its head, or whose sizes run past it.
        #expect(Self.code(try Self.packet { $0[8] = 2 }) == .authDataSizeWrong)
        let handshake = try Packet(decoding: V.PingHandshake.packet, localNodeID: V.nodeBID)
        guard case .handshake(var auth) = handshake.authData else { throw Discv5Error.unknownFlag }
        auth.signature = []
        auth.ephemeralPublicKey = []
        var header = try Packet(maskingIV: V.maskingIV, nonce: V.PingMessage.nonce, authData: .handshake(auth)).header()
        #expect(header.count == 23 + 34)
        header[23 + 33] = 1  // a key size of one byte, with no byte there
        var damaged = Packet(maskingIV: V.maskingIV, nonce: V.PingMessage.nonce, authData: .handshake(auth), message: Array(repeating: 0, count: 16))
        let wire = try damaged.encoded(destinationID: V.nodeBID)
        let unmasked = try damaged.header()
        var edited = wire
        edited[16 + 23 + 33] ^= unmasked[23 + 33] ^ header[23 + 33]
        #expect(Self.code(edited) == .authDataSizeWrong)
        damaged.message = []
        #expect(throws: Discv5Error.messageTooShort) {
            try Packet(decoding: try damaged.encoded(destinationID: V.nodeBID) + [1, 2, 3], localNodeID: V.nodeBID)
        }
    }

    @Test func messageShorterThanATag() throws {
        #expect(Self.code(try Self.packet(header: { _ in }, message: Array(repeating: 0, count: 15))) == .messageTooShort)
        #expect(Self.code(try Self.packet(header: { _ in }, message: Array(repeating: 0, count: 16))) == nil)
    }

    @Test func gcmFailure() throws {
        let packet = try Packet(decoding: V.PingMessage.packet, localNodeID: V.nodeBID)
        #expect(throws: Discv5Error.decryptionFailed) { try packet.openMessage(key: V.PingHandshake.readKey) }
        // A flipped bit anywhere in the packet either breaks the header or fails authentication.
        for index in V.PingMessage.packet.indices {
            var damaged = V.PingMessage.packet
            damaged[index] ^= 0x04
            do {
                let decoded = try Packet(decoding: damaged, localNodeID: V.nodeBID)
                #expect(throws: Discv5Error.decryptionFailed) { try decoded.openMessage(key: V.PingMessage.readKey) }
            } catch {
                #expect([.wrongProtocolID, .unsupportedVersion, .unknownFlag, .authDataSizeWrong, .messageTooShort].contains(error.code))
            }
        }
    }

    @Test func errorsSayWhere() throws {
        let bytes = try Self.packet { $0[8] = 7 }
        do throws(Discv5Error) {
            _ = try Packet(decoding: bytes, localNodeID: V.nodeBID)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unknownFlag && error.offset == 16 + 8 && error.field == "flag")
            #expect(error.description.contains("unknownFlag"))
        }
    }

    @Test func randomAndTruncatedPacketsNeverCrash() {
        var random = SeededRandom(seed: 31)
        let seeds = [V.PingMessage.packet, V.Whoareyou.packet, V.PingHandshake.packet, V.PingHandshakeWithRecord.packet]
        var decoded = 0
        for round in 0..<5_000 {
            var bytes = seeds[round % seeds.count]
            switch round % 3 {
            case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            case 1:
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            default: bytes = random.bytes(Int(random.next() % 1400))
            }
            guard let packet = try? Packet(decoding: bytes, localNodeID: V.nodeBID) else { continue }
            decoded += 1
            // Whatever decodes re-encodes to its input, and opening it fails cleanly or yields a message.
            #expect((try? packet.encoded(destinationID: V.nodeBID)) == bytes)
            _ = try? packet.openMessage(key: V.PingMessage.readKey)
        }
        #expect(decoded > 500)
    }
}
