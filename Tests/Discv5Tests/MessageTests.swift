// SPDX-License-Identifier: Apache-2.0
import Discv5
import RLPxTestSupport
import Testing

/// Message encodings: the specification's vectors, a round trip for every type, and refusals with their codes.
@Suite struct MessageTests {
    typealias V = WireVectors

    static let id = (try? RequestID([0x01])) ?? RequestID(1)
    static let record1 = Array(V.Messages.nodesTwo[7..<126])  // the first ENR's list, as the vector carries it

    @Test func specificationVectors() throws {
        let ping = Message.ping(Ping(requestID: Self.id, enrSeq: 1))
        #expect(ping.encoded() == V.Messages.ping)
        #expect(try Message(decoding: V.Messages.ping) == ping)

        let pong = Message.pong(Pong(requestID: Self.id, enrSeq: 1, recipientIP: [127, 0, 0, 1], recipientPort: 5000))
        #expect(pong.encoded() == V.Messages.pong)
        #expect(try Message(decoding: V.Messages.pong) == pong)

        let empty = Message.nodes(Nodes(requestID: Self.id, total: 1, records: []))
        #expect(empty.encoded() == V.Messages.nodesEmpty)
        #expect(try Message(decoding: V.Messages.nodesEmpty) == empty)

        let decoded = try Message(decoding: V.Messages.nodesTwo)
        guard case .nodes(let nodes) = decoded else {
            Issue.record("not NODES: \(decoded)")
            return
        }
        #expect(nodes.total == 1 && nodes.records.count == 2)
        #expect(nodes.records.allSatisfy { $0.count == 119 && $0.first == 0xf8 })
        #expect(nodes.records.first == Self.record1)
        #expect(decoded.encoded() == V.Messages.nodesTwo)
    }

    static let everyMessage: [Message] = {
        let long = (try? RequestID([1, 2, 3, 4, 5, 6, 7, 8])) ?? RequestID(0)
        let none = (try? RequestID([UInt8]())) ?? RequestID(0)
        return [
            .ping(Ping(requestID: long, enrSeq: .max)),
            .ping(Ping(requestID: none, enrSeq: 0)),
            .pong(Pong(requestID: RequestID(7), enrSeq: 300, recipientIP: Array(repeating: 0xfe, count: 16), recipientPort: 0)),
            .pong(Pong(requestID: long, enrSeq: 0, recipientIP: [10, 0, 0, 1], recipientPort: .max)),
            .findNode(FindNode(requestID: long, distances: [256, 255, 0, 1])),
            .findNode(FindNode(requestID: none, distances: [])),
            .nodes(Nodes(requestID: long, total: 3, records: [record1, record1])),
            .nodes(Nodes(requestID: long, total: 0, records: [[0xc0]])),
            .talkRequest(TalkRequest(requestID: long, protocolName: Array("portal".utf8), request: Array(0...200))),
            .talkRequest(TalkRequest(requestID: none, protocolName: [], request: [])),
            .talkResponse(TalkResponse(requestID: long, response: [0x7f])),
            .talkResponse(TalkResponse(requestID: long, response: [])),
        ]
    }()

    @Test(arguments: everyMessage) func roundTrip(message: Message) throws {
        let encoded = message.encoded()
        #expect(encoded.first == message.type)
        #expect(try Message(decoding: encoded) == message)
        // Through a sealed packet and back.
        let packet = try Packet.sealing(
            message, maskingIV: Array(repeating: 9, count: 16), nonce: Array(repeating: 3, count: 12),
            authData: .ordinary(sourceID: V.nodeAID), key: V.Encryption.key)
        let wire = try packet.encoded(destinationID: V.nodeBID)
        let received = try Packet(decoding: wire, localNodeID: V.nodeBID)
        #expect(received == packet)
        #expect(try received.openMessage(key: V.Encryption.key) == message)
    }

    @Test func everyTypeIsCovered() {
        #expect(Set(Self.everyMessage.map(\.type)) == Set(1...6))
        #expect(Set(Self.everyMessage.map(\.name)) == ["PING", "PONG", "FINDNODE", "NODES", "TALKREQ", "TALKRESP"])
    }

    @Test func refusals() {
        func code(_ bytes: [UInt8]) -> Discv5Error.Code? {
            do {
                _ = try Message(decoding: bytes)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([]) == .emptyMessage)
        #expect(code([0x00, 0xc2, 0x01, 0x01]) == .unknownMessageType)
        #expect(code([0x07, 0xc2, 0x01, 0x01]) == .unknownMessageType)
        // A 9-byte request ID.
        #expect(code([0x01, 0xcb, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x01]) == .requestIDTooLong)
        #expect(throws: Discv5Error.requestIDTooLong) { try RequestID(Array(repeating: 1, count: 9)) }
        // Missing, extra and trailing fields; non-canonical integers; a list where bytes belong.
        #expect(code([0x01, 0xc1, 0x01]) == .invalidRLP)
        #expect(code([0x01, 0xc3, 0x01, 0x01, 0x01]) == .invalidRLP)
        #expect(code([0x01, 0xc2, 0x01, 0x01, 0x00]) == .invalidRLP)
        #expect(code([0x01, 0xc3, 0x01, 0x81, 0x01]) == .invalidRLP)
        #expect(code([0x01, 0xc3, 0xc0, 0x01, 0x01]) == .invalidRLP)
        #expect(code([0x01]) == .invalidRLP)
        // A PONG whose IP is 5 bytes.
        #expect(code([0x02, 0xcb, 0x01, 0x01, 0x85, 127, 0, 0, 1, 1, 0x82, 0x13, 0x88]) == .invalidValue)
        // A NODES whose record is a byte string.
        #expect(code([0x04, 0xc5, 0x01, 0x01, 0xc2, 0x81, 0x80]) == .invalidRLP)
        // A FINDNODE distance past 16 bits.
        #expect(code([0x03, 0xc6, 0x01, 0xc4, 0x83, 1, 0, 0]) == .invalidRLP)
    }

    @Test func errorsSayWhere() {
        do {
            _ = try Message(decoding: [0x02, 0xcb, 0x01, 0x01, 0x85, 127, 0, 0, 1, 1, 0x82, 0x13, 0x88])
            Issue.record("accepted")
        } catch {
            #expect(error.offset == 4)
            #expect(error.field == "pong.recipientIP")
        }
    }

    @Test func randomBodiesNeverCrashAndAcceptedOnesReencode() {
        var random = SeededRandom(seed: 5)
        var accepted = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                // A real message with some bytes changed or cut.
                bytes = Self.everyMessage[round % Self.everyMessage.count].encoded()
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            } else {
                bytes = [UInt8(1 + random.next() % 6)] + random.bytes(Int(random.next() % 40))
            }
            if let message = try? Message(decoding: bytes) {
                accepted += 1
                #expect(message.encoded() == bytes)
            }
        }
        #expect(accepted > 100)
    }
}

extension Message: CustomTestStringConvertible {
    public var testDescription: String { "\(name) \(requestID)" }
}
