// SPDX-License-Identifier: Apache-2.0
import RLP

/// A genesis specification, as a go-ethereum `genesis.json` holds it: the chain's forks, the genesis header's fields
/// and the allocated accounts. ``header()`` builds the genesis block header as go-ethereum v1.17.5 does, so its hash is
/// the hash a node on this chain puts in its Status message and its fork IDs.
public struct Genesis: Sendable, Hashable {
    /// An allocated account.
    public struct Account: Sendable, Hashable {
        public var balance: UInt256
        public var nonce: UInt64
        public var code: [UInt8]
        /// Storage slots; zero values are not stored, as in go-ethereum.
        public var storage: [Hash32: Hash32]

        public init(balance: UInt256 = .zero, nonce: UInt64 = 0, code: [UInt8] = [], storage: [Hash32: Hash32] = [:]) {
            self.balance = balance
            self.nonce = nonce
            self.code = code
            self.storage = storage
        }

        /// The root of the account's storage trie.
        public var storageRoot: Hash32 {
            TrieRoot.secureRoot(
                of: storage.compactMap { slot, value in
                    let trimmed = value.bytes.drop(while: { $0 == 0 })
                    return trimmed.isEmpty ? nil : (key: slot.bytes, value: RLPWriter.encode { $0.write(bytes: trimmed) })
                })
        }

        /// The account as the state trie holds it: `[nonce, balance, storageRoot, codeHash]`.
        public var stateEncoding: [UInt8] {
            let storageRoot = self.storageRoot
            let codeHash = Hash32.keccak(code[...])
            return RLPWriter.encode { writer in
                writer.writeList { list in
                    list.write(integer: nonce)
                    list.write(balance)
                    list.write(storageRoot)
                    list.write(codeHash)
                }
            }
        }
    }

    public var chainID: UInt64
    /// The config's fork schedule: every key ending in `Block` (a block number) or `Time` (a timestamp).
    public var forks: [String: UInt64]
    public var nonce: UInt64
    public var timestamp: UInt64
    public var extraData: [UInt8]
    /// 0 means go-ethereum's default, 4,712,388.
    public var gasLimit: UInt64
    public var gasUsed: UInt64
    /// nil means go-ethereum's default (131,072) unless a mix hash is set.
    public var difficulty: UInt256?
    public var mixHash: Hash32
    public var coinbase: Address
    public var parentHash: Hash32
    public var number: UInt64
    /// nil means 1 gwei when London is active at block 0.
    public var baseFeePerGas: UInt256?
    public var excessBlobGas: UInt64?
    public var blobGasUsed: UInt64?
    /// A state root given instead of an alloc (go-ethereum's `stateHash`).
    public var stateRoot: Hash32?
    public var alloc: [Address: Account]

    public init(
        chainID: UInt64, forks: [String: UInt64] = [:], nonce: UInt64 = 0, timestamp: UInt64 = 0,
        extraData: [UInt8] = [], gasLimit: UInt64 = 0, gasUsed: UInt64 = 0, difficulty: UInt256? = nil,
        mixHash: Hash32 = Hash32(), coinbase: Address = Address(), parentHash: Hash32 = Hash32(), number: UInt64 = 0,
        baseFeePerGas: UInt256? = nil, excessBlobGas: UInt64? = nil, blobGasUsed: UInt64? = nil,
        stateRoot: Hash32? = nil, alloc: [Address: Account] = [:]
    ) {
        self.chainID = chainID
        self.forks = forks
        self.nonce = nonce
        self.timestamp = timestamp
        self.extraData = extraData
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.difficulty = difficulty
        self.mixHash = mixHash
        self.coinbase = coinbase
        self.parentHash = parentHash
        self.number = number
        self.baseFeePerGas = baseFeePerGas
        self.excessBlobGas = excessBlobGas
        self.blobGasUsed = blobGasUsed
        self.stateRoot = stateRoot
        self.alloc = alloc
    }

    /// The state root of ``alloc`` (or ``stateRoot`` when given).
    public var allocRoot: Hash32 {
        if let stateRoot { return stateRoot }
        return TrieRoot.secureRoot(of: alloc.map { (key: $0.key.bytes, value: $0.value.stateEncoding) })
    }

    /// The genesis block header: the given fields with go-ethereum's defaults, and the fields of each fork active
    /// at the genesis (London by block 0; Shanghai, Cancun and Prague by the genesis timestamp).
    /// - Throws: ``RLPError/Code/inconsistent`` when the config activates a fork at genesis without the earlier ones
    ///   (go-ethereum refuses such a config too).
    public func header() throws(RLPError) -> BlockHeader {
        let london = forks["londonBlock"].map { $0 <= number } ?? false
        func active(_ key: String) -> Bool { london && (forks[key].map { $0 <= timestamp } ?? false) }
        let base = BlockHeader.Base(
            parentHash: parentHash, ommersHash: .keccak([0xc0][...]), coinbase: coinbase, stateRoot: allocRoot,
            transactionsRoot: TrieRoot.empty, receiptsRoot: TrieRoot.empty, logsBloom: Bloom(),
            difficulty: difficulty ?? (mixHash == Hash32() ? UInt256(131_072) : .zero), number: number,
            gasLimit: gasLimit == 0 ? 4_712_388 : gasLimit, gasUsed: gasUsed, timestamp: timestamp,
            extraData: extraData, mixHash: mixHash, nonce: Self.nonceBytes(nonce))
        let order = ["shanghaiTime", "cancunTime", "pragueTime"]
        for (earlier, later) in zip(order, order.dropFirst()) where active(later) && !active(earlier) {
            throw RLPError(.inconsistent, "config: \(later) is active at genesis but \(earlier) is not", path: ["config", later])
        }
        let cancun = active("cancunTime")
        return try BlockHeader(
            base: base, baseFeePerGas: london ? baseFeePerGas ?? UInt256(1_000_000_000) : nil,
            withdrawalsRoot: active("shanghaiTime") ? TrieRoot.empty : nil,
            blobGasUsed: cancun ? blobGasUsed ?? 0 : nil, excessBlobGas: cancun ? excessBlobGas ?? 0 : nil,
            parentBeaconBlockRoot: cancun ? Hash32() : nil,
            requestsHash: active("pragueTime") ? Self.emptyRequestsHash : nil)
    }

    /// The chain's fork-ID view: its genesis hash, timestamp and fork schedule.
    public func chainConfig(name: String) throws(RLPError) -> ChainConfig {
        ChainConfig(
            name: name, networkID: chainID, chainID: chainID, genesisHash: try header().hash, genesisTime: timestamp,
            gethConfig: forks.map { (key: $0.key, value: $0.value) })
    }

    private static func nonceBytes(_ nonce: UInt64) -> FixedBytes<8> {
        var bytes = FixedBytes<8>()
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: nonce.bigEndian, as: UInt64.self) }
        return bytes
    }

    /// EIP-7685's commitment to no requests: SHA-256 of the empty string.
    static let emptyRequestsHash =
        (try? Hash32(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        ?? Hash32()
}
