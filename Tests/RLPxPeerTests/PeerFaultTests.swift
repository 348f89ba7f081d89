// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import RLPxPeer
import RLPxTestSupport
import Testing

/// The faults `send --fault` injects for recording captures: a typed table, and waits that end on what happens.
@Suite(.timeLimit(.minutes(3))) struct PeerFaultTests {
    /// Every fault Tools/record-captures.sh records (`fault-NAME`) is one of the enum's cases by that name.
    @Test func theRecordedFaultsAreTheCases() throws {
        let script = try String(contentsOf: Vectors.projectRoot.appendingPathComponent("Tools/record-captures.sh"), encoding: .utf8)
        let recorded = Set(script.matches(of: /fault-([a-z-]+)/).map { String($0.1) }).subtracting(["hello-size"])
        #expect(!recorded.isEmpty)
        for name in recorded { #expect(PeerFault(rawValue: name) != nil, "\(name)") }
        #expect(Set(script.matches(of: /--fault ([a-z-]+)/).map { String($0.1) }).allSatisfy { PeerFault(rawValue: $0) != nil })
    }

    /// Each sending fault writes what its case says, on the wire codes of the base protocol where it breaks it, and
    /// otherwise on eth's Transactions code (0x12 with eth at 0x10), so that it breaks no eth rule.
    @Test func theWireMessagesAreTheRulesBroken() {
        #expect(PeerFault.codeOutOfRange.messages.messages.map(\.wireCode) == [200])
        #expect(PeerFault.unknownReason.messages.messages.map(\.wireCode) == [BaseProtocol.disconnectCode])
        #expect(PeerFault.afterDisconnect.messages.messages.map(\.wireCode) == [BaseProtocol.disconnectCode, 0x12])
        #expect(PeerFault.nonCanonical.messages.messages.map(\.payload) == [[0x81, 0x05]])
        #expect(PeerFault.badMAC.messages.corruptMAC && PeerFault.uncompressed.messages.compressed == false)
        #expect(PeerFault.ping.messages.messages.isEmpty && PeerFault.noPong.messages.messages.isEmpty)
        var session = peerConfiguration().session
        PeerFault.noPong.configure(&session)
        #expect(!session.answersPings)
    }

    /// The ping fault waits for the Pong, not a fixed time: against a peer that answers it returns long before its
    /// deadline (a generous one here: a loaded machine may take seconds for a round trip on loopback).
    @Test func thePingFaultEndsWhenThePongArrives() async throws {
        let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: peerConfiguration(), handler: echo)
        let connection = try await RLPxNode.dial(listener.enodeURL, configuration: peerConfiguration())
        let start = ContinuousClock.now
        try await PeerFault.ping.inject(on: connection, pongWait: .seconds(600))
        #expect(ContinuousClock.now - start < .seconds(90))
        #expect(connection.endReason == nil)
        await connection.disconnect()
        await listener.close()
    }

    /// Against a peer that never answers, the wait ends with the session.
    @Test func thePingFaultEndsWithTheSession() async throws {
        var configuration = peerConfiguration()
        PeerFault.noPong.configure(&configuration.session)
        let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: configuration) { connection in
            try await Task.sleep(for: .milliseconds(500))
            await connection.disconnect(.requested)
        }
        let connection = try await RLPxNode.dial(listener.enodeURL, configuration: peerConfiguration())
        let start = ContinuousClock.now
        try await PeerFault.ping.inject(on: connection, pongWait: .seconds(600))
        #expect(ContinuousClock.now - start < .seconds(90))
        #expect(connection.endReason != nil)
        await listener.close()
    }
}
