// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import Foundation
import RLP
import RLPxCapture
import RLPxConformance
import RLPxCrypto
import RLPxTestSupport
import Testing

/// Discovery traffic in captures: UDP datagrams read on every link type, discv4 exchanges checked by the discv4
/// rules (a clean one has no finding, each fault exactly its rule), and discv5 sessions read with a key log.
@Suite struct DiscoveryCaptureTests {
    static let start = 1_800_000_000.0
    static let a: ([UInt8], UInt16) = ([127, 0, 0, 1], 30301)
    static let b: ([UInt8], UInt16) = ([127, 0, 0, 1], 30302)
    static let c: ([UInt8], UInt16) = ([127, 0, 0, 1], 30303)

    /// One datagram of a capture: when, from and to whom, the bytes.
    struct Datagram {
        var time: Double
        var source: ([UInt8], UInt16)
        var destination: ([UInt8], UInt16)
        var bytes: [UInt8]
    }

    static func pcap(_ datagrams: [Datagram], link: PcapWriter.Link = .ethernet, ipv6: Bool = false) -> [UInt8] {
        var writer = PcapWriter(link: link)
        func address(_ end: ([UInt8], UInt16)) -> ([UInt8], UInt16) {
            ipv6 ? ([UInt8](repeating: 0, count: 15) + [end.0[3]], end.1) : end
        }
        for datagram in datagrams {
            writer.datagram(
                time: datagram.time, source: address(datagram.source), destination: address(datagram.destination), payload: datagram.bytes)
        }
        return writer.bytes
    }

    /// The discovery findings that are faults.
    static func discoveryFindings(_ report: ConformanceReport) -> [Finding] {
        report.findings.filter { $0.severity != .informational && ["discv4", "discv5"].contains(RuleRegistry.descriptor($0.ruleID)?.family) }
    }

    // MARK: discv4

    /// Two discv4 nodes and what they send.
    struct Discv4Pair {
        var random = SeededRandom(seed: 4)
        let keyA: Secp256k1.PrivateKey
        let keyB: Secp256k1.PrivateKey
        let keyC: Secp256k1.PrivateKey
        let expiration = UInt64(DiscoveryCaptureTests.start) + 20

        init() {
            keyA = .random(using: &random)
            keyB = .random(using: &random)
            keyC = .random(using: &random)
        }

        func endpoint(_ end: ([UInt8], UInt16)) -> Discv4.Endpoint { Discv4.Endpoint(ip: end.0, udp: end.1, tcp: end.1) }

        /// Ping and Pong both ways, FindNode and Neighbors, ENRRequest and ENRResponse: every rule holds.
        func clean() throws -> [Datagram] {
            var out: [Datagram] = []
            var time = DiscoveryCaptureTests.start
            func add(_ message: Discv4.Message, _ key: Secp256k1.PrivateKey, _ from: ([UInt8], UInt16), _ to: ([UInt8], UInt16)) -> Discv4Packet {
                let packet = Discv4Packet(message: message, key: key)
                time += 0.01
                out.append(Datagram(time: time, source: from, destination: to, bytes: packet.bytes))
                return packet
            }
            let (a, b) = (DiscoveryCaptureTests.a, DiscoveryCaptureTests.b)
            let ping = add(.ping(.init(from: endpoint(a), to: endpoint(b), expiration: expiration, enrSeq: 1)), keyA, a, b)
            _ = add(.pong(.init(to: endpoint(a), pingHash: ping.hash, expiration: expiration, enrSeq: 1)), keyB, b, a)
            let back = add(.ping(.init(from: endpoint(b), to: endpoint(a), expiration: expiration, enrSeq: 1)), keyB, b, a)
            _ = add(.pong(.init(to: endpoint(b), pingHash: back.hash, expiration: expiration, enrSeq: 1)), keyA, a, b)
            _ = add(.findNode(.init(target: keyA.publicKey.nodeID, expiration: expiration)), keyA, a, b)
            _ = add(
                .neighbors(.init(nodes: [.init(endpoint: endpoint(DiscoveryCaptureTests.c), key: keyC.publicKey.nodeID)], expiration: expiration)),
                keyB, b, a)
            let request = add(.enrRequest(.init(expiration: expiration)), keyA, a, b)
            let record = try ENR.signed(seq: 1, pairs: [], key: keyB)
            _ = add(.enrResponse(.init(requestHash: request.hash, record: record)), keyB, b, a)
            return out
        }

        /// The one datagram that breaks `rule`, sent after the clean exchange.
        func fault(_ rule: String) throws -> Datagram {
            let (a, b, c) = (DiscoveryCaptureTests.a, DiscoveryCaptureTests.b, DiscoveryCaptureTests.c)
            let time = DiscoveryCaptureTests.start + 1
            let node = Discv4.Node(endpoint: endpoint(c), key: keyC.publicKey.nodeID)
            switch rule {
            case "discv4/packet":
                var bytes = Discv4Packet(message: .enrRequest(.init(expiration: expiration)), key: keyA).bytes
                bytes[0] ^= 0xff
                return Datagram(time: time, source: a, destination: b, bytes: bytes)
            case "discv4/expiration":
                let ping = Discv4.Ping(from: endpoint(a), to: endpoint(b), expiration: UInt64(DiscoveryCaptureTests.start) - 60)
                return Datagram(time: time, source: a, destination: b, bytes: Discv4Packet(message: .ping(ping), key: keyA).bytes)
            case "discv4/neighbors":
                let neighbors = Discv4.Neighbors(nodes: [node], expiration: expiration)
                return Datagram(time: time, source: a, destination: b, bytes: Discv4Packet(message: .neighbors(neighbors), key: keyA).bytes)
            case "discv4/size":
                let neighbors = Discv4.Neighbors(nodes: Array(repeating: node, count: 13), expiration: expiration)
                return Datagram(time: time, source: b, destination: a, bytes: Discv4Packet(message: .neighbors(neighbors), key: keyB).bytes)
            case "discv4/pong":
                let pong = Discv4.Pong(to: endpoint(a), pingHash: [UInt8](repeating: 7, count: 32), expiration: expiration)
                return Datagram(time: time, source: b, destination: a, bytes: Discv4Packet(message: .pong(pong), key: keyB).bytes)
            case "discv4/findnode-bond":
                // A's endpoint proof to B (in the clean exchange) is a day old.
                let late = DiscoveryCaptureTests.start + 86_400 + 60
                let findNode = Discv4.FindNode(target: keyA.publicKey.nodeID, expiration: UInt64(late) + 20)
                return Datagram(time: late, source: a, destination: b, bytes: Discv4Packet(message: .findNode(findNode), key: keyA).bytes)
            default:
                let response = Discv4.ENRResponse(requestHash: [UInt8](repeating: 9, count: 32), record: try ENR.signed(seq: 2, pairs: [], key: keyB))
                return Datagram(time: time, source: b, destination: a, bytes: Discv4Packet(message: .enrResponse(response), key: keyB).bytes)
            }
        }
    }

    @Test(arguments: [(PcapWriter.Link.ethernet, false), (.null, false), (.raw, true), (.linuxSLL, false), (.linuxSLL2, true), (.ethernet, true)])
    func datagramsAreReadOnEveryLink(link: PcapWriter.Link, ipv6: Bool) throws {
        let datagrams = try Discv4Pair().clean()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("discv4-\(UInt64.random(in: 0...UInt64.max)).pcap")
        try Data(Self.pcap(datagrams, link: link, ipv6: ipv6)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var read: [UDPDatagram] = []
        try CaptureReader.forEachPacket(path: url.path) { packet in
            #expect(PacketDissector.tcpSegment(packet) == nil)
            if let datagram = PacketDissector.udpDatagram(packet) { read.append(datagram) }
        }
        #expect(read.map(\.payload) == datagrams.map(\.bytes))
        #expect(read.map(\.source.port) == datagrams.map(\.source.1))
        #expect(read.map(\.destination.port) == datagrams.map(\.destination.1))
        #expect(read.allSatisfy { $0.source.address.count == (ipv6 ? 16 : 4) })
        let report = try replay(Self.pcap(datagrams, link: link, ipv6: ipv6), keyLog: nil, rules: RuleRegistry.all)
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func aTruncatedUDPHeaderIsSkipped() throws {
        var writer = PcapWriter(link: .raw)
        writer.datagram(time: 1, source: Self.a, destination: Self.b, payload: [1, 2, 3])
        var bytes = writer.bytes
        // Claim a UDP length under its own header.
        bytes[bytes.count - 3 - 4] = 0
        bytes[bytes.count - 3 - 3] = 4
        var read = 0
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("udp-\(UInt64.random(in: 0...UInt64.max)).pcap")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        try CaptureReader.forEachPacket(path: url.path) { packet in if PacketDissector.dissect(packet) != nil { read += 1 } }
        #expect(read == 0)
    }

    static let discv4Faults = [
        "discv4/packet", "discv4/expiration", "discv4/neighbors", "discv4/size", "discv4/pong", "discv4/findnode-bond",
        "discv4/enr-response",
    ]

    @Test(arguments: discv4Faults) func eachDiscv4FaultGivesExactlyItsRule(rule: String) throws {
        let pair = Discv4Pair()
        let report = try replay(Self.pcap(try pair.clean() + [try pair.fault(rule)]), keyLog: nil, rules: RuleRegistry.all)
        let found = Self.discoveryFindings(report)
        #expect(found.map(\.ruleID) == [rule], "\(report.findings)")
        #expect(found.first?.connection == 0)
        #expect(found.first?.detail.contains("127.0.0.1:") == true)
    }

    /// A FindNode from a node whose endpoint proof the capture did not see is a note, not a breach: the proof may
    /// predate the capture.
    @Test func aFindNodeWithoutAProofInTheCaptureIsANote() throws {
        let pair = Discv4Pair()
        let (b, c) = (DiscoveryCaptureTests.b, DiscoveryCaptureTests.c)
        let findNode = Discv4.FindNode(target: pair.keyA.publicKey.nodeID, expiration: pair.expiration)
        let unproven = Datagram(
            time: Self.start + 1, source: c, destination: b, bytes: Discv4Packet(message: .findNode(findNode), key: pair.keyC).bytes)
        let report = try replay(Self.pcap(try pair.clean() + [unproven]), keyLog: nil, rules: RuleRegistry.all)
        #expect(Self.discoveryFindings(report).isEmpty, "\(report.findings)")
        let notes = report.findings.filter { $0.ruleID == "discv4/findnode-bond" }
        #expect(notes.count == 1 && notes.first?.severity == .informational && notes.first?.detail.contains("may predate") == true)
    }

    @Test func theDiscv4RulesAreListed() {
        let ids = Set(RuleRegistry.all.map { $0.descriptor.id })
        #expect(Set(Self.discv4Faults).isSubset(of: ids))
        #expect((try? RuleRegistry.select("discv4/"))?.count == Self.discv4Faults.count)
    }
}

// MARK: discv5

extension DiscoveryCaptureTests {
    /// Two discv5 nodes (pure ``SessionState``s) at endpoints a and b, and the datagrams between them.
    struct Discv5Pair {
        var random = SeededRandom(seed: 5)
        var nodeA: SessionState<String>
        var nodeB: SessionState<String>
        let recordB: ENR
        var datagrams: [Datagram] = []
        var time = DiscoveryCaptureTests.start

        init() throws {
            let keyA = Secp256k1.PrivateKey.random(using: &random)
            let keyB = Secp256k1.PrivateKey.random(using: &random)
            let recordA = try ENR.signed(seq: 1, pairs: [], key: keyA)
            recordB = try ENR.signed(seq: 1, pairs: [], key: keyB)
            nodeA = SessionState(staticKey: keyA, localRecord: recordA)
            nodeB = SessionState(staticKey: keyB, localRecord: recordB)
            try nodeA.learn(recordB)
        }

        var peerB: SessionState<String>.Peer { .init(nodeID: nodeB.localID, endpoint: "b") }
        var peerA: SessionState<String>.Peer { .init(nodeID: nodeA.localID, endpoint: "a") }

        mutating func record(_ bytes: [UInt8], fromA: Bool) {
            time += 0.01
            let (a, b) = (DiscoveryCaptureTests.a, DiscoveryCaptureTests.b)
            datagrams.append(Datagram(time: time, source: fromA ? a : b, destination: fromA ? b : a, bytes: bytes))
        }

        /// A sends `message` to B; B answers with what `answer` makes of it (the handshake runs first when needed).
        mutating func exchange(_ message: Message, answer: (Message) -> Message?) throws {
            var packet = try nodeA.send(message, to: peerB, now: .now, random: &random)
            record(packet, fromA: true)
            while true {
                guard let output = try nodeB.receive(packet, from: "a", now: .now, random: &random) else { return }
                switch output {
                case .send(let challenge):
                    record(challenge, fromA: false)
                    guard case .send(let handshake)? = try nodeA.receive(challenge, from: "b", now: .now, random: &random) else { return }
                    record(handshake, fromA: true)
                    packet = handshake
                case .message(_, let received):
                    guard let reply = answer(received) else { return }
                    let bytes = try nodeB.send(reply, to: peerA, now: .now, random: &random)
                    record(bytes, fromA: false)
                    _ = try nodeA.receive(bytes, from: "b", now: .now, random: &random)
                    return
                }
            }
        }

        /// The key log line of A's session with B (A answered the challenge: it is the initiator).
        var keyLog: String {
            guard let session = nodeA.sessions[peerB] else { return "" }
            return Discv5KeyLogEntry(
                initiatorID: nodeA.localID, recipientID: nodeB.localID,
                keys: SessionKeys(initiatorKey: session.writeKey, recipientKey: session.readKey)
            ).line + "\n"
        }

        /// Handshake with PING/PONG, then FINDNODE/NODES.
        static func clean() throws -> Discv5Pair {
            var pair = try Discv5Pair()
            let record = pair.recordB.encoded
            try pair.exchange(.ping(Ping(requestID: RequestID(1), enrSeq: 1))) { request in
                .pong(Pong(requestID: request.requestID, enrSeq: 1, recipientIP: [127, 0, 0, 1], recipientPort: 30301))
            }
            try pair.exchange(.findNode(FindNode(requestID: RequestID(2), distances: [0]))) { request in
                .nodes(Nodes(requestID: request.requestID, total: 1, records: [record]))
            }
            return pair
        }
    }

    @Test func aDiscv5SessionIsReadWithItsKeyLog() throws {
        let pair = try Discv5Pair.clean()
        #expect(pair.datagrams.count == 6)
        #expect(!pair.keyLog.isEmpty)
        let report = try replay(Self.pcap(pair.datagrams), keyLog: pair.keyLog, rules: RuleRegistry.all)
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func withoutKeysDiscv5IsANoteNotAFault() throws {
        let pair = try Discv5Pair.clean()
        let report = try replay(Self.pcap(pair.datagrams), keyLog: nil, rules: RuleRegistry.all)
        #expect(Self.discoveryFindings(report).isEmpty)
        #expect(report.findings.map(\.ruleID) == ["discv5/keys"])
        #expect(report.findings.first?.severity == .informational)
        #expect(report.findings.first?.detail.hasPrefix("6 UDP datagrams") == true)
    }

    @Test func anUnsolicitedPongAndABadRecordGiveTheirRules() throws {
        var pair = try Discv5Pair.clean()
        let pong = try pair.nodeB.send(
            .pong(Pong(requestID: RequestID(77), enrSeq: 1, recipientIP: [127, 0, 0, 1], recipientPort: 30301)), to: pair.peerA, now: .now,
            random: &pair.random)
        pair.record(pong, fromA: false)
        var record = pair.recordB.encoded
        record[record.count - 1] ^= 1
        try pair.exchange(.findNode(FindNode(requestID: RequestID(3), distances: [0]))) { request in
            .nodes(Nodes(requestID: request.requestID, total: 1, records: [record]))
        }
        let report = try replay(Self.pcap(pair.datagrams), keyLog: pair.keyLog, rules: RuleRegistry.all)
        #expect(Self.discoveryFindings(report).map(\.ruleID).sorted() == ["discv5/nodes", "discv5/response"], "\(report.findings)")
    }
}

// MARK: the committed discv4 capture

extension DiscoveryCaptureTests {
    static let committed = Vectors.projectRoot.appendingPathComponent("Vectors/captures/discv4-ping-resolve/capture.pcap")

    /// `discv4 ping` and `resolve` against `discv4 listen` (Tools/record-captures.sh): every datagram is a valid
    /// discv4 packet, and every rule holds.
    @Test func theRecordedDiscv4CaptureIsClean() throws {
        var reader = DiscoveryReplay()
        var names: [String] = []
        try CaptureReader.forEachPacket(path: Self.committed.path) { packet in
            guard let datagram = PacketDissector.udpDatagram(packet), let event = reader.read(datagram) else { return }
            if case .discv4(let packet) = event.kind { names.append(packet.message.name) }
        }
        #expect(reader.discv4Count == names.count)
        #expect(names.filter { $0 == "PING/v4" }.count >= 2 && names.contains("ENRRESPONSE/v4"), "\(names)")
        let expected = try #require(try Vectors.project("captures/discv4-ping-resolve/expected-findings.json") as? [String: Any])
        #expect((expected["findings"] as? [Any])?.isEmpty == true)
        let report = try ConformanceReport.run(capture: Self.committed.path, keyLogText: nil, rules: RuleRegistry.all)
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    /// The same capture with one hash byte flipped: the rules see real traffic.
    @Test func aFlippedHashInTheRecordedCaptureIsFound() throws {
        var datagrams: [Datagram] = []
        try CaptureReader.forEachPacket(path: Self.committed.path) { packet in
            guard let datagram = PacketDissector.udpDatagram(packet) else { return }
            datagrams.append(
                Datagram(
                    time: datagram.time, source: (datagram.source.address, datagram.source.port),
                    destination: (datagram.destination.address, datagram.destination.port), bytes: datagram.payload))
        }
        let last = datagrams.count - 1
        datagrams[last].bytes[5] ^= 0x10
        let report = try replay(Self.pcap(datagrams), keyLog: nil, rules: RuleRegistry.all)
        #expect(Self.discoveryFindings(report).map(\.ruleID) == ["discv4/packet"], "\(report.findings)")
    }
}

// MARK: discv5 header and message faults

extension DiscoveryCaptureTests {
    /// A packet from A to B after the clean session: an ordinary header whose flag is 3 (the mask is a stream
    /// cipher, so flipping masked bits flips the same header bits), or a sealed message of type 9.
    static func discv5Fault(_ rule: String) throws -> (Discv5Pair, [UInt8]) {
        var pair = try Discv5Pair.clean()
        let session = try #require(pair.nodeA.sessions[pair.peerB])
        var packet = Packet(
            maskingIV: [UInt8](repeating: 1, count: 16), nonce: [UInt8](repeating: 2, count: 12), authData: .ordinary(sourceID: pair.nodeA.localID))
        packet.message = try AESGCM.seal([9, 0xc1, 0x01], key: session.writeKey, nonce: packet.nonce, associatedData: packet.associatedData())
        var bytes = try packet.encoded(destinationID: pair.nodeB.localID)
        if rule == "discv5/header" { bytes[Packet.maskingIVSize + 8] ^= 3 }
        pair.record(bytes, fromA: true)
        return (pair, bytes)
    }

    @Test(arguments: ["discv5/header", "discv5/message"]) func eachDiscv5FaultGivesExactlyItsRule(rule: String) throws {
        let (pair, _) = try Self.discv5Fault(rule)
        let report = try replay(Self.pcap(pair.datagrams), keyLog: pair.keyLog, rules: RuleRegistry.all)
        #expect(Self.discoveryFindings(report).map(\.ruleID) == [rule], "\(report.findings)")
    }

    /// Every discovery rule is broken by one of the scenarios above.
    @Test func everyDiscoveryRuleHasAScenario() {
        let covered = Set(Self.discv4Faults + ["discv5/header", "discv5/message", "discv5/response", "discv5/nodes", "discv5/keys"])
        let rules = Set(RuleRegistry.all.map { $0.descriptor.id }.filter { $0.hasPrefix("discv4/") || $0.hasPrefix("discv5/") })
        #expect(covered == rules)
    }
}

extension DiscoveryCaptureTests {
    /// A discv5 packet over 1280 bytes is still known by its header, and breaks the header rule.
    @Test func anOversizedDiscv5PacketIsAHeaderBreach() throws {
        var pair = try Discv5Pair.clean()
        let session = try #require(pair.nodeA.sessions[pair.peerB])
        let packet = try Packet.sealing(
            .talkRequest(TalkRequest(requestID: RequestID(8), protocolName: Array("t".utf8), request: [UInt8](repeating: 1, count: 1300))),
            maskingIV: [UInt8](repeating: 1, count: 16), nonce: [UInt8](repeating: 2, count: 12), authData: .ordinary(sourceID: pair.nodeA.localID),
            key: session.writeKey)
        // `encoded` refuses past 1280 bytes: mask the header of a short copy, then append the rest of the message.
        var short = packet
        short.message = Array(packet.message.prefix(16))
        let bytes = try short.encoded(destinationID: pair.nodeB.localID) + packet.message.dropFirst(16)
        #expect(bytes.count > Packet.maximumSize)
        pair.record(bytes, fromA: true)
        let report = try replay(Self.pcap(pair.datagrams), keyLog: pair.keyLog, rules: RuleRegistry.all)
        let found = Self.discoveryFindings(report)
        #expect(found.map(\.ruleID) == ["discv5/header"], "\(report.findings)")
        #expect(found.first?.detail.contains("packetTooLarge") == true)
    }
}
