// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxProbe
import Testing

/// Against a node in memory the probe's time is the dialer's driven clock: a test that waits out a silent node
/// reports the wait it made, and takes none of it.
@Suite struct DrivenClockTests {
    @Test func aSilentNodeIsWaitedOutWithoutWaiting() throws {
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        // Its Hello follows the handshake; then it never sends anything (no Status, no close).
        let dialer = MemoryNode.dialer(key: key, protocols: [ProbeConnectionTests.eth69]) { { _, _ in [] } }
        let wall = ContinuousClock()
        let start = wall.now
        let (_, results) = try ProbeConnectionTests.run("^(rlpx/handshake/silence|eth/status/mirror)$", dialer: dialer, key: key, timeout: 60)
        let took = wall.now - start
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.test.id, $0) })
        let silence = try #require(byID["rlpx/handshake/silence"])
        #expect(silence.verdict == .nonStrict && silence.observed == "still open after 20 s", "\(silence.observed)")
        #expect(silence.seconds >= 20)
        let mirror = try #require(byID["eth/status/mirror"])
        #expect(mirror.verdict == .failed && mirror.observed == "no Status from the node: no reaction within 60.0 s", "\(mirror.observed)")
        #expect(mirror.seconds >= 60)
        // 80 s of waiting on the driven clock; in wall time only the handshakes' work.
        #expect(took < .seconds(10), "\(took)")
    }

    @Test func aDrivenClockMovesOnlyWhenTold() {
        let clock = DrivenProbeClock()
        let start = clock.now
        #expect(clock.now == start)
        clock.sleep(0.25)
        clock.advance(by: -1)
        #expect(clock.now - start == .milliseconds(250))
    }
}
