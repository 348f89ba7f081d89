// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxCrypto
import RLPxHandshake
import RLPxTestSupport

/// A clean session: Hellos, messages on two protocols, Ping/Pong, Disconnect.
public func cleanScenario(format: HandshakeFormat = .eip8) throws -> CaptureScenario {
    var random = SeededRandom(seed: 5)
    var config = SessionConfiguration(staticKey: .random(using: &random), protocols: CaptureScenario.protocols, clientID: "scenario-a")
    config.handshakeFormat = format
    var scenario = CaptureScenario(initiatorConfig: config)
    for index in 0..<12 {
        let payload = RLPItem.list([.bytes([UInt8](repeating: UInt8(index), count: index * 300))]).rlpEncoded()
        scenario.take(
            try scenario.initiator.send(protocol: index % 3 == 0 ? "snap" : "eth", code: UInt64(index % 8), payload: payload), from: .initiator)
        scenario.pump()
    }
    scenario.take(scenario.initiator.ping(now: scenario.now), from: .initiator)
    scenario.pump()
    scenario.take(scenario.recipient.disconnect(.requested), from: .recipient)
    scenario.pump()
    return scenario
}
