// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLP
import RLPxCapture
import RLPxConformance
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing
import RLPxScenarioSupport
import RLPxTestSupport
import Testing

func replay(_ pcap: [UInt8], keyLog: String?, rules: [any ConnectionRule.Type] = baseRules) throws -> ConformanceReport {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlpx-\(UInt64.random(in: 0...UInt64.max)).pcap")
    try Data(pcap).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    return try ConformanceReport.run(capture: url.path, keyLogText: keyLog, rules: rules)
}

/// The rules of the RLPx layers: the synthetic sessions here carry eth and snap codes with payloads that are not
/// those protocols' messages, which the eth, snap and exchange rules (tested in EthRuleTests) would rightly flag.
/// The discovery rules read UDP (tested in DiscoveryCaptureTests).
let baseRules = RuleRegistry.all.filter { !["eth", "snap", "exchange", "discv4", "discv5"].contains($0.descriptor.family) }

/// The rules with breaches or non-strict findings (informational ones are observations, not faults).
func ruleIDs(_ report: ConformanceReport) -> Set<String> {
    Set(report.findings.filter { $0.severity != .informational }.map(\.ruleID))
}

@Suite struct ConformanceTests {
    @Test(arguments: [(PcapWriter.Link.ethernet, false), (.null, false), (.raw, true), (.linuxSLL, false), (.linuxSLL2, true), (.ethernet, true)])
    func cleanSessionHasNoFindings(link: PcapWriter.Link, ipv6: Bool) throws {
        let scenario = try cleanScenario()
        let report = try replay(scenario.pcap(link: link, ipv6: ipv6), keyLog: scenario.keyLog())
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.connections.first?.status == .decrypted)
        #expect(report.connections.first?.authFormat == .eip8)
        let messages = report.transcript.map { "\($0.direction) \($0.protocolName) \($0.message)" }
        #expect(messages.filter { $0.hasSuffix("Hello") }.count == 2)
        // eth code 1 and snap code 0 by name; their payloads are not those messages' layouts.
        #expect(messages.contains("initiator→recipient eth/68 NewBlockHashes"))
        #expect(messages.contains("initiator→recipient snap/1 GetAccountRange"))
        #expect(report.transcript.contains { $0.message == "GetAccountRange" && $0.summary.hasPrefix("malformed: ") })
        #expect(messages.contains("initiator→recipient p2p Ping") && messages.contains("recipient→initiator p2p Pong"))
        #expect(messages.last == "recipient→initiator p2p Disconnect")
        #expect(report.transcript.count == 2 + 12 + 2 + 1)
        #expect(report.transcript.first?.summary == "scenario-b v5 caps eth/68,snap/1")
    }

    @Test func pcapngReadsTheSame() throws {
        let scenario = try cleanScenario()
        let pcap = scenario.pcap()
        let ngBytes = PcapWriter.pcapng(from: pcap)
        let classic = try replay(pcap, keyLog: scenario.keyLog())
        let next = try replay(ngBytes, keyLog: scenario.keyLog())
        #expect(next.findings == classic.findings && next.transcript.map(\.message) == classic.transcript.map(\.message))
        #expect(next.connections.first?.status == .decrypted)
    }

    @Test func connectionsThatStartedBeforeTheCaptureAreSkippedWithANote() throws {
        let scenario = try cleanScenario()
        var writer = PcapWriter()
        writer.segment(time: 1, source: ([10, 0, 0, 1], 5000), destination: ([10, 0, 0, 2], 30303), sequence: 77, payload: [1, 2, 3])
        let report = try replay(writer.bytes, keyLog: scenario.keyLog())
        #expect(report.connections.first?.status == .startedBeforeCapture)
        #expect(report.findings.isEmpty)
    }

    @Test func legacyHandshakeIsRecognised() throws {
        let scenario = try cleanScenario(format: .legacy)
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        #expect(report.findings.isEmpty)
        #expect(report.connections.first?.authFormat == .legacy && report.connections.first?.authSize == 307)
        #expect(report.connections.first?.status == .decrypted)
    }

    @Test func shuffledAndDuplicatedSegmentsReplayTheSame() throws {
        let scenario = try cleanScenario()
        let inOrder = try replay(scenario.pcap(segmentSize: 500), keyLog: scenario.keyLog())
        let shuffled = try replay(scenario.pcap(segmentSize: 500, reorder: true), keyLog: scenario.keyLog())
        #expect(shuffled.findings == inOrder.findings)
        #expect(shuffled.transcript.map(\.message) == inOrder.transcript.map(\.message))
        #expect(shuffled.transcript.map(\.size) == inOrder.transcript.map(\.size))
    }

    @Test func withoutKeyLogWhatIsVisibleIsReported() throws {
        let scenario = try cleanScenario()
        let report = try replay(scenario.pcap(), keyLog: nil)
        let connection = try #require(report.connections.first)
        #expect(connection.status == .undecrypted)
        #expect(connection.authFormat == .eip8 && connection.bytesFromInitiator > 0 && connection.bytesFromRecipient > 0)
        #expect(report.transcript.isEmpty && report.findings.isEmpty)
    }

    @Test func renderersAgree() throws {
        let scenario = try cleanScenario()
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        let tap = report.rendered(.tap, transcript: false)
        #expect(tap.hasPrefix("TAP version 13\n1..\(baseRules.count)\nok 1 - handshake/size"))
        #expect(!tap.contains("not ok"))
        #expect(report.rendered(.text, transcript: true).contains("0 breaches, 0 non-strict, 0 informational"))
        // Formats without a transcript say so, and the same report comes out with or without entries.
        for format in ReportWriter.Format.allCases {
            let writer = ReportWriter(format: format, rules: report.rules, transcript: true) { _ in }
            #expect(writer.printsTranscript == [.text, .json, .jsonl].contains(format), "\(format)")
            if !writer.printsTranscript {
                var empty = report
                empty.transcript = []
                #expect(empty.rendered(format, transcript: true) == report.rendered(format, transcript: true), "\(format)")
            }
        }
    }

    // MARK: One scenario per rule.

    func violations(
        _ build: (inout CaptureScenario) throws -> Void, keyLog: ((CaptureScenario) -> String)? = nil,
        endTime: Double? = nil,
        corrupt: ((inout [(side: CaptureScenario.Side, time: Double, bytes: [UInt8])]) -> Void)? = nil
    ) throws -> Set<String> {
        var scenario = CaptureScenario()
        try build(&scenario)
        scenario.pump()
        let pcap = scenario.pcap(endTime: endTime.map { scenario.time + $0 }, corrupt: corrupt)
        return ruleIDs(try replay(pcap, keyLog: keyLog?(scenario) ?? scenario.keyLog()))
    }

    @Test func codeOutsideTheRanges() throws {
        #expect(try violations { $0.take($0.initiator.sendUnchecked(wireCode: 60, payload: [0xc0]), from: .initiator) } == ["mux/code-range"])
    }

    @Test func uncompressedAfterVersion5() throws {
        #expect(
            try violations { $0.take($0.initiator.sendUnchecked(wireCode: 16, payload: [0xc1, 0x01], compressed: false), from: .initiator) } == [
                "base/snappy"
            ])
    }

    /// A shared protocol of unknown length (les/4, without --caps): codes from its offset up are not judged, and
    /// the connection's notes say which protocol and how to supply its length.
    @Test func unknownProtocolLengthIsANoteNotAFinding() throws {
        var random = SeededRandom(seed: 21)
        let protocols = [
            ProtocolSpec(name: "eth", version: 68, length: 17), ProtocolSpec(name: "les", version: 4, length: 24),
            ProtocolSpec(name: "snap", version: 1, length: 8),
        ]
        let a = SessionConfiguration(staticKey: .random(using: &random), protocols: protocols, clientID: "a")
        let b = SessionConfiguration(staticKey: .random(using: &random), protocols: protocols, clientID: "b")
        var scenario = CaptureScenario(initiatorConfig: a, recipientConfig: b)
        scenario.take(try scenario.initiator.send(protocol: "eth", code: 3, payload: [0xc0]), from: .initiator)
        scenario.take(try scenario.initiator.send(protocol: "les", code: 2, payload: [0xc0]), from: .initiator)
        scenario.take(try scenario.initiator.send(protocol: "snap", code: 7, payload: [0xc0]), from: .initiator)
        scenario.pump()
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        #expect(report.findings.isEmpty, "\(report.findings)")
        let notes = report.connections.first?.notes ?? []
        #expect(
            notes.contains {
                $0.hasPrefix("les/4 is shared but its code-space length is unknown: codes from 33 up") && $0.hasSuffix("--caps les/4:LENGTH")
            }, "\(notes)")
        #expect(report.transcript.contains { $0.protocolName == "eth/68" && $0.message == "GetBlockHeaders" })
    }

    /// A Disconnect after both Hellos must be compressed too: no exception for one that refuses a Hello.
    @Test func uncompressedDisconnectAfterVersion5() throws {
        let found = try violations {
            $0.take($0.recipient.sendUnchecked(wireCode: 1, payload: DisconnectReason.uselessPeer.payload, compressed: false), from: .recipient)
        }
        #expect(found == ["base/snappy"])
    }

    @Test func snappyDeclaringTooMuch() throws {
        #expect(
            try violations {
                $0.take($0.initiator.sendUnchecked(wireCode: 16, payload: [0x80, 0x80, 0x80, 0x08, 0x00], compressed: false), from: .initiator)
            } == ["snappy/length"])
    }

    @Test func dataAfterDisconnect() throws {
        let found = try violations { scenario in
            scenario.take(scenario.initiator.sendUnchecked(wireCode: 1, payload: DisconnectReason.requested.payload), from: .initiator)
            scenario.take(scenario.initiator.sendUnchecked(wireCode: 16, payload: [0xc0]), from: .initiator)
        }
        #expect(found == ["base/after-disconnect"])
    }

    @Test func unknownDisconnectReason() throws {
        #expect(
            try violations { $0.take($0.initiator.sendUnchecked(wireCode: 1, payload: [0xc1, 0x0c]), from: .initiator) } == ["base/disconnect-reason"]
        )
    }

    @Test func pingNeverAnswered() throws {
        let found = try violations(
            { scenario in
                scenario.deliverToRecipient = false
                scenario.take(scenario.initiator.ping(now: scenario.now), from: .initiator)
            }, endTime: 20)
        #expect(found == ["base/ping-pong"])
    }

    /// A Ping sent before its sender's Hello is a message the other side may refuse (go-ethereum closes without a
    /// Pong, rightly): no Pong is owed, so base/ping-pong does not blame the silent side (it did).
    @Test func aPingBeforeItsSendersHelloIsOwedNoPong() throws {
        var random = SeededRandom(seed: 5)
        var early = SessionConfiguration(staticKey: .random(using: &random), protocols: CaptureScenario.protocols, clientID: "early")
        early.sendsHello = false
        var scenario = CaptureScenario(initiatorConfig: early)
        scenario.pump()
        scenario.deliverToRecipient = false
        scenario.take(scenario.initiator.sendUnchecked(wireCode: 2, payload: [0xc0], compressed: false), from: .initiator)
        scenario.pump()
        let found = ruleIDs(try replay(scenario.pcap(endTime: scenario.time + 20), keyLog: scenario.keyLog()))
        #expect(!found.contains("base/ping-pong"), "\(found)")
    }

    @Test func nonCanonicalPing() throws {
        #expect(try violations { $0.take($0.initiator.sendUnchecked(wireCode: 2, payload: [0x81, 0x05]), from: .initiator) } == ["rlp/canonical"])
    }

    @Test func helloOver2KiB() throws {
        var random = SeededRandom(seed: 5)
        let big = SessionConfiguration(
            staticKey: .random(using: &random), protocols: CaptureScenario.protocols, clientID: String(repeating: "x", count: 2100))
        var scenario = CaptureScenario(initiatorConfig: big)
        scenario.pump()
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        #expect(ruleIDs(report) == ["base/hello-size"], "\(report.findings)")
        // The transcript cuts the 2,100-character client ID and says how long it was.
        let hello = report.transcript.first { $0.message == "Hello" && $0.summary.hasPrefix("xxx") }
        #expect(hello?.summary.hasPrefix(String(repeating: "x", count: 80) + "… (2100 bytes) v5") == true, "\(hello?.summary ?? "no Hello")")
    }

    /// Only each side's first Hello counts, as in a live session (the recipient ignores a repeated one): a second,
    /// plain Hello announcing version 4 leaves compression on. Before the replay shared HelloNegotiation with the
    /// session, it turned compression off and read the compressed message after it as its raw snappy bytes.
    @Test func aRepeatedHelloDecidesNothing() throws {
        var scenario = CaptureScenario()
        var hello = scenario.initiator.configuration.hello
        hello.protocolVersion = 4
        scenario.take(scenario.initiator.sendUnchecked(wireCode: 0, payload: hello.rlpEncoded(), compressed: false), from: .initiator)
        try scenario.send("eth", code: 1, payload: [0xc0], from: .initiator)
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        let announced = report.transcript.filter { $0.message == "NewBlockHashes" }
        #expect(announced.count == 1 && announced.allSatisfy { !$0.summary.hasPrefix("malformed") }, "\(announced.map(\.summary))")
        #expect(ruleIDs(report).isDisjoint(with: ["base/snappy", "snappy/length", "rlp/canonical"]), "\(report.findings)")
    }

    @Test func helloNamingAnotherKey() throws {
        #expect(try violations({ _ in }, keyLog: { $0.keyLog(wrongInitiatorID: true) }) == ["base/hello-identity"])
    }

    @Test func corruptedFrameMAC() throws {
        let found = try violations(
            { scenario in
                scenario.take(try scenario.initiator.send(protocol: "eth", code: 1, payload: [0xc0]), from: .initiator)
            },
            corrupt: { chunks in
                if let index = chunks.lastIndex(where: { $0.side == .initiator }) { chunks[index].bytes[40] ^= 1 }
            })
        #expect(found == ["frame/mac"])
    }

    /// A frame fault carries its error's code: only a MAC mismatch is a MAC breach; a frame past the size limit is
    /// a size breach (before codes reached the events, frame.mac reported every frame fault).
    @Test func aFrameFaultOtherThanAMACMismatchIsNoMACBreach() {
        var engine = RuleEngine(rules: [FrameMACRule.self, FrameSizeRule.self])
        func found(_ error: FramingError) -> [String] {
            engine.consume(ConnectionEvent(connection: 1, time: 0, kind: .fault(.initiator, .frame(error, offset: 32)))).map(\.ruleID)
        }
        #expect(found(.frameTooLarge) == ["frame/size"])
        #expect(found(.headerMACMismatch) == ["frame/mac"])
        #expect(found(.frameMACMismatch) == ["frame/mac"])
    }

    @Test func oversizedHandshakePrefix() throws {
        let found = try violations(
            { _ in },
            corrupt: { chunks in
                chunks[0].bytes[0] = 0x09
                chunks[0].bytes[1] = 0x00
            })
        #expect(found == ["handshake/size"])
    }

    /// Frames the initiator "sends" instead of its own, sealed with its egress state from the stream start.
    func replacingInitiatorFrames(_ frames: [(data: [UInt8], headerData: [UInt8])]) throws -> Set<String> {
        var scenario = CaptureScenario()
        scenario.pump()
        let secrets = try #require(scenario.initiator.secrets)
        var sealer = FrameSealer(secrets: secrets)
        let sealed = try frames.map { try sealer.seal($0.data, headerData: $0.headerData) }.reduce([], +)
        let pcap = scenario.pcap(corrupt: { chunks in
            let auth = chunks[0]
            chunks.removeAll { $0.side == .initiator }
            chunks.insert(auth, at: 0)
            chunks.append((.initiator, auth.time + 0.5, sealed))
        })
        return ruleIDs(try replay(pcap, keyLog: scenario.keyLog()))
    }

    func helloFrame(_ scenario: CaptureScenario? = nil) -> [UInt8] {
        var random = SeededRandom(seed: 5)
        let key = Secp256k1.PrivateKey.random(using: &random)  // the scenario's initiator key
        let hello = Hello(clientID: "scenario-a", capabilities: CaptureScenario.protocols.map(\.capability), nodeID: key.publicKey.nodeID)
        return Message(code: 0, payload: hello.rlpEncoded()).frameData(compressed: false)
    }

    @Test func messageBeforeHello() throws {
        #expect(
            try replacingInitiatorFrames([(Message(code: 16, payload: [0xc0]).frameData(compressed: false), Frame.defaultHeaderData)]) == [
                "base/hello-first"
            ])
    }

    @Test func malformedHeaderData() throws {
        #expect(try replacingInitiatorFrames([(helloFrame(), [0x83, 1, 2, 3])]) == ["frame/header-data"])
    }

    @Test func emptyFrame() throws {
        #expect(try replacingInitiatorFrames([(helloFrame(), Frame.defaultHeaderData), ([], Frame.defaultHeaderData)]) == ["frame/size"])
    }

    @Test func everyRuleHasAScenario() {
        let covered: Set<String> = [
            "mux/code-range", "base/snappy", "snappy/length", "base/after-disconnect", "base/disconnect-reason",
            "base/ping-pong", "rlp/canonical", "base/hello-size", "base/hello-identity", "frame/mac", "handshake/size",
            "base/hello-first", "frame/header-data", "frame/size",
        ]
        #expect(covered == Set(baseRules.map { $0.descriptor.id }))
    }
}
