// SPDX-License-Identifier: Apache-2.0
import DevP2P
import EngineAPI
import Eth
import RLP
import RLPxCrypto
import RLPxMultiplexing
import RLPxPeer
import RLPxServe
import RLPxTestSupport
import Synchronization
import Testing

/// What `serve` does with each session, as a library: echo, drop, or a chain's eth; the start and end reported.
@Suite(.timeLimit(.minutes(2))) struct SessionServiceTests {
    static let eth68 = ProtocolSpec(name: "eth", version: 68, length: 17)

    static func configuration(_ protocols: [ProtocolSpec] = [eth68]) -> PeerConfiguration {
        var random = SystemRandom()
        var session = SessionConfiguration(staticKey: .random(using: &random), protocols: protocols, clientID: "serve-test")
        session.handshakeTimeout = TestTime.scaled(.seconds(5))
        session.helloTimeout = TestTime.scaled(.seconds(5))
        return PeerConfiguration(session: session)
    }

    /// The events a service reported, in order.
    final class Events: Sendable {
        let list = Mutex<[SessionService.Event]>([])
        var names: [String] {
            list.withLock { $0.map { if case .started = $0 { "started" } else { "ended" } } }
        }
    }

    static func listener(_ service: SessionService, _ events: Events, limit: Duration? = nil) async throws -> RLPxListener {
        try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: configuration()) { connection in
            await service.serve(connection, limit: limit) { event in events.list.withLock { $0.append(event) } }
        }
    }

    @Test func echoSendsEveryMessageBackAndReportsTheSession() async throws {
        let events = Events()
        let listener = try await Self.listener(.echo, events)
        let connection = try await RLPxNode.dial(listener.enodeURL, configuration: Self.configuration())
        var messages = try #require(connection.messages(for: "eth")).makeAsyncIterator()
        try await connection.send(protocol: "eth", code: 3, payload: [0xc2, 0x01, 0x02])
        let echoed = await messages.next()
        #expect(echoed?.code == 3 && echoed?.payload == [0xc2, 0x01, 0x02])
        await connection.disconnect(.requested)
        #expect(await eventually { events.names == ["started", "ended"] }, "\(events.names)")
        if case .started(let client, let protocols, _)? = events.list.withLock({ $0.first }) {
            #expect(client == "serve-test" && protocols == ["eth/68"])
        }
        await listener.close()
    }

    /// A session limit ends the session from the serving side, and the end is reported.
    @Test func aLimitEndsTheSession() async throws {
        let events = Events()
        let listener = try await Self.listener(.drop, events, limit: .milliseconds(200))
        let connection = try await RLPxNode.dial(listener.enodeURL, configuration: Self.configuration())
        try await connection.send(protocol: "eth", code: 3, payload: [0xc0])
        let end = await connection.waitUntilClosed()
        #expect(end.disconnectReason == .requested && end.origin == .remote, "\(end)")
        #expect(await eventually { events.names == ["started", "ended"] }, "\(events.names)")
        await listener.close()
    }

    /// A served chain names its head as go-ethereum does: SYNCING for a head it does not have, VALID (and
    /// transactions accepted from then on) for its own.
    @Test func aForkchoiceUpdateOnTheHeadStartsTheTransactionPool() throws {
        var blocks: [Block] = []
        var parent = Hash32()
        for number in 0..<3 {
            let base = BlockHeader.Base(
                parentHash: parent, ommersHash: Hash32(), coinbase: Address(), stateRoot: Hash32(), transactionsRoot: TrieRoot.empty,
                receiptsRoot: TrieRoot.empty, logsBloom: Bloom(), difficulty: UInt256(1), number: UInt64(number), gasLimit: 30_000_000,
                gasUsed: 0, timestamp: UInt64(number), extraData: [], mixHash: Hash32(), nonce: FixedBytes<8>())
            let header = try BlockHeader(base: base)
            parent = header.hash
            blocks.append(Block(header: header, body: BlockBody(transactions: [], ommers: [], withdrawals: nil)))
        }
        let config = ChainConfig(
            name: "test", networkID: 7, chainID: 7, genesisHash: blocks[0].header.hash, genesisTime: 0, forkBlocks: [], forkTimes: [])
        let chain = ServedChain(config: config, blocks: blocks, receipts: [], states: [], selfID: [UInt8](repeating: 1, count: 64))
        #expect(chain.summary(protocols: ServedChain.protocols).contains("state none (snap answers empty)"))
        let unknown = try #require(BlockHash(bytes: [UInt8](repeating: 0xaa, count: 32)))
        let head = try #require(BlockHash(bytes: blocks[2].header.hash.bytes))
        let update = { (hash: BlockHash) in
            ForkchoiceUpdate(version: 3, state: ForkchoiceState(head: hash, safe: hash, finalized: hash), hasPayloadAttributes: false)
        }
        #expect(chain.forkchoiceUpdated(update(unknown)).status == .syncing)
        #expect(!chain.acceptsTransactions)
        #expect(chain.forkchoiceUpdated(update(head)).status == .valid)
        #expect(chain.acceptsTransactions)
    }
}
