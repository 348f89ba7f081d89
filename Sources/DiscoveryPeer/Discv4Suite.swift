// SPDX-License-Identifier: Apache-2.0
import Discovery
import Foundation
import RLPxCrypto

/// The discv4 tests of go-ethereum's devp2p suite (`devp2p discv4 test`), by their names, against one node over
/// loopback; each on fresh sockets and keys, each wait bounded by ``timeout``. 127.0.0.2 is the second source
/// address (Amplification/WrongIP).
public struct Discv4Suite: Sendable {
    /// One test's outcome.
    public typealias Result = DiscoveryTestResult

    public static let names = [
        "Ping/Basic", "Ping/WrongTo", "Ping/WrongFrom", "Ping/ExtraData", "Ping/ExtraDataWrongFrom", "Ping/PastExpiration",
        "Ping/WrongPacketType", "Ping/BondThenPingWithWrongFrom", "ENRRequest", "Findnode/WithoutEndpointProof",
        "Findnode/BasicFindnode", "Findnode/UnsolicitedNeighbors", "Findnode/PastExpiration", "Amplification/InvalidPongHash",
        "Amplification/WrongIP",
    ]

    /// The node under test.
    public let target: Discv4Responder.Address
    /// Its ID, when known (answers must be signed by it).
    public let targetID: NodeID?
    /// The first and second local source addresses.
    public var listen1 = "127.0.0.1"
    public var listen2 = "127.0.0.2"
    /// The bound on every wait for an answer.
    public var timeout: Duration = .seconds(1)
    /// How long a test that expects no answer listens (nil: ``timeout``).
    public var silence: Duration?

    public init(target: Discv4Responder.Address, targetID: NodeID?) {
        self.target = target
        self.targetID = targetID
    }

    /// Runs the tests whose names contain one of `filters` (all when empty).
    public func run(_ filters: [String] = []) async -> [Result] {
        await DiscoveryTestResult.run(Self.names, filters) { name in try await run(name) }
    }

    func run(_ name: String) async throws -> String {
        var random = SystemRandomNumberGenerator()
        let key = Secp256k1.PrivateKey.random(using: &random)
        let prober = try await Self.bind(listen1, key: key)
        defer { Task { await prober.close() } }
        let wrongEndpoint = Discv4.Endpoint(ip: [192, 0, 2, 1], udp: 1, tcp: 2)
        switch name {
        case "Ping/Basic": return try await pingAnswered(prober, ping())
        case "Ping/WrongTo": return try await pingAnswered(prober, ping(to: wrongEndpoint))
        case "Ping/WrongFrom": return try await pingAnswered(prober, ping(from: wrongEndpoint))
        case "Ping/ExtraData": return try await pingAnswered(prober, ping(rest: [[0x82, 0x12, 0x34], [0xc3, 1, 2, 3]]))
        case "Ping/ExtraDataWrongFrom": return try await pingAnswered(prober, ping(from: wrongEndpoint, rest: [[0x82, 0x12, 0x34]]))
        case "Ping/PastExpiration":
            prober.send(ping(expiration: Self.now() - 100), to: target)
            return try await silence(prober)
        case "Ping/WrongPacketType":
            var bytes = Array(Discv4Packet(message: ping(), key: key).bytes[32...])
            bytes[65] = 0x77
            let signature = try key.signature(forDigest: NodeID(discv4Key: Array(bytes[65...])).bytes)
            bytes.replaceSubrange(0..<65, with: signature)
            prober.sendRaw(NodeID(discv4Key: bytes).bytes + bytes, to: target)
            return try await silence(prober)
        case "Ping/BondThenPingWithWrongFrom":
            try await bond(prober)
            return try await pingAnswered(prober, ping(from: wrongEndpoint))
        case "ENRRequest":
            try await bond(prober)
            let request = prober.send(.enrRequest(.init(expiration: Self.now() + 20)), to: target)
            guard let answer = await prober.receive(timeout: timeout, where: { Self.isENRResponse($0, to: request.hash) }),
                case .enrResponse(let response) = answer.packet.message
            else { throw DiscoveryPeerError(.noAnswer, "no ENRResponse quoting the request within \(timeout)") }
            try response.record.verify()
            guard try response.record.publicKey() == answer.packet.sender else {
                throw DiscoveryPeerError(.wrongAnswer, "the record is not the sender's")
            }
            return "record seq \(response.record.seq)"
        case "Findnode/WithoutEndpointProof":
            prober.send(findNode(), to: target)
            return try await silence(prober, ignoringPings: true)
        case "Findnode/BasicFindnode":
            try await bond(prober)
            prober.send(findNode(), to: target)
            guard let answer = await prober.receive(timeout: timeout, where: { if case .neighbors = $0.message { true } else { false } })
            else { throw DiscoveryPeerError(.noAnswer, "no Neighbors within \(timeout)") }
            guard case .neighbors(let neighbors) = answer.packet.message else { return "" }
            return "\(neighbors.nodes.count) nodes"
        case "Findnode/UnsolicitedNeighbors":
            try await bond(prober)
            let fake = Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID
            prober.send(
                .neighbors(
                    .init(nodes: [.init(endpoint: .init(ip: [127, 0, 0, 3], udp: 30303, tcp: 30303), key: fake)], expiration: Self.now() + 20)),
                to: target)
            prober.send(.findNode(.init(target: fake, expiration: Self.now() + 20)), to: target)
            var seen = 0
            while let answer = await prober.receive(timeout: timeout, where: { if case .neighbors = $0.message { true } else { false } }) {
                guard case .neighbors(let neighbors) = answer.packet.message else { break }
                if neighbors.nodes.contains(where: { $0.key == fake }) { throw DiscoveryPeerError(.wrongAnswer, "the unsolicited node was returned") }
                seen += neighbors.nodes.count
            }
            return "\(seen) nodes, none of them the unsolicited one"
        case "Findnode/PastExpiration":
            try await bond(prober)
            prober.send(.findNode(.init(target: key.publicKey.nodeID, expiration: Self.now() - 100)), to: target)
            return try await silence(prober, ignoringPings: true)
        case "Amplification/InvalidPongHash":
            let sent = prober.send(ping(), to: target)
            guard await prober.receive(timeout: timeout, where: { Self.isPong($0, to: sent.hash) }) != nil else {
                throw DiscoveryPeerError(.noAnswer, "no Pong within \(timeout)")
            }
            if await prober.receive(timeout: timeout, where: Self.isPing) != nil {
                prober.send(.pong(.init(to: endpoint(), pingHash: [UInt8](repeating: 0xee, count: 32), expiration: Self.now() + 20)), to: target)
            }
            prober.send(findNode(), to: target)
            return try await silence(prober, ignoringPings: true)
        case "Amplification/WrongIP":
            try await bond(prober)
            let second = try await Self.bind(listen2, key: key)
            defer { Task { await second.close() } }
            second.send(findNode(), to: target)
            return try await silence(second, ignoringPings: true)
        default:
            throw DiscoveryPeerError(.unknownTest, "no test named \(name)")
        }
    }

    /// A prober on `host`; a socket that will not bind skips the test (our machine's fault, not the node's).
    static func bind(_ host: String, key: Secp256k1.PrivateKey) async throws -> Discv4Prober {
        do { return try await Discv4Prober.bind(host: host, key: key) } catch {
            throw DiscoveryTestResult.Skip(description: "cannot bind UDP on \(host): \(error)")
        }
    }

    // MARK: Steps

    /// Ping, Pong, then answer the node's Ping so it holds our endpoint proof.
    func bond(_ prober: Discv4Prober) async throws {
        let sent = prober.send(ping(), to: target)
        guard await prober.receive(timeout: timeout, where: { Self.isPong($0, to: sent.hash) }) != nil else {
            throw DiscoveryPeerError(.noAnswer, "bonding: no Pong within \(timeout)")
        }
        // A node that already holds a proof sends no Ping: that is a bond too.
        if let theirs = await prober.receive(timeout: timeout, where: Self.isPing) {
            prober.send(.pong(.init(to: endpoint(), pingHash: theirs.packet.hash, expiration: Self.now() + 20)), to: target)
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func pingAnswered(_ prober: Discv4Prober, _ message: Discv4.Message) async throws -> String {
        let packet = prober.send(message, to: target)
        guard let answer = await prober.receive(timeout: timeout, where: { Self.isPong($0, to: packet.hash) }) else {
            throw DiscoveryPeerError(.noAnswer, "no Pong quoting the Ping within \(timeout)")
        }
        if let targetID, answer.packet.senderID != targetID { throw DiscoveryPeerError(.wrongAnswer, "the Pong is signed by another node") }
        return "pong"
    }

    /// Nothing (but Pings, when allowed) within the timeout.
    func silence(_ prober: Discv4Prober, ignoringPings: Bool = false) async throws -> String {
        if let answer = await prober.receive(timeout: silence ?? timeout, where: { !ignoringPings || !Self.isPing($0) }) {
            throw DiscoveryPeerError(.unexpectedAnswer, "got \(answer.packet.message.name), expected no answer")
        }
        return "no answer"
    }

    func ping(from: Discv4.Endpoint? = nil, to: Discv4.Endpoint? = nil, expiration: UInt64? = nil, rest: [[UInt8]] = []) -> Discv4.Message {
        .ping(
            .init(
                from: from ?? Discv4.Endpoint(ip: IPAddress(listen1)?.bytes ?? [], udp: 0, tcp: 0), to: to ?? endpoint(),
                expiration: expiration ?? Self.now() + 20, rest: rest))
    }

    func findNode() -> Discv4.Message {
        var random = SystemRandomNumberGenerator()
        return .findNode(.init(target: Secp256k1.PrivateKey.random(using: &random).publicKey.nodeID, expiration: Self.now() + 20))
    }

    func endpoint() -> Discv4.Endpoint { .init(ip: target.ip.bytes, udp: target.port, tcp: 0) }

    static func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    static func isPing(_ packet: Discv4Packet) -> Bool { if case .ping = packet.message { true } else { false } }
    static func isPong(_ packet: Discv4Packet, to hash: [UInt8]) -> Bool {
        if case .pong(let pong) = packet.message { pong.pingHash == hash } else { false }
    }
    static func isENRResponse(_ packet: Discv4Packet, to hash: [UInt8]) -> Bool {
        if case .enrResponse(let response) = packet.message { response.requestHash == hash } else { false }
    }
}
