// SPDX-License-Identifier: Apache-2.0
import Discovery
import Discv5
import RLP
import RLPxCrypto

/// The discv5 tests of go-ethereum's devp2p suite (`devp2p discv5 test`, v5test), by their names, against one node;
/// each with fresh keys and sockets, each wait bounded by ``timeout``. 127.0.0.2 is the second source address
/// (PingMultiIP). Results and verdicts are ``DiscoveryTestResult``s, as ``Discv4Suite``'s.
public struct Discv5Suite: Sendable {
    public typealias Endpoint = Discv5Node.Endpoint

    public static let names = [
        "Ping", "PingLargeRequestID", "PingMultiIP", "HandshakeResend", "TalkRequest", "FindnodeZeroDistance", "FindnodeResults",
    ]

    /// The node under test and its key.
    public let target: Endpoint
    public let targetKey: Secp256k1.PublicKey
    /// The first and second local source addresses.
    public var listen1 = "127.0.0.1"
    public var listen2 = "127.0.0.2"
    /// The bound on every wait for an answer.
    public var timeout: Duration = .seconds(1)
    /// How long a test that expects no answer listens (nil: ``timeout``).
    public var silence: Duration?
    /// How long FindnodeResults waits for its bystanders to be pinged (go-ethereum: 60 s).
    public var bystanderWait: Duration = .seconds(10)

    public init(target: Endpoint, targetKey: Secp256k1.PublicKey) {
        self.target = target
        self.targetKey = targetKey
    }

    /// Runs the tests whose names contain one of `filters` (all when empty).
    public func run(_ filters: [String] = []) async -> [DiscoveryTestResult] {
        await DiscoveryTestResult.run(Self.names, filters) { name in try await run(name) }
    }

    func run(_ name: String) async throws -> String {
        switch name {
        case "Ping": return try await ping()
        case "PingLargeRequestID": return try await pingLargeRequestID()
        case "PingMultiIP": return try await pingMultiIP()
        case "HandshakeResend": return try await handshakeResend()
        case "TalkRequest": return try await talkRequest()
        case "FindnodeZeroDistance": return try await findnodeZeroDistance()
        case "FindnodeResults": return try await findnodeResults()
        default: throw DiscoveryPeerError(.unknownTest, "no test named \(name)")
        }
    }

    // MARK: Tests

    func ping() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        return try await pingPong(conn, on: l1)
    }

    /// A 9-byte request ID (sealed in an established session): the node must not answer.
    func pingLargeRequestID() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        _ = try await pingPong(conn, on: l1)
        let plaintext =
            [0x01]
            + RLPWriter.encode {
                $0.writeList {
                    $0.write(bytes: [UInt8](repeating: 0, count: 9))
                    $0.write(integer: UInt64(1))
                }
            }
        try conn.writeSealed(plaintext: plaintext, on: l1)
        let read = await conn.read(on: l1, wait: silence ?? timeout)
        if case .message(let message) = read {
            throw DiscoveryPeerError(.unexpectedAnswer, "\(message.name) answered a PING with a 9-byte request ID")
        }
        return "no answer"
    }

    /// A session made from one address is not honoured from another: WHOAREYOU, then a new session, both ways.
    func pingMultiIP() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        let l2 = try await Self.bind(listen2)
        defer { Task { await l2.close() } }
        _ = try await pingPong(conn, on: l1)

        let ping2 = Ping(requestID: conn.nextRequestID(), enrSeq: 1)
        try conn.write(.ping(ping2), on: l2)
        switch await conn.read(on: l2) {
        case .whoareyou(_, let bytes): try conn.answer(bytes, on: l2)
        case let other: throw DiscoveryPeerError(.wrongAnswer, "expected WHOAREYOU for the session reused from \(listen2), got \(other)")
        }
        guard case .message(.pong(let pong)) = await conn.read(on: l2) else { throw DiscoveryPeerError(.noAnswer, "no PONG on \(listen2)") }
        try check(pong, answers: ping2, on: l2)

        try conn.write(.ping(Ping(requestID: conn.nextRequestID(), enrSeq: 1)), on: l1)
        switch await conn.read(on: l1) {
        case .whoareyou: return "WHOAREYOU on each change of address"
        case let other: throw DiscoveryPeerError(.wrongAnswer, "expected WHOAREYOU back on \(listen1), got \(other)")
        }
    }

    /// A second packet before the handshake gets the first WHOAREYOU again: same nonce, same challenge data.
    func handshakeResend() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        try conn.write(.ping(Ping(requestID: conn.nextRequestID(), enrSeq: 1)), on: l1)
        guard case .whoareyou(let first, _) = await conn.read(on: l1) else { throw DiscoveryPeerError(.noAnswer, "no WHOAREYOU for the PING") }
        try conn.write(.ping(Ping(requestID: conn.nextRequestID(), enrSeq: 1)), on: l1)
        guard case .whoareyou(let second, _) = await conn.read(on: l1) else {
            throw DiscoveryPeerError(.noAnswer, "no WHOAREYOU for the second PING")
        }
        guard second.nonce == first.nonce else { throw DiscoveryPeerError(.wrongAnswer, "the second WHOAREYOU has another nonce") }
        guard try second.associatedData() == first.associatedData() else {
            throw DiscoveryPeerError(.wrongAnswer, "the second WHOAREYOU has other challenge data")
        }
        return "the same challenge"
    }

    /// TALKREQ for an unknown protocol: an empty TALKRESP with the request ID, also an empty one.
    func talkRequest() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        for id in [conn.nextRequestID(), try RequestID([UInt8]())] {
            let read = try await conn.request(
                .talkRequest(TalkRequest(requestID: id, protocolName: Array("test-protocol".utf8), request: [])), on: l1)
            guard case .message(.talkResponse(let response)) = read else { throw DiscoveryPeerError(.wrongAnswer, "expected TALKRESP, got \(read)") }
            guard response.requestID == id else {
                throw DiscoveryPeerError(.wrongAnswer, "TALKRESP has request ID \(response.requestID), want \(id)")
            }
            guard response.response.isEmpty else { throw DiscoveryPeerError(.wrongAnswer, "TALKRESP is not empty") }
        }
        return "empty TALKRESP"
    }

    func findnodeZeroDistance() async throws -> String {
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        let records = try await conn.findNode([0], on: l1)
        guard records.count == 1 else { throw DiscoveryPeerError(.wrongAnswer, "\(records.count) records for distance 0, want 1") }
        guard try records[0].nodeID() == conn.targetID else { throw DiscoveryPeerError(.wrongAnswer, "the record for distance 0 is another node's") }
        return "its own record"
    }

    /// Five bystanders ping the node and answer it; once it has pinged each (it took them in), FINDNODE at their
    /// distances must return them all.
    func findnodeResults() async throws -> String {
        var bystanders: [(Discv5TestConn, UDPInbox)] = []
        defer { for (_, socket) in bystanders { Task { await socket.close() } } }
        for _ in 0..<5 {
            let socket = try await Self.bind(listen1)
            guard let address = socket.localAddress else { throw DiscoveryTestResult.Skip(description: "no local address") }
            bystanders.append((try conn(recordAt: address), socket))
        }
        let deadline = ContinuousClock.now + bystanderWait
        let added = await withTaskGroup(of: Bool.self) { group in
            for (conn, socket) in bystanders {
                group.addTask { await Self.stand(conn, on: socket, until: deadline) }
            }
            var count = 0
            for await wasAdded in group where wasAdded { count += 1 }
            return count
        }
        guard added == bystanders.count else {
            throw DiscoveryPeerError(.wrongAnswer, "the node took \(added) of \(bystanders.count) bystanders within \(bystanderWait)")
        }
        let targetID = NodeID(publicKey: targetKey)
        let distances = Array(Set(bystanders.map { UInt16($0.0.localID.logDistance(to: targetID)) })).sorted()
        let (conn, l1) = try await listen(listen1)
        defer { Task { await l1.close() } }
        let found = Set(try await conn.findNode(distances, on: l1).compactMap { try? $0.nodeID() })
        let missing = bystanders.filter { !found.contains($0.0.localID) }.count
        guard missing == 0 else {
            throw DiscoveryPeerError(.wrongAnswer, "\(missing) of \(bystanders.count) bystanders missing from NODES at \(distances)")
        }
        return "all \(bystanders.count) bystanders returned"
    }

    // MARK: Steps

    /// A bystander: pings the node, then answers it until it sends a PING or FINDNODE (it took us in) or `deadline`.
    static func stand(_ conn: Discv5TestConn, on socket: UDPInbox, until deadline: ContinuousClock.Instant) async -> Bool {
        guard var read = try? await conn.request(.ping(Ping(requestID: conn.nextRequestID(), enrSeq: 1)), on: socket) else { return false }
        while true {
            switch read {
            case .message(.ping(let ping)):
                let pong = Pong(
                    requestID: ping.requestID, enrSeq: conn.record.seq, recipientIP: conn.target.ip.bytes, recipientPort: conn.target.port)
                try? conn.write(.pong(pong), on: socket)
                return true
            case .message(.findNode(let request)):
                try? conn.write(.nodes(Nodes(requestID: request.requestID, total: 1, records: [])), on: socket)
                return true
            default:
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { return false }
                read = await conn.read(on: socket, wait: min(remaining, .milliseconds(200)))
            }
        }
    }

    /// PING and its PONG, checked.
    func pingPong(_ conn: Discv5TestConn, on socket: UDPInbox) async throws -> String {
        let ping = Ping(requestID: conn.nextRequestID(), enrSeq: 1)
        let read = try await conn.request(.ping(ping), on: socket)
        guard case .message(.pong(let pong)) = read else { throw DiscoveryPeerError(.wrongAnswer, "expected PONG, got \(read)") }
        try check(pong, answers: ping, on: socket)
        return "pong"
    }

    func check(_ pong: Pong, answers ping: Ping, on socket: UDPInbox) throws {
        guard pong.requestID == ping.requestID else {
            throw DiscoveryPeerError(.wrongAnswer, "PONG has request ID \(pong.requestID), want \(ping.requestID)")
        }
        guard let local = socket.localAddress, pong.recipientIP == local.ip.bytes, pong.recipientPort == local.port else {
            throw DiscoveryPeerError(
                .wrongAnswer, "PONG names \(IPAddress(bytes: pong.recipientIP)?.description ?? "?"):\(pong.recipientPort), not our address")
        }
    }

    /// A fresh identity (record without an address) and a socket on `host`.
    func listen(_ host: String) async throws -> (Discv5TestConn, UDPInbox) {
        let socket = try await Self.bind(host)
        return (try conn(recordAt: nil), socket)
    }

    /// A fresh identity whose record names `address` (bystanders) or no address.
    func conn(recordAt address: Endpoint?) throws -> Discv5TestConn {
        var random = SystemRandom()
        let key = Secp256k1.PrivateKey.random(using: &random)
        var record = try ENR.signed(seq: 1, pairs: [], key: key)
        if let address { record = try ENR.node(key: key, seq: 1, ip: address.ip, udp: address.port) }
        return Discv5TestConn(target: target, targetKey: targetKey, timeout: timeout, key: key, record: record)
    }

    /// A socket on `host`; one that will not bind skips the test (our machine's fault, not the node's).
    static func bind(_ host: String) async throws -> UDPInbox {
        do { return try await UDPInbox.bind(host: host) } catch {
            throw DiscoveryTestResult.Skip(description: "cannot bind UDP on \(host): \(error)")
        }
    }
}
