// SPDX-License-Identifier: Apache-2.0
import Discovery
import RLP
import RLPxCrypto
import Testing

/// The responder against a scripted peer, with go-ethereum's devp2p discv4 suite's cases in mind.
@Suite struct Discv4ResponderTests {
    static let serverKey = Secp256k1.PrivateKey.fixed(0x31)
    static let peerKey = Secp256k1.PrivateKey.fixed(0x32)
    static let server = Discv4Responder.Address(ip: IPAddress("127.0.0.1")!, port: 30303)
    static let peer = Discv4Responder.Address(ip: IPAddress("127.0.0.1")!, port: 40000)
    static let otherIP = Discv4Responder.Address(ip: IPAddress("127.0.0.2")!, port: 40000)
    static let unix: UInt64 = 1_800_000_000

    static func responder() throws -> Discv4Responder {
        let record = try ENR.signed(
            seq: 9,
            pairs: [
                .init(key: Array("ip".utf8), value: RLPWriter.encode { $0.write(bytes: [127, 0, 0, 1]) }),
                .init(key: Array("udp".utf8), value: RLPWriter.encode { $0.write(integer: UInt16(30303)) }),
            ], key: serverKey)
        return Discv4Responder(key: serverKey, record: record)
    }

    static func packet(_ message: Discv4.Message, key: Secp256k1.PrivateKey = peerKey) -> Discv4Packet {
        Discv4Packet(message: message, key: key)
    }

    static func ping(expiration: UInt64 = unix + 20, from: Discv4.Endpoint = .init(ip: [127, 0, 0, 1], udp: 40000, tcp: 0)) -> Discv4.Message {
        .ping(.init(from: from, to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), expiration: expiration))
    }

    static func messages(_ send: [Discv4Responder.Outgoing]) throws -> [Discv4.Message] {
        try send.map { try Discv4Packet(decoding: $0.bytes).message }
    }

    /// Ping the server and answer its Ping: the peer is then bonded.
    static func bond(_ server: inout Discv4Responder, from address: Discv4Responder.Address = peer, now: Duration = .seconds(1)) throws {
        let ping = packet(Self.ping())
        let (send, _) = server.receive(ping.bytes, from: address, now: now, unixTime: unix)
        #expect(send.count == 2)
        let theirPing = try Discv4Packet(decoding: send[1].bytes)
        let pong = packet(.pong(.init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: theirPing.hash, expiration: unix + 20)))
        _ = server.receive(pong.bytes, from: address, now: now, unixTime: unix)
    }

    @Test func aPingIsAnsweredAtItsSourceAndAnUnknownSenderIsPingedBack() throws {
        var server = try Self.responder()
        // Wrong "from" and "to" fields: the real source counts (Ping/WrongFrom, Ping/WrongTo).
        let ping = Self.packet(Self.ping(from: .init(ip: [1, 2, 3, 4], udp: 1, tcp: 7)))
        let (send, _) = server.receive(ping.bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix)
        let messages = try Self.messages(send)
        #expect(send.map(\.to) == [Self.peer, Self.peer])
        guard case .pong(let pong) = messages.first, case .ping = messages.last else {
            Issue.record("expected pong then ping, got \(messages)")
            return
        }
        #expect(pong.pingHash == ping.hash)
        #expect(pong.to == .init(ip: [127, 0, 0, 1], udp: 40000, tcp: 7))
        #expect(pong.enrSeq == 9)
        #expect(pong.expiration == Self.unix + 20)
        #expect(server.table.count == 0)
    }

    @Test func extraDataIsToleratedAndExpiredOrUnknownPacketsAreNotAnswered() throws {
        var server = try Self.responder()
        var extra = Discv4.Ping(
            from: .init(ip: [127, 0, 0, 1], udp: 40000, tcp: 0), to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), expiration: Self.unix + 20)
        extra.rest = [[0xc3, 1, 2, 3], [0x82, 0xff, 0xff]]
        #expect(server.receive(Self.packet(.ping(extra)).bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix).send.count == 2)
        // Ping/PastExpiration
        #expect(
            server.receive(Self.packet(Self.ping(expiration: Self.unix - 1)).bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix).send
                .isEmpty)
        // Ping/WrongPacketType: a type outside 1...6.
        let ping = Self.packet(Self.ping()).bytes
        var wrongType = Array(ping[32...])
        wrongType[65] = 0x77
        let signature = try Self.peerKey.signature(forDigest: NodeID(discv4Key: Array(wrongType[65...])).bytes)
        wrongType.replaceSubrange(0..<65, with: signature)
        let datagram = NodeID(discv4Key: wrongType).bytes + wrongType
        let result = server.receive(datagram, from: Self.peer, now: .seconds(1), unixTime: Self.unix)
        #expect(result.send.isEmpty)
        guard case .refused(let error, _) = result.event else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.code == .unknownPacketType)
    }

    @Test func findNodeNeedsAnEndpointProofFromTheSameIP() throws {
        var server = try Self.responder()
        let findNode = Self.packet(.findNode(.init(target: Self.peerKey.publicKey.nodeID, expiration: Self.unix + 20)))
        // Findnode/WithoutEndpointProof
        #expect(server.receive(findNode.bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix).send.isEmpty)
        try Self.bond(&server)
        #expect(server.isBonded(NodeID(publicKey: Self.peerKey.publicKey), ip: Self.peer.ip, now: .seconds(2)))
        #expect(server.table.count == 1)
        // Findnode/BasicFindnode: the table holds the peer itself.
        let answer = server.receive(findNode.bytes, from: Self.peer, now: .seconds(2), unixTime: Self.unix)
        guard case .neighbors(let neighbors) = try Self.messages(answer.send).first else {
            Issue.record("expected neighbors")
            return
        }
        #expect(neighbors.nodes.map(\.key) == [Self.peerKey.publicKey.nodeID])
        // Amplification/WrongIP: the proof holds for 127.0.0.1 only.
        #expect(server.receive(findNode.bytes, from: Self.otherIP, now: .seconds(2), unixTime: Self.unix).send.isEmpty)
        // Findnode/PastExpiration
        let expired = Self.packet(.findNode(.init(target: Self.peerKey.publicKey.nodeID, expiration: Self.unix - 5)))
        #expect(server.receive(expired.bytes, from: Self.peer, now: .seconds(2), unixTime: Self.unix).send.isEmpty)
        // The proof expires after 24 hours.
        #expect(server.receive(findNode.bytes, from: Self.peer, now: .seconds(2 + 24 * 3600), unixTime: Self.unix).send.isEmpty)
    }

    @Test func aPongWithTheWrongHashIsNoEndpointProof() throws {
        var server = try Self.responder()
        let (send, _) = server.receive(Self.packet(Self.ping()).bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix)
        #expect(send.count == 2)
        // Amplification/InvalidPongHash
        let pong = Self.packet(
            .pong(
                .init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: [UInt8](repeating: 0xab, count: 32), expiration: Self.unix + 20)))
        let result = server.receive(pong.bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix)
        guard case .ignored(_, _, _, let reason) = result.event else {
            Issue.record("expected the pong to be ignored")
            return
        }
        #expect(reason == "unsolicited pong")
        let findNode = Self.packet(.findNode(.init(target: Self.peerKey.publicKey.nodeID, expiration: Self.unix + 20)))
        #expect(server.receive(findNode.bytes, from: Self.peer, now: .seconds(2), unixTime: Self.unix).send.isEmpty)
    }

    @Test func enrRequestIsAnsweredWithTheRecordAfterBonding() throws {
        var server = try Self.responder()
        let request = Self.packet(.enrRequest(.init(expiration: Self.unix + 20)))
        #expect(server.receive(request.bytes, from: Self.peer, now: .seconds(1), unixTime: Self.unix).send.isEmpty)
        try Self.bond(&server)
        let answer = server.receive(request.bytes, from: Self.peer, now: .seconds(2), unixTime: Self.unix)
        guard case .enrResponse(let response) = try Self.messages(answer.send).first else {
            Issue.record("expected an ENRResponse")
            return
        }
        #expect(response.requestHash == request.hash)
        #expect(response.record == server.record)
        try response.record.verify()
    }

    @Test func unsolicitedNeighborsAddNothing() throws {
        var server = try Self.responder()
        try Self.bond(&server)
        let stranger = Discv4.Node(endpoint: .init(ip: [127, 0, 0, 9], udp: 1, tcp: 1), key: Secp256k1.PrivateKey.fixed(0x40).publicKey.nodeID)
        let neighbors = Self.packet(.neighbors(.init(nodes: [stranger], expiration: Self.unix + 20)))
        let result = server.receive(neighbors.bytes, from: Self.peer, now: .seconds(2), unixTime: Self.unix)
        #expect(result.send.isEmpty)
        #expect(server.table.count == 1)
    }

    @Test func neighborsAreSplitAndAnUnansweredLivenessCheckEvicts() throws {
        var server = try Self.responder()
        var now = Duration.seconds(1)
        // Bond 20 peers (from their own ports): 20 table entries, spread over buckets.
        for index in 0..<20 {
            let key = Secp256k1.PrivateKey.fixed(UInt8(0x50 + index))
            let address = Discv4Responder.Address(ip: Self.peer.ip, port: UInt16(41000 + index))
            let ping = Self.packet(Self.ping(), key: key)
            let (send, _) = server.receive(ping.bytes, from: address, now: now, unixTime: Self.unix)
            let theirPing = try Discv4Packet(decoding: send[1].bytes)
            let pong = Self.packet(
                .pong(.init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: theirPing.hash, expiration: Self.unix + 20)), key: key)
            _ = server.receive(pong.bytes, from: address, now: now, unixTime: Self.unix)
            now += .seconds(1)
        }
        #expect(server.table.count == 20)
        let findNode = Self.packet(.findNode(.init(target: Self.peerKey.publicKey.nodeID, expiration: Self.unix + 20)), key: .fixed(0x50))
        let answer = server.receive(findNode.bytes, from: .init(ip: Self.peer.ip, port: 41000), now: now, unixTime: Self.unix)
        let counts = try Self.messages(answer.send).map { message -> Int in
            if case .neighbors(let neighbors) = message { return neighbors.nodes.count }
            return -1
        }
        #expect(counts == [12, 4])
        #expect(answer.send.allSatisfy { $0.bytes.count <= Discv4.maximumPacketSize })
        // Nothing pending times out into an eviction when no liveness check was asked.
        #expect(server.expire(now: now + .seconds(5)).isEmpty)
        #expect(server.table.count == 20)
    }
}

@Suite struct Discv4ResponderLivenessTests {
    /// Bonds `key` from `address` and returns what the server sent in answer to its Pong.
    static func bond(_ server: inout Discv4Responder, key: Secp256k1.PrivateKey, address: Discv4Responder.Address, now: Duration) throws
        -> [Discv4Responder.Outgoing]
    {
        let unix = Discv4ResponderTests.unix
        let ping = Discv4Packet(message: Discv4ResponderTests.ping(), key: key)
        let (send, _) = server.receive(ping.bytes, from: address, now: now, unixTime: unix)
        let theirs = try Discv4Packet(decoding: send[1].bytes)
        let pong = Discv4Packet(
            message: .pong(.init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: theirs.hash, expiration: unix + 20)), key: key)
        return server.receive(pong.bytes, from: address, now: now, unixTime: unix).send
    }

    @Test func aFullBucketPingsItsOldestAndEvictsItOnlyWithoutAPong() throws {
        var server = try Discv4ResponderTests.responder()
        // Keys whose IDs share no leading bit with the server's: all in the bucket at distance 256.
        let far = (1...120).map { Secp256k1.PrivateKey.fixed(UInt8($0)) }.filter {
            server.localID.logDistance(to: NodeID(publicKey: $0.publicKey)) == 256
        }
        try #require(far.count >= 18)
        var now = Duration.seconds(1)
        for (index, key) in far.prefix(16).enumerated() {
            let address = Discv4Responder.Address(ip: IPAddress("127.0.0.1")!, port: UInt16(42000 + index))
            #expect(try Self.bond(&server, key: key, address: address, now: now).isEmpty)
            now += .seconds(1)
        }
        #expect(server.table.entries(atDistance: 256).count == 16)
        // The 17th: the server pings the oldest (the first bonded) rather than evicting it.
        let oldest = NodeID(publicKey: far[0].publicKey)
        var check = try Self.bond(&server, key: far[16], address: .init(ip: IPAddress("127.0.0.1")!, port: 42100), now: now)
        #expect(check.map(\.to.port) == [42000])
        guard case .ping = try Discv4Packet(decoding: try #require(check.first).bytes).message else {
            Issue.record("expected a liveness ping")
            return
        }
        // It answers: it stays, and the newcomer waits.
        let unix = Discv4ResponderTests.unix
        let pong = Discv4Packet(
            message: .pong(.init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: check[0].hash, expiration: unix + 20)), key: far[0])
        _ = server.receive(pong.bytes, from: .init(ip: IPAddress("127.0.0.1")!, port: 42000), now: now, unixTime: unix)
        #expect(server.expire(now: now + .seconds(5)).isEmpty)
        #expect(server.table.entry(oldest) != nil)
        #expect(server.table.entry(NodeID(publicKey: far[16].publicKey)) == nil)
        // The 18th: now the second bonded is the oldest; it stays silent and is evicted, the newest waiting node
        // takes its place.
        now += .seconds(10)
        check = try Self.bond(&server, key: far[17], address: .init(ip: IPAddress("127.0.0.1")!, port: 42101), now: now)
        #expect(check.map(\.to.port) == [42001])
        #expect(server.expire(now: now + .milliseconds(500)).isEmpty)
        #expect(server.expire(now: now + .seconds(2)) == [NodeID(publicKey: far[1].publicKey)])
        #expect(server.table.entry(NodeID(publicKey: far[1].publicKey)) == nil)
        #expect(server.table.entry(NodeID(publicKey: far[17].publicKey)) != nil)
        #expect(server.table.entries(atDistance: 256).count == 16)
    }

    /// Revalidation pings the stalest entry once per interval: a Pong keeps it, silence removes it.
    @Test func revalidationPingsTheStalestEntryAndDropsItWithoutAPong() throws {
        var server = try Discv4ResponderTests.responder()
        let key = Secp256k1.PrivateKey.fixed(0x40)
        let address = Discv4Responder.Address(ip: IPAddress("127.0.0.1")!, port: 42000)
        let id = NodeID(publicKey: key.publicKey)
        _ = try Self.bond(&server, key: key, address: address, now: .seconds(1))
        #expect(server.table.entry(id) != nil)
        let unix = Discv4ResponderTests.unix
        // Heard from a second ago: nothing to check; the next check is an interval away.
        #expect(server.revalidate(now: .seconds(2), unixTime: unix).isEmpty)
        #expect(server.revalidate(now: .seconds(11), unixTime: unix).isEmpty)
        var check = server.revalidate(now: .seconds(12), unixTime: unix)
        #expect(check.map(\.to) == [address])
        let pong = Discv4Packet(
            message: .pong(
                .init(to: .init(ip: [127, 0, 0, 1], udp: 30303, tcp: 0), pingHash: try #require(check.first).hash, expiration: unix + 20)),
            key: key)
        _ = server.receive(pong.bytes, from: address, now: .seconds(12), unixTime: unix)
        #expect(server.expire(now: .seconds(20)).isEmpty)
        #expect(server.table.entry(id)?.lastSeen == .seconds(12))
        // The next check goes unanswered: the node is dropped.
        check = server.revalidate(now: .seconds(22), unixTime: unix)
        #expect(check.map(\.to) == [address])
        #expect(server.expire(now: .seconds(22) + server.pingTimeout) == [id])
        #expect(server.table.count == 0)
    }

    /// The responder holds nodes to the subnet limits when they are not exempt.
    @Test func bondedNodesOverTheSubnetLimitStayOutOfTheTable() throws {
        var server = try Discv4ResponderTests.responder()
        server.ipLimits?.exemptsLAN = false
        server.ipLimits?.perTable = 2
        for (index, byte) in [0x41, 0x42, 0x43].enumerated() {
            _ = try Self.bond(
                &server, key: .fixed(UInt8(byte)), address: .init(ip: IPAddress("127.0.0.1")!, port: UInt16(42000 + index)), now: .seconds(1))
        }
        #expect(server.table.count == 2)
        #expect(server.table.entry(NodeID(publicKey: Secp256k1.PrivateKey.fixed(0x43).publicKey)) == nil)
    }
}
