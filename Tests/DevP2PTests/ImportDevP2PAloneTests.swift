// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Testing

/// Two sessions in memory with `import DevP2P` alone: keys, protocol specs, handshake and frames all come through
/// its re-exports, as a library user's code would have them.
@Suite struct ImportDevP2PAloneTests {
    @Test func twoSessionsTalk() throws {
        var random = SystemRandom()
        let eth = ProtocolSpec(name: "eth", version: 69, length: 18)
        let alice = SessionConfiguration(staticKey: .random(using: &random), protocols: [eth], clientID: "alice")
        let bob = SessionConfiguration(staticKey: .random(using: &random), protocols: [eth], clientID: "bob")
        let now = ContinuousClock.now
        var (a, first) = Session.initiator(alice, remotePublicKey: bob.staticKey.publicKey, now: now, random: &random)
        var b = Session.recipient(bob, now: now, random: &random)
        var toB = first.bytes
        var toA: [UInt8] = []
        var eventsA: [SessionEvent] = []
        var eventsB: [SessionEvent] = []
        // Pump until both are quiet (bounded).
        for _ in 0..<10 where !(toA.isEmpty && toB.isEmpty) {
            let outB = b.receive(toB, now: now, random: &random)
            toB = []
            toA += outB.bytes
            eventsB += outB.events
            let outA = a.receive(toA, now: now, random: &random)
            toA = []
            toB += outA.bytes
            eventsA += outA.events
        }
        #expect(a.isActive && b.isActive)
        toB = try a.send(protocol: "eth", code: 3, payload: [0xc0]).bytes
        let delivered = b.receive(toB, now: now, random: &random)
        #expect(delivered.events.contains { if case .message(let matched, 3, [0xc0]) = $0 { matched.name == "eth" } else { false } })
        #expect(eventsA.contains { if case .helloReceived(let hello, _) = $0 { hello.clientID == "bob" } else { false } })
        #expect(eventsB.contains { if case .helloReceived(let hello, _) = $0 { hello.clientID == "alice" } else { false } })
    }
}
