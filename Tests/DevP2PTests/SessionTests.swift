// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing
import RLPxTestSupport
import Synchronization
import Testing

@testable import RLPxCrypto

/// Two sessions wired together in memory, with a clock the test moves.
struct Pair {
    var a: Session
    var b: Session
    var now: ContinuousClock.Instant
    var random = SeededRandom(seed: 11)
    var eventsA: [SessionEvent] = []
    var eventsB: [SessionEvent] = []
    var toA: [UInt8] = []
    var toB: [UInt8] = []
    var closedA = false
    var closedB = false

    static let eth = ProtocolSpec(name: "eth", version: 68, length: 17)
    static let snap = ProtocolSpec(name: "snap", version: 1, length: 8)

    static func key(_ byte: UInt8) -> Secp256k1.PrivateKey {
        (try? Secp256k1.PrivateKey(rawRepresentation: [UInt8](repeating: byte, count: 32)))!
    }

    init(_ configA: SessionConfiguration, _ configB: SessionConfiguration, remoteKeyForA: Secp256k1.PublicKey? = nil) {
        now = ContinuousClock.now
        var random = SeededRandom(seed: 3)
        let (a, auth) = Session.initiator(configA, remotePublicKey: remoteKeyForA ?? configB.staticKey.publicKey, now: now, random: &random)
        self.a = a
        b = Session.recipient(configB, now: now, random: &random)
        toB = auth.bytes
    }

    mutating func take(_ output: SessionOutput, fromA: Bool) {
        if fromA {
            toB += output.bytes
            eventsA += output.events
            closedA = closedA || output.close
        } else {
            toA += output.bytes
            eventsB += output.events
            closedB = closedB || output.close
        }
    }

    /// Delivers bytes both ways until nothing moves; `chunk` splits every delivery.
    mutating func pump(chunk: Int = Int.max) {
        while !toA.isEmpty || !toB.isEmpty {
            if !toB.isEmpty {
                let piece = Array(toB.prefix(chunk))
                toB.removeFirst(piece.count)
                take(b.receive(piece, now: now, random: &random), fromA: false)
            }
            if !toA.isEmpty {
                let piece = Array(toA.prefix(chunk))
                toA.removeFirst(piece.count)
                take(a.receive(piece, now: now, random: &random), fromA: true)
            }
        }
    }

    func disconnect(_ events: [SessionEvent]) -> (DisconnectReason, Origin)? {
        for event in events {
            if case .disconnected(let reason, let origin, _) = event { return (reason, origin) }
        }
        return nil
    }

    func messages(_ events: [SessionEvent]) -> [(String, UInt64, [UInt8])] {
        events.compactMap {
            if case .message(let matched, let code, let payload) = $0 { return (matched.name, code, payload) }
            return nil
        }
    }
}

@Suite struct SessionTests {
    static func config(_ byte: UInt8, _ protocols: [ProtocolSpec] = [Pair.eth, Pair.snap]) -> SessionConfiguration {
        SessionConfiguration(staticKey: Pair.key(byte), protocols: protocols, clientID: "test/\(byte)")
    }

    /// Sealing and opening change the session's cipher contexts in place: copying them (copy on write of a shared
    /// reference) would cost a third of the throughput. Only this task's copies are counted.
    @Test func framesNeverCopyCipherContexts() throws {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        #expect(pair.a.isActive && pair.b.isActive)
        let counter = CipherContext.CopyCounter()
        let payload = RLPItem.bytes([UInt8](repeating: 7, count: 100)).rlpEncoded()
        try CipherContext.$copyCounter.withValue(counter) {
            for _ in 0..<500 {
                pair.take(try pair.a.send(protocol: "eth", code: 1, payload: payload), fromA: true)
                pair.take(try pair.b.send(protocol: "snap", code: 2, payload: payload), fromA: false)
                pair.pump()
            }
        }
        #expect(pair.messages(pair.eventsA).count == 500 && pair.messages(pair.eventsB).count == 500)
        let copies = counter.count.load(ordering: .relaxed)
        #expect(copies == 0, "\(copies) cipher contexts copied for 2,000 frames sealed and opened")
    }

    @Test(arguments: [(UInt64(5), 1), (5, 4096), (4, 3)])
    func twoSubprotocolsInterleaveBothWays(version: UInt64, chunk: Int) throws {
        var configA = Self.config(0xa1)
        configA.protocolVersion = version
        // B also runs a protocol A lacks: it is not matched.
        var pair = Pair(configA, Self.config(0xb2, [Pair.eth, Pair.snap, ProtocolSpec(name: "les", version: 4, length: 21)]))
        pair.pump(chunk: chunk)
        #expect(pair.a.isActive && pair.b.isActive)
        #expect(pair.a.matchedProtocols.map(\.description) == ["eth/68 codes 16..<33", "snap/1 codes 33..<41"])
        #expect(pair.b.matchedProtocols == pair.a.matchedProtocols)
        #expect(pair.b.remoteHello?.clientID == "test/161")

        var sentByA: [(String, UInt64, [UInt8])] = []
        var sentByB: [(String, UInt64, [UInt8])] = []
        var random = SeededRandom(seed: version)
        for index in 0..<40 {
            let name = index % 3 == 0 ? "snap" : "eth"
            let code = UInt64(index % (name == "snap" ? 8 : 17))
            let payload = RLPItem.list([.bytes(random.bytes(index * 37 % 3000))]).rlpEncoded()
            if index % 2 == 0 {
                pair.take(try pair.a.send(protocol: name, code: code, payload: payload), fromA: true)
                sentByA.append((name, code, payload))
            } else {
                pair.take(try pair.b.send(protocol: name, code: code, payload: payload), fromA: false)
                sentByB.append((name, code, payload))
            }
            if index % 5 == 0 { pair.pump(chunk: chunk) }
        }
        pair.pump(chunk: chunk)
        let receivedByB = pair.messages(pair.eventsB)
        let receivedByA = pair.messages(pair.eventsA)
        #expect(receivedByB.map(\.0) == sentByA.map(\.0) && receivedByB.map(\.1) == sentByA.map(\.1))
        #expect(receivedByB.map(\.2) == sentByA.map(\.2))
        #expect(receivedByA.map(\.0) == sentByB.map(\.0) && receivedByA.map(\.2) == sentByB.map(\.2))
    }

    @Test func compressionOnlyWhenBothAnnounceVersion5() throws {
        // A message of repetitive bytes is much smaller on the wire when compressed.
        func wireSize(versionA: UInt64) throws -> Int {
            var configA = Self.config(0xa1)
            configA.protocolVersion = versionA
            var pair = Pair(configA, Self.config(0xb2))
            pair.pump()
            return try pair.a.send(protocol: "eth", code: 0, payload: RLPItem.bytes([UInt8](repeating: 7, count: 4000)).rlpEncoded()).bytes.count
        }
        #expect(try wireSize(versionA: 5) < 500)
        #expect(try wireSize(versionA: 4) > 4000)
    }

    @Test func pingEveryIntervalAndPongMeasured() throws {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        #expect(pair.a.tick(now: pair.now + .seconds(14)).bytes.isEmpty)
        pair.now += .seconds(15)
        pair.take(pair.a.tick(now: pair.now), fromA: true)
        #expect(!pair.toB.isEmpty)
        pair.now += .milliseconds(40)
        pair.pump()
        #expect(pair.eventsB.contains(.pingAnswered))
        #expect(pair.eventsA.contains(.pong(roundTrip: .milliseconds(40))))
    }

    @Test func codeOutOfRangeIsRefusedBeforeWriting() throws {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        #expect(throws: SessionError.codeOutOfRange) { try pair.a.send(protocol: "snap", code: 8, payload: [0xc0]) }
        #expect(throws: SessionError.protocolNotShared) { try pair.a.send(protocol: "les", code: 0, payload: [0xc0]) }
        do {
            _ = try pair.a.send(protocol: "les", code: 0, payload: [0xc0])
        } catch {
            #expect(error.reason == "les is not shared on this connection; shared: eth/68, snap/1", "\(error)")
        }
        do {
            _ = try pair.a.send(protocol: "snap", code: 8, payload: [0xc0])
        } catch {
            #expect(error.reason == "code 8 is past snap/1's 8 codes (0 to 7)", "\(error)")
        }
        #expect(try pair.a.send(protocol: "snap", code: 7, payload: [0xc0]).bytes.count > 0)
    }

    // MARK: Every failure ends with the expected reason on both sides.

    func expectBoth(_ pair: Pair, _ reason: DisconnectReason, _ local: Bool? = nil) {
        #expect(pair.disconnect(pair.eventsA)?.0 == reason, "A: \(pair.eventsA)")
        #expect(pair.disconnect(pair.eventsB)?.0 == reason, "B: \(pair.eventsB)")
        #expect(pair.a.isClosed && pair.b.isClosed)
    }

    @Test func uselessPeerWithoutSharedCapability() {
        var pair = Pair(Self.config(0xa1, [Pair.eth]), Self.config(0xb2, [Pair.snap]))
        pair.pump()
        expectBoth(pair, .uselessPeer)
    }

    @Test func connectedToSelf() {
        var pair = Pair(Self.config(0xa1), Self.config(0xa1))
        pair.pump()
        expectBoth(pair, .connectedToSelf)
    }

    @Test func readTimeoutAfterSilence() {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        pair.now += .seconds(31)
        pair.take(pair.b.tick(now: pair.now), fromA: false)
        pair.pump()
        expectBoth(pair, .readTimeout)
        #expect(pair.disconnect(pair.eventsA)?.1 == .remote && pair.disconnect(pair.eventsB)?.1 == .local)
    }

    @Test func helloTimeoutAndHandshakeTimeout() {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        // B never hears anything: its handshake times out, and nothing can be sent before the keys exist.
        let output = pair.b.tick(now: pair.now + .seconds(5))
        #expect(output.close && output.bytes.isEmpty)
        #expect(pair.disconnect(output.events)?.0 == .readTimeout)
    }

    @Test func protocolBreachCodeBeyondTheRanges() {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        pair.take(pair.a.sendUnchecked(wireCode: 41, payload: [0xc0]), fromA: true)  // eth 16..<33, snap 33..<41
        pair.pump()
        expectBoth(pair, .protocolError)
    }

    @Test func tooManyPeersTellsTheOtherSide() {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        pair.take(pair.b.disconnect(.tooManyPeers), fromA: false)
        pair.pump()
        expectBoth(pair, .tooManyPeers)
        #expect(pair.disconnect(pair.eventsA)?.1 == .remote)
    }

    @Test func nothingIsSentAfterDisconnect() throws {
        var pair = Pair(Self.config(0xa1), Self.config(0xb2))
        pair.pump()
        let bye = pair.a.disconnect(.quitting)
        #expect(bye.close && !bye.bytes.isEmpty)
        #expect(pair.a.tick(now: pair.now + .seconds(60)).bytes.isEmpty)
        #expect(pair.a.disconnect(.requested).bytes.isEmpty)
        #expect(throws: SessionError.notActive) { try pair.a.send(protocol: "eth", code: 0, payload: [0xc0]) }
        var random = SeededRandom(seed: 1)
        #expect(pair.a.receive([1, 2, 3], now: pair.now, random: &random).bytes.isEmpty)
    }
}

extension SessionTests {
    @Test func helloTimeoutStartsAfterTheHandshake() throws {
        var peer = try RawPeer()  // completes the handshake, never sends Hello
        #expect(peer.session.tick(now: peer.now + .seconds(4)).bytes.isEmpty)
        let output = peer.session.tick(now: peer.now + .seconds(5))
        try peer.take(output)
        #expect(peer.localReason == .readTimeout && peer.sentReason == .readTimeout)
    }
}

extension SessionTests {
    @Test func rejectionAfterHandshakeComesBeforeAnyHello() {
        var configB = Self.config(0xb2)
        configB.clientID = "full"
        var pair = Pair(Self.config(0xa1), configB)
        pair.b.rejectAfterHandshake(.tooManyPeers)
        pair.pump()
        expectBoth(pair, .tooManyPeers)
        #expect(pair.a.remoteHello == nil, "the rejecting side sent no Hello")
    }
}
