// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLPxMultiplexing
import RLPxProtocols

extension FuzzEntries {
    /// The live path: two sans-I/O sessions joined by a simulated link, driven by the input as a script. Each
    /// operation is a byte and its arguments: deliver some in-flight bytes one way or the other; flip a bit, drop
    /// bytes or inject the input's bytes on the wire; let time pass and fire both timers; send a message, ping or
    /// disconnect on either side. The pair starts before the handshake (first byte even) or established.
    /// Invariants: no session sends after it closed; while the wire is untouched, every message arrives intact and
    /// in order, and a session ends only by a timeout or a Disconnect one side asked for.
    public static func link(_ data: [UInt8]) { _ = linkRun(data) }

    /// What a script of ``link(_:)`` did, so tests can see that it reached the paths it is meant to.
    public struct LinkStatistics: Sendable {
        /// Messages received intact on a clean wire.
        public var delivered = 0
        /// Sessions ended, by reason.
        public var ended: [DisconnectReason: Int] = [:]
        /// Scripts whose wire was tampered with.
        public var tampered = false
    }

    /// The operations whose low four bits are these damage the wire.
    public static let linkTamperingOperations: ClosedRange<UInt8> = 4...6

    /// Runs ``link(_:)``'s script and says what happened.
    public static func linkRun(_ data: [UInt8]) -> LinkStatistics {
        var script = data[...]
        guard let first = script.popFirst() else { return LinkStatistics() }
        var wire = Wire(sessions: first & 1 == 0 ? linkStart : linkEstablished)
        var random = FixedRandom()
        var now = FuzzClock.start
        func byte() -> Int { Int(script.popFirst() ?? 0) }
        var operations = 0
        while let operation = script.popFirst(), operations < 512 {
            operations += 1
            let side = Int(operation >> 7)
            switch operation & 0x0f {
            case 0...3:  // deliver up to n bytes towards `side`
                let count = byte() * 16 + 1
                let chunk = Array(wire.inFlight[side].prefix(count))
                wire.inFlight[side].removeFirst(chunk.count)
                guard !wire.closed[side] else { continue }
                wire.apply(wire.sessions[side].receive(chunk, now: now, random: &random), from: side)
            case 4:  // flip one bit of what is in flight
                let position = byte() << 8 | byte()
                guard !wire.inFlight[side].isEmpty else { continue }
                wire.inFlight[side][position % wire.inFlight[side].count] ^= 1 << UInt8(position % 8)
                wire.tampered = true
            case 5:  // drop bytes in flight
                let count = min(byte() + 1, wire.inFlight[side].count)
                guard count > 0 else { continue }
                wire.inFlight[side].removeFirst(count)
                wire.tampered = true
            case 6:  // inject the input's next bytes
                let count = byte()
                wire.inFlight[side] += script.prefix(count)
                script = script.dropFirst(count)
                wire.tampered = true
            case 7, 8:  // time passes (up to 12.8 s); both timers fire
                now += .milliseconds(50 * (byte() + 1))
                for end in 0..<2 where !wire.closed[end] { wire.apply(wire.sessions[end].tick(now: now), from: end) }
            case 9...11:  // `side` sends a message
                let name = byte() & 1 == 0 ? "eth" : "snap"
                let code = UInt64(byte() % 20)
                let payload = Array(script.prefix(byte()))
                script = script.dropFirst(payload.count)
                if let output = try? wire.sessions[side].send(protocol: name, code: code, payload: payload) {
                    wire.expected[1 - side].append(LinkMessage(name: name, code: code, payload: payload))
                    wire.apply(output, from: side)
                }
            case 12:
                wire.apply(wire.sessions[side].ping(now: now), from: side)
            case 13:
                let reason = DisconnectReason.known[byte() % DisconnectReason.known.count]
                if !wire.closed[side] { wire.asked.insert(reason) }
                wire.apply(wire.sessions[side].disconnect(reason), from: side)
            default:
                wire.deliverAll(now: now, random: &random)
            }
        }
        wire.statistics.tampered = wire.tampered
        return wire.statistics
    }

    /// A message one side sent, which the other must receive as it was while the wire is untouched.
    struct LinkMessage: Equatable {
        let name: String
        let code: UInt64
        let payload: [UInt8]
    }

    /// The two sessions (0 the initiator, 1 the recipient) and what is on the wire towards each.
    struct Wire {
        var sessions: [Session]
        var inFlight: [[UInt8]] = [[], []]
        var closed = [false, false]
        var expected: [[LinkMessage]] = [[], []]
        /// Reasons either side was asked to disconnect with.
        var asked: Set<DisconnectReason> = []
        var tampered = false
        var statistics = LinkStatistics()

        init(sessions: ([Session], [UInt8])) {
            self.sessions = sessions.0
            inFlight[1] = sessions.1
        }

        /// Delivers everything in flight, towards the initiator first; a closed side's bytes are dropped.
        mutating func deliverAll(now: ContinuousClock.Instant, random: inout FixedRandom) {
            for end in 0..<2 {
                let chunk = inFlight[end]
                inFlight[end] = []
                guard !closed[end] else { continue }
                apply(sessions[end].receive(chunk, now: now, random: &random), from: end)
            }
        }

        mutating func apply(_ output: SessionOutput, from side: Int) {
            if closed[side] { precondition(output.bytes.isEmpty && output.events.isEmpty, "a closed session acted") }
            inFlight[1 - side] += output.bytes
            for event in output.events {
                switch event {
                case .message(let matched, let code, let payload) where !tampered:
                    let got = LinkMessage(name: matched.name, code: code, payload: payload)
                    precondition(expected[side].first == got, "a message arrived changed, twice or out of order")
                    expected[side].removeFirst()
                    statistics.delivered += 1
                case .disconnected(let reason, let origin, let detail):
                    precondition(tampered || reason == .readTimeout || asked.contains(reason), "clean link ended by \(reason): \(detail)")
                    if origin == .local { statistics.ended[reason, default: 0] += 1 }
                default:
                    break
                }
            }
            closed[side] = closed[side] || output.close
        }
    }

    /// A fresh pair: the initiator's auth on the wire towards the recipient.
    static let linkStart: ([Session], [UInt8]) = {
        var random = FixedRandom(state: 77)
        let protocols = [KnownProtocols.known("eth", 68), KnownProtocols.known("snap", 1)]
        let (initiator, auth) = Session.initiator(
            SessionConfiguration(staticKey: initiatorKey, protocols: protocols), remotePublicKey: recipientKey.publicKey,
            now: FuzzClock.start, random: &random)
        let recipient = Session.recipient(SessionConfiguration(staticKey: recipientKey, protocols: protocols), now: FuzzClock.start, random: &random)
        return ([initiator, recipient], auth.bytes)
    }()

    /// The same pair once both Hellos have crossed: both active, nothing in flight.
    static let linkEstablished: ([Session], [UInt8]) = {
        var wire = Wire(sessions: linkStart)
        var random = FixedRandom(state: 78)
        for _ in 0..<4 { wire.deliverAll(now: FuzzClock.start, random: &random) }
        precondition(wire.sessions.allSatisfy(\.isActive), "the link fuzzer's sessions did not become active")
        return (wire.sessions, [])
    }()
}
