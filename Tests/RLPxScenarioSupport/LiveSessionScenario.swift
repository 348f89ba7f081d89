// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Eth
import RLP
import RLPxEvents

/// A live session seen from its recipient, as ``LiveSessionEvents`` reports it: Hellos, Status both ways (the
/// initiator's twice), Ping and Pong, then the initiator's Disconnect.
public func liveSessionEvents() throws -> [ConnectionEvent] {
    var scenario = CaptureScenario()
    let genesis = ChainConfig.mainnet.genesisHash
    let status = EthMessage.status(
        Status(
            version: 68, networkID: 1, genesis: genesis, forkID: ChainConfig.mainnet.forkID(head: 0, time: 0),
            head: .totalDifficulty(UInt256(1), bestHash: genesis)))
    var live = LiveSessionEvents(connection: 1, local: .recipient, localHello: scenario.recipient.configuration.hello)
    var events = [live.opened(initiator: "a", recipient: "b", time: 0)]
    func drain(_ scenario: inout CaptureScenario) {
        for event in scenario.recipientEvents { events += live.received(event, time: 1) }
        scenario.recipientEvents = []
    }
    drain(&scenario)
    // The recipient answers Status once (what it sends is known to the caller, not reported by the session).
    scenario.take(try scenario.recipient.send(protocol: "eth", code: 0, payload: status.encoded(version: 68)), from: .recipient)
    if let sent = live.sent(protocol: "eth", code: 0, payload: status.encoded(version: 68), time: 1) { events.append(sent) }
    for _ in 0..<2 { try scenario.send("eth", code: 0, payload: status.encoded(version: 68), from: .initiator) }
    scenario.take(scenario.initiator.ping(now: scenario.now), from: .initiator)
    scenario.pump()
    scenario.take(scenario.initiator.disconnect(.requested), from: .initiator)
    scenario.pump()
    drain(&scenario)
    return events
}
