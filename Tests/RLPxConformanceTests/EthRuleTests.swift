// SPDX-License-Identifier: Apache-2.0
import Eth
import RLP
import RLPxConformance
import RLPxTestSupport
import Snap
import Testing

/// One connection's events, written as a script: each eth or snap message is encoded and decoded again exactly as
/// the replay decodes it, so the rules see what they would see on the wire.
struct EventScript {
    var events: [ConnectionEvent] = []
    var time = 1_764_000_000.0
    let version: UInt

    init(version: UInt = 69) {
        self.version = version
        events.append(ConnectionEvent(connection: 1, time: time, kind: .opened(initiator: "a", recipient: "b")))
    }

    mutating func eth(_ side: Side, _ message: EthMessage, version: UInt? = nil) {
        let version = version ?? self.version
        raw(side, "eth", version: version, code: message.code, payload: message.encoded(version: version))
    }

    mutating func snap(_ side: Side, _ message: SnapMessage) {
        raw(side, "snap", version: 1, code: message.code, payload: message.encoded())
    }

    mutating func raw(_ side: Side, _ protocolName: String, version: UInt, code: UInt64, payload: [UInt8]) {
        time += 0.01
        let offset: UInt64 = protocolName == "eth" ? 16 : 34
        let message = DecodedMessage.subprotocol(protocolName, version: version, code: code, wireCode: offset + code, payload: payload)
        events.append(ConnectionEvent(connection: 1, time: time, kind: .message(side, message)))
    }

    /// The findings of `rule` over the script, the connection closed at the end.
    func findings(_ rule: any ConnectionRule.Type, chain: ChainConfig? = nil) -> [Finding] {
        var engine = RuleEngine(rules: [rule], configuration: RuleConfiguration(chain: chain))
        let closed = ConnectionEvent(connection: 1, time: time + 1, kind: .closed)
        return (events + [closed]).flatMap { engine.consume($0) }
    }

    /// The details of the findings of `rule`, at `severity` (breaches by default).
    func details(_ rule: any ConnectionRule.Type, severity: Severity = .breach, chain: ChainConfig? = nil) -> [String] {
        findings(rule, chain: chain).filter { $0.severity == severity }.map(\.detail)
    }
}

enum EthFixtures {
    static let genesis = ChainConfig.mainnet.genesisHash
    static let time: UInt64 = 1_764_000_000

    static func status(version: UInt32 = 69, network: UInt64 = 1, forkID: ForkID? = nil, earliest: UInt64 = 0, latest: UInt64 = 23_000_000)
        -> EthMessage
    {
        .status(
            Status(
                version: version, networkID: network, genesis: genesis,
                forkID: forkID ?? ChainConfig.mainnet.forkID(head: latest, time: time),
                head: .range(BlockRange(earliest: earliest, latest: latest, latestHash: Hash32(Array(repeating: 7, count: 32)) ?? Hash32()))))
    }

    static func header(_ number: UInt64) throws -> BlockHeader {
        let base = BlockHeader.Base(
            parentHash: Hash32(), ommersHash: Hash32(), coinbase: Address(), stateRoot: Hash32(), transactionsRoot: Hash32(),
            receiptsRoot: Hash32(), logsBloom: Bloom(), difficulty: .zero, number: number, gasLimit: 30_000_000, gasUsed: 0,
            timestamp: number * 12, extraData: [], mixHash: Hash32(), nonce: FixedBytes<8>())
        return try BlockHeader(base: base)
    }

    /// Transactions signed by eth-account (`Vectors/eth/pyevm.json`), by type.
    static func transactions(type: Int) throws -> [Transaction] {
        let file = try #require(try Vectors.project("eth/pyevm.json") as? [String: Any])
        let entries = try #require(file["transactions"] as? [[String: Any]])
        return try entries.filter { $0["type"] as? Int == type }.map { try Transaction(binary: try Vectors.bytes($0["hex"])) }
    }

    static func networkBlob() throws -> Transaction {
        let file = try #require(try Vectors.project("eth/pyevm.json") as? [String: Any])
        let entry = try #require((file["network_form"] as? [[String: Any]])?.first)
        return try Transaction(binary: try Vectors.bytes(entry["hex"]))
    }

    static func hash(_ byte: UInt8) -> Hash32 { Hash32(Array(repeating: 0, count: 31) + [byte]) ?? Hash32() }

    static func account(_ byte: UInt8) -> AccountEntry {
        let slim = SlimAccount(nonce: 1, balance: UInt256(5), storageRoot: nil, codeHash: nil)
        return AccountEntry(hash: hash(byte), account: slim, bodyEncoding: slim.rlpEncoded()[...])
    }
}

@Suite struct EthStatusRuleTests {
    @Test func statusFirstAndOnce() {
        var clean = EventScript()
        clean.eth(.initiator, EthFixtures.status())
        clean.eth(.recipient, EthFixtures.status())
        clean.eth(.initiator, .transactions([]))
        #expect(clean.details(StatusFirstRule.self).isEmpty)

        var early = EventScript()
        early.eth(.initiator, .transactions([]))
        early.eth(.initiator, EthFixtures.status())
        early.eth(.recipient, EthFixtures.status())
        early.eth(.recipient, EthFixtures.status())
        #expect(early.details(StatusFirstRule.self) == ["the first eth message is Transactions, not Status", "a second Status"])
        #expect(early.findings(StatusFirstRule.self).map(\.side) == [.initiator, .recipient])
    }

    @Test func statusVersionNetworkAndGenesisAgree() {
        var clean = EventScript()
        clean.eth(.initiator, EthFixtures.status())
        clean.eth(.recipient, EthFixtures.status())
        #expect(clean.details(StatusMatchRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.initiator, EthFixtures.status(version: 68))
        broken.eth(.recipient, EthFixtures.status(network: 11_155_111))
        #expect(
            broken.details(StatusMatchRule.self) == [
                "Status says eth/68, the connection matched eth/69", "network IDs differ: initiator 1, recipient 11155111",
            ])
    }

    @Test func forkIDsAgainstAChainOrReported() {
        var clean = EventScript()
        clean.eth(.initiator, EthFixtures.status())
        #expect(clean.details(ForkIDRule.self, chain: .mainnet).isEmpty)
        #expect(clean.details(ForkIDRule.self, severity: .informational).count == 1, "reported without a chain")
        #expect(clean.details(ForkIDRule.self).isEmpty)

        var stale = EventScript()
        stale.eth(.recipient, EthFixtures.status(forkID: ForkID(hash: FixedBytes<4>([0xde, 0xad, 0xbe, 0xef]) ?? FixedBytes<4>(), next: 0)))
        let details = stale.details(ForkIDRule.self, chain: .mainnet)
        #expect(details.count == 1 && details.first?.contains("localIncompatibleOrStale") == true, "\(details)")
        #expect(stale.findings(ForkIDRule.self, chain: .mainnet).first?.side == .recipient)
    }

    @Test func blockRangeIsOrderedAndMonotone() {
        var clean = EventScript()
        clean.eth(.initiator, EthFixtures.status(latest: 100))
        clean.eth(.initiator, .blockRangeUpdate(BlockRange(earliest: 0, latest: 101, latestHash: EthFixtures.hash(1))))
        #expect(clean.details(BlockRangeRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.initiator, EthFixtures.status(latest: 100))
        broken.eth(.initiator, .blockRangeUpdate(BlockRange(earliest: 50, latest: 40, latestHash: EthFixtures.hash(1))))
        broken.eth(.initiator, .blockRangeUpdate(BlockRange(earliest: 0, latest: 120, latestHash: Hash32())))
        #expect(
            broken.details(BlockRangeRule.self) == [
                "BlockRangeUpdate: earliest #50 is after latest #40", "BlockRangeUpdate: latest went back from #100 to #40",
                "BlockRangeUpdate: the latest block hash is zero",
            ])
    }

    @Test func noBlockAnnouncementsFromEth69() {
        let announcement = EthMessage.newBlockHashes([BlockAnnouncement(hash: EthFixtures.hash(1), number: 5)])
        var old = EventScript(version: 68)
        old.eth(.initiator, announcement)
        #expect(old.details(NoBlockAnnouncementsRule.self).isEmpty)

        var new = EventScript(version: 69)
        new.raw(.initiator, "eth", version: 69, code: 1, payload: announcement.encoded(version: 68))
        new.raw(.recipient, "eth", version: 70, code: 7, payload: [0xc0])
        #expect(new.details(NoBlockAnnouncementsRule.self) == ["NewBlockHashes on eth/69", "NewBlock on eth/70"])
    }
}

@Suite struct ExchangeRuleTests {
    static let request = HeaderRequest(origin: .number(100), amount: 3, skip: 1, reverse: true)

    @Test func responsesAnswerOutstandingRequestsOnce() throws {
        var clean = EventScript()
        clean.eth(.initiator, .getBlockHeaders(requestID: 7, Self.request))
        clean.eth(.recipient, .blockHeaders(requestID: 7, [try EthFixtures.header(100)]))
        clean.snap(.recipient, .getByteCodes(requestID: 7, hashes: [EthFixtures.hash(1)], responseBytes: 1000))
        clean.snap(.initiator, .byteCodes(requestID: 7, codes: [[0x60][...]]))
        #expect(clean.details(ResponseIDRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.recipient, .blockHeaders(requestID: 1, []))  // never asked
        broken.eth(.initiator, .getBlockBodies(requestID: 2, [EthFixtures.hash(1)]))
        broken.eth(.recipient, .blockBodies(requestID: 2, []))
        broken.eth(.recipient, .blockBodies(requestID: 2, []))  // answered twice
        broken.eth(.initiator, .getReceipts(requestID: 3, firstBlockReceiptIndex: nil, [EthFixtures.hash(1)]))
        broken.eth(.recipient, .blockBodies(requestID: 3, []))  // the wrong kind
        broken.eth(.recipient, .receipts(requestID: 3, lastBlockIncomplete: nil, []))
        let findings = broken.findings(ResponseIDRule.self)
        #expect(
            findings.map(\.detail) == [
                "BlockHeaders id=1 answers no outstanding request (never asked, or already answered)",
                "BlockBodies id=2 answers no outstanding request (never asked, or already answered)",
                "BlockBodies id=3 answers no outstanding request (never asked, or already answered)",
            ])
        #expect(findings.allSatisfy { $0.side == .recipient })
    }

    @Test func headersFollowTheRequestedSequence() throws {
        var clean = EventScript()
        clean.eth(.initiator, .getBlockHeaders(requestID: 1, Self.request))
        clean.eth(.recipient, .blockHeaders(requestID: 1, try [100, 98, 96].map(EthFixtures.header)))
        clean.eth(.initiator, .getBlockHeaders(requestID: 2, Self.request))
        clean.eth(.recipient, .blockHeaders(requestID: 2, try [100, 98].map(EthFixtures.header)))  // fewer is allowed
        #expect(clean.details(ResponseCountRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.initiator, .getBlockHeaders(requestID: 1, Self.request))
        broken.eth(.recipient, .blockHeaders(requestID: 1, try [100, 98, 96, 94].map(EthFixtures.header)))
        broken.eth(.initiator, .getBlockHeaders(requestID: 2, Self.request))
        broken.eth(.recipient, .blockHeaders(requestID: 2, try [100, 99].map(EthFixtures.header)))
        broken.eth(.initiator, .getBlockHeaders(requestID: 3, Self.request))
        broken.eth(.recipient, .blockHeaders(requestID: 3, try [101].map(EthFixtures.header)))
        broken.eth(.initiator, .getBlockBodies(requestID: 4, [EthFixtures.hash(1)]))
        broken.eth(
            .recipient,
            .blockBodies(
                requestID: 4, [BlockBody(transactions: [], ommers: [], withdrawals: nil), BlockBody(transactions: [], ommers: [], withdrawals: nil)]))
        #expect(
            broken.details(ResponseCountRule.self) == [
                "BlockHeaders id=1 holds 4 items; GetBlockHeaders asked for 3",
                "BlockHeaders id=2: header 1 is #99, expected #98 (skip 1, reverse true)",
                "BlockHeaders id=3: the first header is #101, the request starts at #100",
                "BlockBodies id=4 holds 2 items; GetBlockBodies asked for 1",
            ])
    }

    @Test func responsesStayWithinServingLimits() throws {
        var clean = EventScript()
        clean.snap(.initiator, .getByteCodes(requestID: 1, hashes: [1, 2, 3].map(EthFixtures.hash), responseBytes: 1000))
        clean.snap(.recipient, .byteCodes(requestID: 1, codes: [Array(repeating: 1, count: 600)[...], Array(repeating: 2, count: 600)[...]]))
        #expect(clean.details(ResponseLimitRule.self, severity: .nonStrict).isEmpty, "over by its last item only")

        var broken = EventScript()
        broken.snap(.initiator, .getByteCodes(requestID: 1, hashes: [1, 2, 3].map(EthFixtures.hash), responseBytes: 1000))
        broken.snap(.recipient, .byteCodes(requestID: 1, codes: [1, 2, 3].map { Array(repeating: $0, count: 600)[...] }))
        broken.eth(.initiator, .getBlockHeaders(requestID: 2, HeaderRequest(origin: .number(0), amount: 2000, skip: 0, reverse: false)))
        broken.eth(.recipient, .blockHeaders(requestID: 2, try (0..<1025).map(EthFixtures.header)))
        let details = broken.details(ResponseLimitRule.self, severity: .nonStrict)
        #expect(details.count == 2)
        #expect(details.first?.hasPrefix("ByteCodes id=1 is 1816 bytes and still 1213 without its last item") == true, "\(details)")
        #expect(details.last == "BlockHeaders id=2 holds 1025 items, above go-ethereum's 1024")
    }

    @Test func unansweredRequestsAreInformational() {
        var script = EventScript()
        script.eth(.initiator, .getBlockHeaders(requestID: 9, Self.request))
        script.eth(.initiator, .getPooledTransactions(requestID: 10, [EthFixtures.hash(1)]))
        script.eth(.recipient, .pooledTransactions(requestID: 10, []))
        let findings = script.findings(UnansweredRequestsRule.self)
        #expect(findings.map(\.detail) == ["1 request from the initiator unanswered at the end: GetBlockHeaders id=9"])
        #expect(findings.first?.severity == .informational && findings.first?.side == .recipient)

        var answered = EventScript()
        answered.eth(.initiator, .getBlockHeaders(requestID: 9, Self.request))
        answered.eth(.recipient, .blockHeaders(requestID: 9, []))
        #expect(answered.findings(UnansweredRequestsRule.self).isEmpty)
    }
}

@Suite struct TransactionRuleTests {
    @Test func announcementsHaveEqualLengths() {
        var clean = EventScript()
        clean.eth(.initiator, .newPooledTransactionHashes(TransactionAnnouncement(types: [2], sizes: [100], hashes: [EthFixtures.hash(1)])))
        #expect(clean.details(AnnouncementLengthsRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.initiator, .newPooledTransactionHashes(TransactionAnnouncement(types: [2, 2], sizes: [100], hashes: [EthFixtures.hash(1)])))
        #expect(broken.details(AnnouncementLengthsRule.self) == ["2 types, 1 sizes, 1 hashes"])
    }

    @Test func deliveredTransactionsMatchTheirAnnouncements() throws {
        let dynamic = try #require(try EthFixtures.transactions(type: 2).first)
        let announced = TransactionAnnouncement(types: [2], sizes: [UInt32(dynamic.encoded.count)], hashes: [dynamic.hash])
        var clean = EventScript()
        clean.eth(.recipient, .newPooledTransactionHashes(announced))
        clean.eth(.initiator, .getPooledTransactions(requestID: 1, [dynamic.hash]))
        clean.eth(.recipient, .pooledTransactions(requestID: 1, [dynamic]))
        #expect(clean.details(AnnouncementMatchRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(
            .recipient,
            .newPooledTransactionHashes(TransactionAnnouncement(types: [1], sizes: [UInt32(dynamic.encoded.count)], hashes: [dynamic.hash])))
        broken.eth(.recipient, .pooledTransactions(requestID: 1, [dynamic]))
        broken.eth(.recipient, .newPooledTransactionHashes(TransactionAnnouncement(types: [2], sizes: [7], hashes: [dynamic.hash])))
        broken.eth(.recipient, .pooledTransactions(requestID: 2, [dynamic]))
        // Announced by the other side: not this side's promise.
        broken.eth(.initiator, .pooledTransactions(requestID: 3, [dynamic]))
        #expect(
            broken.details(AnnouncementMatchRule.self) == [
                "transaction \(dynamic.hash) was announced as type 1, delivered as type 2",
                "transaction \(dynamic.hash) was announced as 7 bytes, delivered as \(dynamic.encoded.count)",
            ])
    }

    @Test func blobTransactionsAreNeverBroadcastAndFetchedWithSidecars() throws {
        let canonicalBlob = try #require(try EthFixtures.transactions(type: 3).first)
        let networkBlob = try EthFixtures.networkBlob()
        let legacy = try #require(try EthFixtures.transactions(type: 0).first)
        var clean = EventScript()
        clean.eth(.initiator, .transactions([legacy]))
        clean.eth(.initiator, .pooledTransactions(requestID: 1, [legacy, networkBlob]))
        #expect(clean.details(BlobBroadcastRule.self).isEmpty && clean.details(BlobNetworkFormRule.self).isEmpty)

        var broken = EventScript()
        broken.eth(.initiator, .transactions([legacy, canonicalBlob]))
        broken.eth(.recipient, .pooledTransactions(requestID: 1, [canonicalBlob]))
        #expect(broken.details(BlobBroadcastRule.self) == ["Transactions broadcast holds blob transaction \(canonicalBlob.hash)"])
        #expect(
            broken.details(BlobNetworkFormRule.self) == ["PooledTransactions id=1 holds blob transaction \(canonicalBlob.hash) without its sidecar"])
    }
}

@Suite struct SnapRuleTests {
    static let root = EthFixtures.hash(0xaa)
    static let allOnes = Hash32(Array(repeating: 0xff, count: 32)) ?? Hash32()

    @Test func accountRangesAreOrderedFromTheOriginWithProofs() {
        var clean = EventScript()
        clean.snap(
            .initiator,
            .getAccountRange(
                requestID: 1, AccountRangeRequest(root: Self.root, origin: EthFixtures.hash(2), limit: EthFixtures.hash(5), responseBytes: 1000)))
        clean.snap(.recipient, .accountRange(requestID: 1, accounts: [2, 4, 9].map(EthFixtures.account), proof: [[0xc0][...]]))
        clean.snap(
            .initiator,
            .getAccountRange(requestID: 2, AccountRangeRequest(root: Self.root, origin: Hash32(), limit: Self.allOnes, responseBytes: 1000)))
        clean.snap(.recipient, .accountRange(requestID: 2, accounts: [1].map(EthFixtures.account), proof: []))
        #expect(clean.details(AccountRangeRule.self).isEmpty)

        var broken = EventScript()
        broken.snap(
            .initiator,
            .getAccountRange(
                requestID: 1, AccountRangeRequest(root: Self.root, origin: EthFixtures.hash(2), limit: EthFixtures.hash(5), responseBytes: 1000)))
        broken.snap(.recipient, .accountRange(requestID: 1, accounts: [1, 4].map(EthFixtures.account), proof: [[0xc0][...]]))
        broken.snap(
            .initiator,
            .getAccountRange(
                requestID: 2, AccountRangeRequest(root: Self.root, origin: EthFixtures.hash(2), limit: EthFixtures.hash(5), responseBytes: 1000)))
        broken.snap(.recipient, .accountRange(requestID: 2, accounts: [3, 3].map(EthFixtures.account), proof: [[0xc0][...]]))
        broken.snap(
            .initiator,
            .getAccountRange(
                requestID: 3, AccountRangeRequest(root: Self.root, origin: EthFixtures.hash(2), limit: EthFixtures.hash(5), responseBytes: 1000)))
        broken.snap(.recipient, .accountRange(requestID: 3, accounts: [3, 7, 8].map(EthFixtures.account), proof: []))
        let details = broken.details(AccountRangeRule.self)
        #expect(details.count == 4, "\(details)")
        #expect(details.first?.contains("is before the origin") == true)
        #expect(details.contains { $0.hasPrefix("AccountRange id=2: hash 1") && $0.contains("does not follow") })
        #expect(details.contains { $0.hasPrefix("AccountRange id=3: hashes past the limit") })
        #expect(details.contains { $0.hasPrefix("AccountRange id=3: no proof") })
    }

    @Test func storageRangesAreOrderedPerAccount() {
        let request = StorageRangesRequest(root: Self.root, accounts: [1, 2].map(EthFixtures.hash), origin: [], limit: [], responseBytes: 1000)
        let slot = { (byte: UInt8) in StorageSlot(hash: EthFixtures.hash(byte), data: [byte]) }
        var clean = EventScript()
        clean.snap(.initiator, .getStorageRanges(requestID: 1, request))
        clean.snap(.recipient, .storageRanges(requestID: 1, slots: [[slot(1), slot(2)], [slot(1)]], proof: []))
        #expect(clean.details(StorageRangesRule.self).isEmpty)

        var broken = EventScript()
        broken.snap(.initiator, .getStorageRanges(requestID: 1, request))
        broken.snap(.recipient, .storageRanges(requestID: 1, slots: [[slot(1)], [slot(3), slot(2)]], proof: []))
        var fromOrigin = request
        fromOrigin.origin = EthFixtures.hash(5).bytes
        broken.snap(.initiator, .getStorageRanges(requestID: 2, fromOrigin))
        broken.snap(.recipient, .storageRanges(requestID: 2, slots: [[slot(6)]], proof: []))
        let details = broken.details(StorageRangesRule.self)
        #expect(details.count == 2, "\(details)")
        #expect(details.first?.hasPrefix("StorageRanges id=1 account 1: hash 1") == true)
        #expect(details.last?.hasPrefix("StorageRanges id=2: no proof") == true)
    }
}
