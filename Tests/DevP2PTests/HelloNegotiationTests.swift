// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxMultiplexing
import Testing

@Suite struct HelloNegotiationTests {
    static let eth68 = Capability(name: "eth", version: 68)
    static let snap1 = Capability(name: "snap", version: 1)
    static let lengths = HelloNegotiation.lengths([Pair.eth, Pair.snap])

    static func hello(_ capabilities: [Capability], version: UInt64 = 5, clientID: String = "test") -> (hello: Hello, size: Int) {
        let hello = Hello(protocolVersion: version, clientID: clientID, capabilities: capabilities, nodeID: [UInt8](repeating: 1, count: 64))
        return (hello, hello.rlpEncoded().count)
    }

    @Test func compressionNeedsVersion5OnBothSides() {
        for (a, b, expected) in [(UInt64(5), UInt64(5), true), (4, 5, false), (5, 4, false), (6, 5, true)] {
            let negotiation = HelloNegotiation(
                local: Self.hello([Self.eth68], version: a), remote: Self.hello([Self.eth68], version: b), lengths: Self.lengths)
            #expect(negotiation.compression == expected, "versions \(a) and \(b)")
        }
    }

    /// An oversized Hello is refused unread by its receiver, which then never compresses: neither side may.
    @Test func anOversizedHelloOnEitherSideMeansNoCompression() {
        let big = Self.hello([Self.eth68], clientID: String(repeating: "x", count: 2100))
        #expect(big.size > BaseProtocol.maximumHelloSize)
        let small = Self.hello([Self.eth68])
        #expect(!HelloNegotiation(local: big, remote: small, lengths: Self.lengths).compression)
        #expect(!HelloNegotiation(local: small, remote: big, lengths: Self.lengths).compression)
        #expect(HelloNegotiation(local: small, remote: small, lengths: Self.lengths).compression)
    }

    @Test func matchesLikeCapabilityMatcherWhateverTheSide() {
        let a = Self.hello([Self.eth68, Self.snap1, Capability(name: "les", version: 4)])
        let b = Self.hello([Capability(name: "eth", version: 67), Self.eth68, Self.snap1])
        let ab = HelloNegotiation(local: a, remote: b, lengths: Self.lengths)
        #expect(ab.matched.map(\.description) == ["eth/68 codes 16..<33", "snap/1 codes 33..<41"])
        #expect(ab == HelloNegotiation(local: b, remote: a, lengths: Self.lengths))
        #expect(ab.matched == CapabilityMatcher.match(local: [Pair.eth, Pair.snap], remote: b.hello.capabilities))
        #expect(ab.unplaced == nil)
        #expect(ab.space.protocols == ab.matched)
    }

    /// Shared protocols take codes by name: from a shared capability of unknown length on, nothing is placed.
    @Test func aSharedCapabilityOfUnknownLengthStopsThePlacing() {
        let wit = Capability(name: "wit", version: 1)
        let abc = Capability(name: "abc", version: 2)
        let both = Self.hello([abc, Self.eth68, Self.snap1, wit])
        let negotiation = HelloNegotiation(local: both, remote: both, lengths: HelloNegotiation.lengths([Pair.eth, Pair.snap]))
        // "abc" sorts first and has no length: nothing after it can be placed.
        #expect(negotiation.matched.isEmpty)
        #expect(negotiation.unplaced?.capability == abc && negotiation.unplaced?.from == 16)
        let later = HelloNegotiation(local: Self.hello([Self.eth68, wit]), remote: Self.hello([wit, Self.eth68]), lengths: Self.lengths)
        #expect(later.matched.map(\.description) == ["eth/68 codes 16..<33"])
        #expect(later.unplaced?.capability == wit && later.unplaced?.from == 33)
    }

    @Test func theFirstSpecForACapabilityGivesItsLength() {
        let lengths = HelloNegotiation.lengths([Pair.eth, ProtocolSpec(name: "eth", version: 68, length: 99)])
        #expect(lengths[Self.eth68] == 17)
    }

    /// Where a live session and a replay disagreed before they shared this value: a session whose own Hello is over
    /// 2 KiB compressed after the peer's Hello, although the peer refuses that Hello unread and never compresses;
    /// the peer's plain Disconnect was then taken for a compression breach. Both now expect no compression.
    @Test func aSessionWhoseOwnHelloIsOversizedDoesNotCompress() {
        var big = SessionTests.config(0xa1)
        big.clientID = String(repeating: "x", count: 2100)
        var pair = Pair(big, SessionTests.config(0xb2))
        pair.pump()
        #expect(pair.disconnect(pair.eventsB).map { $0.0 } == .protocolError)
        let detail = pair.eventsA.compactMap { event -> String? in
            if case .disconnected(_, let origin, let detail) = event, origin == .remote { return detail }
            return nil
        }
        #expect(pair.disconnect(pair.eventsA).map { $0.0 } == .protocolError)
        #expect(detail == ["the peer disconnected"])
    }
}
