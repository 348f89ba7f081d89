// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxCapture
import RLPxConformance
import RLPxCrypto
import RLPxScenarioSupport
import RLPxTestSupport
import Testing

/// Capture transcripts name eth and snap messages and give their one-line summaries.
@Suite struct EthTranscriptTests {
    @Test func namesEthMessagesWithSummaries() throws {
        var random = SeededRandom(seed: 11)
        let config = SessionConfiguration(staticKey: .random(using: &random), protocols: CaptureScenario.protocols, clientID: "eth-a")
        var scenario = CaptureScenario(initiatorConfig: config)
        let genesis = try Hash32(hex: "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3")
        let status = EthMessage.status(
            Status(
                version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
                head: .totalDifficulty(UInt256(17_179_869_184), bestHash: genesis)))
        let request = EthMessage.getBlockHeaders(
            requestID: 7, HeaderRequest(origin: .number(1000), amount: 192, skip: 0, reverse: false))
        for message in [status, request] {
            scenario.take(try scenario.initiator.send(protocol: "eth", code: message.code, payload: message.encoded(version: 68)), from: .initiator)
            scenario.pump()
        }
        // NewBlock's code with a payload that is not a block: named, and the summary says where it breaks.
        scenario.take(try scenario.initiator.send(protocol: "eth", code: 7, payload: [0xc1, 0x01]), from: .initiator)
        scenario.pump()
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog())
        let eth = report.transcript.filter { $0.protocolName == "eth/68" }
        #expect(eth.map(\.message) == ["Status", "GetBlockHeaders", "NewBlock"])
        #expect(eth.count == 3)
        guard eth.count == 3 else { return }
        #expect(eth[0].summary.hasPrefix("version=68 network=1 genesis=0xd4e56740"))
        #expect(eth[0].summary.contains("forkid=0xfc64ec04/1150000"))
        #expect(eth[1].summary == "id=7 origin=#1000 amount=192 skip=0 reverse=false")
        #expect(eth[2].summary.hasPrefix("malformed: "), "\(eth[2].summary)")
        #expect(eth[2].summary.contains("at offset "))
    }

    /// The eth rules on a real (captured and decrypted) session: Status both ways, a request answered correctly, a
    /// response nobody asked for, and a second Status.
    @Test func ethRulesOnACapturedSession() throws {
        var scenario = CaptureScenario()
        let genesis = ChainConfig.mainnet.genesisHash
        let status = EthMessage.status(
            Status(
                version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
                head: .totalDifficulty(UInt256(17_179_869_184), bestHash: genesis)))
        let request = EthMessage.getBlockBodies(requestID: 5, [genesis])
        let answer = EthMessage.blockBodies(requestID: 5, [BlockBody(transactions: [], ommers: [], withdrawals: nil)])
        let stray = EthMessage.blockBodies(requestID: 6, [])
        let script: [(CaptureScenario.Side, EthMessage)] = [
            (.initiator, status), (.recipient, status), (.initiator, request), (.recipient, answer), (.recipient, stray),
            (.initiator, status),
        ]
        for (side, message) in script { try scenario.send("eth", code: message.code, payload: message.encoded(version: 68), from: side) }
        let report = try replay(scenario.pcap(), keyLog: scenario.keyLog(), rules: RuleRegistry.all)
        let found = report.findings.filter { $0.severity == .breach }.map { "\($0.ruleID) \($0.side?.rawValue ?? "-"): \($0.detail)" }
        #expect(
            found.sorted() == [
                "eth/status-first initiator: a second Status",
                "exchange/response-id recipient: BlockBodies id=6 answers no outstanding request (never asked, or already answered)",
            ], "\(found)")
        // Without a chain the fork IDs are reported, not judged.
        #expect(report.findings.filter { $0.ruleID == "eth/fork-id" }.allSatisfy { $0.severity == .informational })
        #expect(report.findings.contains { $0.ruleID == "eth/fork-id" })
    }
}
