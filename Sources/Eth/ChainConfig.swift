// SPDX-License-Identifier: Apache-2.0
import RLP

/// What fork IDs need to know of a chain: its genesis, and when each fork activates (by block, then by time).
///
/// Built-in configurations follow go-ethereum v1.17.5's `params/config.go`; a private network's come from its
/// `genesis.json` config block (``init(name:networkID:chainID:genesisHash:genesisTime:gethConfig:)``).
public struct ChainConfig: Sendable, Hashable {
    public var name: String
    public var networkID: UInt64
    public var chainID: UInt64
    public var genesisHash: Hash32
    /// The genesis block's timestamp: time forks at or before it are not counted.
    public var genesisTime: UInt64
    /// Block numbers of the block-scheduled forks (any order, duplicates and 0 allowed).
    public var forkBlocks: [UInt64]
    /// Timestamps of the time-scheduled forks (any order, duplicates allowed).
    public var forkTimes: [UInt64]

    public init(
        name: String, networkID: UInt64, chainID: UInt64, genesisHash: Hash32, genesisTime: UInt64,
        forkBlocks: [UInt64], forkTimes: [UInt64]
    ) {
        self.name = name
        self.networkID = networkID
        self.chainID = chainID
        self.genesisHash = genesisHash
        self.genesisTime = genesisTime
        self.forkBlocks = forkBlocks
        self.forkTimes = forkTimes
    }

    /// A chain from go-ethereum `genesis.json` terms: every `config` key ending in `Block` is a block fork and every
    /// key ending in `Time` a time fork, as go-ethereum's fork ID code gathers them.
    /// - Parameter gethConfig: the numeric entries of the `config` object (other entries are ignored).
    public init(
        name: String, networkID: UInt64, chainID: UInt64, genesisHash: Hash32, genesisTime: UInt64,
        gethConfig: [(key: String, value: UInt64)]
    ) {
        self.init(
            name: name, networkID: networkID, chainID: chainID, genesisHash: genesisHash, genesisTime: genesisTime,
            forkBlocks: gethConfig.filter { $0.key.hasSuffix("Block") }.map(\.value),
            forkTimes: gethConfig.filter { $0.key.hasSuffix("Time") }.map(\.value))
    }

    /// Ethereum mainnet.
    public static let mainnet = ChainConfig(
        name: "mainnet", networkID: 1, chainID: 1,
        genesisHash: hash("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), genesisTime: 0,
        forkBlocks: [
            1_150_000, 1_920_000, 2_463_000, 2_675_000, 2_675_000, 4_370_000, 7_280_000, 7_280_000, 9_069_000,
            9_200_000, 12_244_000, 12_965_000, 13_773_000, 15_050_000,
        ],
        forkTimes: [1_681_338_455, 1_710_338_135, 1_746_612_311, 1_764_798_551, 1_765_290_071, 1_767_747_671])

    /// The Sepolia test network.
    public static let sepolia = ChainConfig(
        name: "sepolia", networkID: 11_155_111, chainID: 11_155_111,
        genesisHash: hash("25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9"),
        genesisTime: 1_633_267_481, forkBlocks: [0, 1_735_371],
        forkTimes: [1_677_557_088, 1_706_655_072, 1_741_159_776, 1_760_427_360, 1_761_017_184, 1_761_607_008])

    /// The Holesky test network.
    public static let holesky = ChainConfig(
        name: "holesky", networkID: 17000, chainID: 17000,
        genesisHash: hash("b5f7f912443c940f21fd611f12828d75b534364ed9e95ca4e307729a4661bde4"),
        genesisTime: 1_695_902_100, forkBlocks: [0],
        forkTimes: [1_696_000_704, 1_707_305_664, 1_740_434_112, 1_759_308_480, 1_759_800_000, 1_760_389_824])

    /// The Hoodi test network.
    public static let hoodi = ChainConfig(
        name: "hoodi", networkID: 560_048, chainID: 560_048,
        genesisHash: hash("bbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b"),
        genesisTime: 1_742_212_800, forkBlocks: [0],
        forkTimes: [0, 0, 1_742_999_832, 1_761_677_592, 1_762_365_720, 1_762_955_544])

    /// The built-in chains by name.
    public static let builtIn: [String: ChainConfig] = [
        "mainnet": mainnet, "sepolia": sepolia, "holesky": holesky, "hoodi": hoodi,
    ]

    private static func hash(_ hex: String) -> Hash32 { (try? Hash32(hex: hex)) ?? Hash32() }
}
