import Testing

// SPDX-License-Identifier: Apache-2.0
@testable import RLPxPeer

/// The outbox between senders and the event loop: it holds at most about a megabyte, and nothing while the
/// channel is over its write watermark.
@Suite struct PeerOutboxTests {
    private func item(_ size: Int) -> PeerOutgoing { PeerOutgoing(name: "eth", code: 0, payload: [UInt8](repeating: 1, count: size)) }

    @Test func takesUntilTheLimitThenMakesSendersWait() {
        var outbox = PeerOutbox()
        #expect(outbox.offer(item(1000), writable: true) == true)  // the first item: the caller schedules a drain
        var accepted = 1
        while outbox.offer(item(1000), writable: true) == false { accepted += 1 }
        #expect(accepted == (PeerOutbox.limit + 999) / 1000)
        #expect(outbox.bytes >= PeerOutbox.limit)
        #expect(outbox.offer(item(1), writable: true) == nil)

        let drained = outbox.take()
        #expect(drained.count == accepted)
        #expect(outbox.bytes == 0 && outbox.items.isEmpty)
        #expect(outbox.offer(item(1), writable: true) == true)
    }

    @Test func oneLargeMessageStillGoesThrough() {
        var outbox = PeerOutbox()
        #expect(outbox.offer(item(4 * PeerOutbox.limit), writable: true) == true)
        #expect(outbox.offer(item(1), writable: true) == nil)
    }

    @Test func nothingIsQueuedWhileTheChannelIsBackedUp() {
        var outbox = PeerOutbox()
        #expect(outbox.offer(item(1), writable: false) == nil)
        #expect(outbox.items.isEmpty)
        #expect(outbox.offer(item(1), writable: true) == true)
    }
}
