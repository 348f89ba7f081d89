// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLPxCrypto
import RLPxTestSupport
import Testing

/// Two in-memory nodes exchanging datagrams: the handshake, PING/PONG with the observed address, FINDNODE at a
/// distance and at 0, TALKREQ, the repeated challenge, and refused responses.
@Suite struct Discv5NodeTests {
    typealias Endpoint = Discv5Node.Endpoint
    static let start = ContinuousClock.now
    static let addressA = Endpoint(ip: IPAddress("127.0.0.1")!, port: 30301)
    static let addressB = Endpoint(ip: IPAddress("127.0.0.1")!, port: 30302)

    /// Nodes A and B with records naming their addresses; A knows B's record.
    static func pair(_ random: inout SeededRandom) throws -> (a: Discv5Node, b: Discv5Node) {
        let aKey = Secp256k1.PrivateKey.random(using: &random)
        let bKey = Secp256k1.PrivateKey.random(using: &random)
        var a = Discv5Node(key: aKey, record: try ENR.node(key: aKey, seq: 2, ip: addressA.ip, udp: addressA.port), start: start)
        let b = Discv5Node(key: bKey, record: try ENR.node(key: bKey, seq: 5, ip: addressB.ip, udp: addressB.port), start: start)
        try a.learn(b.record)
        return (a, b)
    }

    /// Delivers `packets` (and everything they cause) between A and B until both are quiet; returns every event.
    static func run(
        _ packets: [Discv5Node.Outgoing], from sender: Endpoint, a: inout Discv5Node, b: inout Discv5Node, random: inout SeededRandom
    ) -> [(at: Endpoint, event: Discv5Node.Event)] {
        var queue = packets.map { (packet: $0, from: sender) }
        var events: [(at: Endpoint, event: Discv5Node.Event)] = []
        var steps = 0
        while !queue.isEmpty, steps < 100 {
            steps += 1
            let (packet, source) = queue.removeFirst()
            let result =
                packet.to == addressA
                ? a.handle(datagram: packet.bytes, from: source, now: start, random: &random)
                : b.handle(datagram: packet.bytes, from: source, now: start, random: &random)
            queue += result.send.map { (packet: $0, from: packet.to) }
            events += result.events.map { (packet.to, $0) }
        }
        return events
    }

    static func answers(_ events: [(at: Endpoint, event: Discv5Node.Event)], at endpoint: Endpoint) -> [RequestID: Discv5Node.Answer] {
        var found: [RequestID: Discv5Node.Answer] = [:]
        for (at, event) in events where at == endpoint {
            if case .answered(let id, let answer, _) = event { found[id] = answer }
        }
        return found
    }

    @Test func handshakeThenPongWithTheObservedAddress() throws {
        var random = SeededRandom(seed: 5)
        var (a, b) = try Self.pair(&random)
        let ping = try a.ping(b.localID, at: Self.addressB, now: Self.start, random: &random)
        let events = Self.run([ping.packet], from: Self.addressA, a: &a, b: &b, random: &random)
        guard case .pong(let pong) = Self.answers(events, at: Self.addressA)[ping.requestID] else {
            Issue.record("no PONG for the PING: \(events.map(\.event))")
            return
        }
        #expect(pong.recipientIP == [127, 0, 0, 1] && pong.recipientPort == 30301)
        #expect(pong.enrSeq == 5)
        // Both sides logged the same session, A as initiator.
        let sessions = events.compactMap { entry -> Discv5KeyLogEntry? in
            if case .session(let session) = entry.event { return session }
            return nil
        }
        #expect(sessions.count == 2)
        #expect(Set(sessions).count == 1)
        #expect(sessions.first?.initiatorID == a.localID.bytes && sessions.first?.recipientID == b.localID.bytes)
        // B's handshake carried A's record for the address it came from: A is in B's table, and B pinged A.
        #expect(b.table.entry(a.localID)?.value == a.record)
        #expect(Self.answers(events, at: Self.addressB).count == 1)
    }

    @Test func findNodeAtADistanceAndAtZero() throws {
        var random = SeededRandom(seed: 6)
        var (a, b) = try Self.pair(&random)
        let ping = try a.ping(b.localID, at: Self.addressB, now: Self.start, random: &random)
        _ = Self.run([ping.packet], from: Self.addressA, a: &a, b: &b, random: &random)

        let distance = UInt16(a.localID.logDistance(to: b.localID))
        let find = try a.findNode(b.localID, at: Self.addressB, distances: [distance, 300, distance], now: Self.start, random: &random)
        let found = Self.answers(Self.run([find.packet], from: Self.addressA, a: &a, b: &b, random: &random), at: Self.addressA)
        #expect(found[find.requestID] == .nodes([a.record]))

        let own = try a.requestENR(b.localID, at: Self.addressB, now: Self.start, random: &random)
        let record = Self.answers(Self.run([own.packet], from: Self.addressA, a: &a, b: &b, random: &random), at: Self.addressA)
        #expect(record[own.requestID] == .nodes([b.record]))

        // An empty distance answers with one empty NODES.
        let empty = try a.findNode(b.localID, at: Self.addressB, distances: [1], now: Self.start, random: &random)
        let none = Self.answers(Self.run([empty.packet], from: Self.addressA, a: &a, b: &b, random: &random), at: Self.addressA)
        #expect(none[empty.requestID] == .nodes([]))
    }

    @Test func talkRequestGetsAnEmptyResponse() throws {
        var random = SeededRandom(seed: 7)
        var (a, b) = try Self.pair(&random)
        let talk = try a.talk(
            b.localID, at: Self.addressB, protocolName: Array("test-protocol".utf8), request: [1, 2, 3], now: Self.start, random: &random)
        let found = Self.answers(Self.run([talk.packet], from: Self.addressA, a: &a, b: &b, random: &random), at: Self.addressA)
        #expect(found[talk.requestID] == .talk([]))
    }

    @Test func aSecondPacketBeforeTheHandshakeGetsTheSameChallenge() throws {
        var random = SeededRandom(seed: 8)
        var (a, b) = try Self.pair(&random)
        let first = try a.ping(b.localID, at: Self.addressB, now: Self.start, random: &random)
        let second = try a.ping(b.localID, at: Self.addressB, now: Self.start, random: &random)
        let challenge1 = b.handle(datagram: first.packet.bytes, from: Self.addressA, now: Self.start, random: &random).send
        let challenge2 = b.handle(datagram: second.packet.bytes, from: Self.addressA, now: Self.start, random: &random).send
        #expect(challenge1.count == 1)
        #expect(challenge1 == challenge2)
        // Answering it completes the first PING.
        let events = Self.run(challenge1, from: Self.addressB, a: &a, b: &b, random: &random)
        #expect(Self.answers(events, at: Self.addressA)[first.requestID] != nil)
    }

    @Test func responsesToNoRequestAreIgnored() throws {
        var random = SeededRandom(seed: 9)
        var (a, b) = try Self.pair(&random)
        let ping = try a.ping(b.localID, at: Self.addressB, now: Self.start, random: &random)
        _ = Self.run([ping.packet], from: Self.addressA, a: &a, b: &b, random: &random)
        // B answers a TALKREQ A never sent: sealed, but A ignores it.
        let bogus = try b.talk(a.localID, at: Self.addressA, protocolName: [], request: [], now: Self.start, random: &random)
        let result = a.handle(datagram: bogus.packet.bytes, from: Self.addressB, now: Self.start, random: &random)
        guard case .request(.talkRequest, _, _) = result.events.last else {
            Issue.record("expected A to answer the TALKREQ, got \(result.events)")
            return
        }
        let response = b.handle(datagram: result.send[0].bytes, from: Self.addressA, now: Self.start, random: &random)
        #expect(Self.answers(response.events.map { (Self.addressB, $0) }, at: Self.addressB)[bogus.requestID] == .talk([]))
        // The same TALKRESP again answers nothing.
        let again = b.handle(datagram: result.send[0].bytes, from: Self.addressA, now: Self.start, random: &random)
        guard case .ignored = again.events.last else {
            Issue.record("a repeated response was not ignored: \(again.events)")
            return
        }
        // Garbage is refused with a typed error.
        let garbage = a.handle(datagram: [UInt8](repeating: 7, count: 90), from: Self.addressB, now: Self.start, random: &random)
        guard case .refused = garbage.events.first else {
            Issue.record("garbage was not refused")
            return
        }
        #expect(garbage.send.isEmpty)
    }

    @Test func findNodeAnswersAreSplitUnder1280BytesAndCappedAt16() throws {
        var random = SeededRandom(seed: 10)
        var (a, b) = try Self.pair(&random)
        // 40 nodes complete a handshake with B from the addresses their records name: B takes them all in.
        for index in 0..<40 {
            let key = Secp256k1.PrivateKey.random(using: &random)
            let address = Endpoint(ip: IPAddress("127.0.0.1")!, port: UInt16(31_000 + index))
            var node = Discv5Node(key: key, record: try ENR.node(key: key, ip: address.ip, udp: address.port), start: Self.start)
            try node.learn(b.record)
            var queue = [(try node.ping(b.localID, at: Self.addressB, now: Self.start, random: &random).packet, address)]
            while let (packet, source) = queue.first {
                queue.removeFirst()
                let result =
                    packet.to == Self.addressB
                    ? b.handle(datagram: packet.bytes, from: source, now: Self.start, random: &random)
                    : node.handle(datagram: packet.bytes, from: source, now: Self.start, random: &random)
                queue += result.send.map { ($0, packet.to) }
            }
        }
        let distances = Set(b.table.entries.map { UInt16($0.id.logDistance(to: b.localID)) }).sorted()
        #expect(b.table.count >= 17)
        let find = try a.findNode(b.localID, at: Self.addressB, distances: distances, now: Self.start, random: &random)
        // The request needs a handshake first: run it, keeping what B sends.
        let challenge = b.handle(datagram: find.packet.bytes, from: Self.addressA, now: Self.start, random: &random).send
        let handshake = a.handle(datagram: challenge[0].bytes, from: Self.addressB, now: Self.start, random: &random).send
        let answers = b.handle(datagram: handshake[0].bytes, from: Self.addressA, now: Self.start, random: &random).send
            .filter { $0.to == Self.addressA }
        #expect(answers.count >= 2)
        #expect(answers.allSatisfy { $0.bytes.count <= 1280 })
        var records: [ENR] = []
        for answer in answers {
            for case .answered(let id, .nodes(let found), _) in a.handle(
                datagram: answer.bytes, from: Self.addressB, now: Self.start, random: &random
            ).events
            where id == find.requestID {
                records = found
            }
        }
        #expect(records.count == Discv5Node.findnodeResultLimit)
    }
}
