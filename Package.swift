// swift-tools-version:6.2
// SPDX-License-Identifier: Apache-2.0
import CompilerPluginSupport
import PackageDescription

/// Strictness every target opts into.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-rlpx",
    // Built and tested on Linux. macOS needs version 26 for InlineArray and value generics (untested here).
    platforms: [.macOS(.v26)],
    products: [
        .library(name: "RLP", targets: ["RLP"]),
        .library(name: "RLPMacros", targets: ["RLPMacros"]),
        .library(name: "Keccak", targets: ["Keccak"]),
        .library(name: "RLPxCrypto", targets: ["RLPxCrypto"]),
        .library(name: "RLPxHandshake", targets: ["RLPxHandshake"]),
        .library(name: "RLPxFraming", targets: ["RLPxFraming"]),
        .library(name: "RLPxMultiplexing", targets: ["RLPxMultiplexing"]),
        .library(name: "DevP2P", targets: ["DevP2P"]),
        .library(name: "RLPxPeer", targets: ["RLPxPeer"]),
        .library(name: "Trie", targets: ["Trie"]),
        .library(name: "Eth", targets: ["Eth"]),
        .library(name: "EthState", targets: ["EthState"]),
        .library(name: "EngineAPI", targets: ["EngineAPI"]),
        .library(name: "TxPool", targets: ["TxPool"]),
        .library(name: "Snap", targets: ["Snap"]),
        .library(name: "RLPxProtocols", targets: ["RLPxProtocols"]),
        .library(name: "RLPxEvents", targets: ["RLPxEvents"]),
        .library(name: "RLPxCapture", targets: ["RLPxCapture"]),
        .library(name: "RLPxConformance", targets: ["RLPxConformance"]),
        .library(name: "RLPxProbe", targets: ["RLPxProbe"]),
        .library(name: "RLPxServe", targets: ["RLPxServe"]),
        .library(name: "RLPxHTMLReport", targets: ["RLPxHTMLReport"]),
        .library(name: "RLPxInspect", targets: ["RLPxInspect"]),
        .library(name: "RLPxFuzz", targets: ["RLPxFuzz"]),
        .library(name: "Discv5", targets: ["Discv5"]),
        .library(name: "RLPxKit", targets: ["RLPxKit"]),
        .library(name: "Discovery", targets: ["Discovery"]),
        .library(name: "DiscoveryPeer", targets: ["DiscoveryPeer"]),
        .executable(name: "rlpx-tool", targets: ["RLPxTool"]),
        .executable(name: "rlpx-bench", targets: ["RLPxBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", "602.0.0"..<"604.0.0"),
    ],
    targets: [
        // Pure layers: no dependencies, not even Foundation.
        .target(name: "RLP", swiftSettings: strict),
        // Keccak with AVX-512: one state (AVX-512VL) and eight at once (C with function-level target attributes, no flags).
        .target(name: "CKeccak"),
        .target(name: "Keccak", dependencies: ["CKeccak"], swiftSettings: strict),
        // `@RLPList`: a struct's RLPCodable conformance as the list of its stored properties, generated at compile
        // time (the expansion is the code one writes by hand: same speed; Codable decodes 10-20x slower).
        .macro(
            name: "RLPMacroPlugin",
            dependencies: [
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .target(name: "RLPMacros", dependencies: ["RLP", "RLPMacroPlugin"], swiftSettings: strict),
        // Debian's libsecp256k1 (ecdh and recovery modules), found through pkg-config.
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // Debian's OpenSSL libcrypto: AES (key schedule expanded once, CTR streams kept), SHA-256, HMAC.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // All cryptography: secp256k1, AES-CTR streams, the RLPx MAC, concat KDF, ECIES.
        .target(name: "RLPxCrypto", dependencies: ["CSecp256k1", "COpenSSL", "Keccak", "RLP"], swiftSettings: strict),
        // The handshake: auth and ack in both formats, per-role state machines, session secrets.
        .target(name: "RLPxHandshake", dependencies: ["RLP", "Keccak", "RLPxCrypto"], swiftSettings: strict),
        // Debian's libsnappy (raw block format).
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        // Frames: AES-256-CTR + keccak MAC, sealing and incremental opening; messages and snappy.
        .target(name: "RLPxFraming", dependencies: ["RLP", "CSnappy", "RLPxCrypto", "RLPxHandshake"], swiftSettings: strict),
        // Capability matching and the code space of a connection.
        .target(name: "RLPxMultiplexing", dependencies: ["RLP"], swiftSettings: strict),
        // The base protocol and the sans-I/O session state machine.
        .target(
            name: "DevP2P", dependencies: ["RLP", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing"],
            swiftSettings: strict),
        // SwiftNIO sockets and timers around the session (I/O is here, in EngineAPI, RLPxProbe, RLPxCapture and the tool).
        .target(
            name: "RLPxPeer",
            dependencies: [
                "DevP2P", "RLP", "RLPxCrypto", "RLPxHandshake", "RLPxMultiplexing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // Node discovery codecs: node records (EIP-778), discv4 packets, the Kademlia table. Pure.
        .target(name: "Discovery", dependencies: ["RLP", "Keccak", "RLPxCrypto"], swiftSettings: strict),
        // discv4 on a UDP socket (SwiftNIO): the Discovery module's responder with a clock and waits for answers.
        .target(
            name: "DiscoveryPeer",
            dependencies: [
                "Discovery", "Discv5", "RLP", "RLPxCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // Merkle Patricia tries: roots, proofs, snap range proofs, nodes by path. Pure.
        .target(name: "Trie", dependencies: ["RLP", "Keccak"], swiftSettings: strict),
        // The eth wire protocol (eth/68 to eth/72): messages, transactions, headers, receipts, fork IDs. Pure.
        .target(name: "Eth", dependencies: ["RLP", "RLPMacros", "Keccak", "RLPxCrypto", "Trie"], swiftSettings: strict),
        // Account state as a node holds it (state and storage tries), from go-ethereum's state dumps. Pure.
        .target(name: "EthState", dependencies: ["Eth", "RLP", "Keccak", "Trie"], swiftSettings: strict),
        // The snap wire protocol (snap/1 and snap/2), and answering it from state. Pure.
        .target(name: "Snap", dependencies: ["Eth", "EthState", "RLP", "RLPMacros", "Trie"], swiftSettings: strict),
        // The Engine API subset go-ethereum's devp2p suite uses: JWT (HS256), an HTTP JSON-RPC server and client on
        // SwiftNIO (I/O, like RLPxPeer: the probe posts the head to a node, serve answers a consensus client).
        .target(
            name: "EngineAPI",
            dependencies: [
                "COpenSSL", "RLP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // go-ethereum's transaction pool and fetcher as a pure state machine: validation, pending/queued, fetching,
        // propagation.
        .target(name: "TxPool", dependencies: ["Eth", "RLP", "COpenSSL"], swiftSettings: strict),
        // Node discovery v5.1 (discv5-wire.md): masked packets, handshake and session crypto, messages. Pure.
        .target(name: "Discv5", dependencies: ["RLP", "Discovery", "RLPxCrypto", "COpenSSL"], swiftSettings: strict),
        // Debian's libpcap: reading pcap and pcapng.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // glibc's mallopt, for the command line's allocator tuning (part of libc: nothing to link).
        .systemLibrary(name: "CMalloc"),
        // What the package knows of eth and snap beyond their codecs: the known versions' code spaces and a message
        // decoded by whichever of the two owns it. Pure; below both the events and the renderers.
        .target(name: "RLPxProtocols", dependencies: ["RLP", "RLPxMultiplexing", "Eth", "Snap"], swiftSettings: strict),
        // The typed events a replay or a live session raises and rules consume. Pure.
        .target(
            name: "RLPxEvents",
            dependencies: ["RLP", "DevP2P", "RLPxFraming", "RLPxHandshake", "RLPxProtocols", "RLPxMultiplexing", "Discovery", "Discv5"],
            swiftSettings: strict),
        // Captures: packets, TCP streams, and the replay of RLPx sessions with a key log.
        .target(
            name: "RLPxCapture",
            dependencies: [
                "CPcap", "RLP", "Keccak", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "RLPxProtocols",
                "RLPxEvents", "Discovery", "Discv5",
            ],
            swiftSettings: strict),
        // The rule engine: rules as types over the event stream, their registry, and the report writers.
        .target(
            name: "RLPxConformance",
            dependencies: [
                "RLP", "DevP2P", "Eth", "Snap", "RLPxEvents", "RLPxCapture", "RLPxFraming", "RLPxHandshake", "RLPxInspect", "RLPxMultiplexing",
                "RLPxProtocols", "Discovery", "Discv5",
            ],
            swiftSettings: strict),
        // The live probe: named tests against a running node over blocking sockets, each on fresh connections.
        .target(
            name: "RLPxProbe",
            dependencies: [
                "RLP", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "Eth", "Snap", "EthState", "RLPxEvents",
                "RLPxConformance", "RLPxInspect", "RLPxProtocols", "EngineAPI",
            ],
            swiftSettings: strict),
        // Serving peers over RLPxPeer: echoing, or a chain's eth and snap as go-ethereum does, with its pool.
        .target(
            name: "RLPxServe",
            dependencies: [
                "DevP2P", "EngineAPI", "Eth", "EthState", "RLP", "RLPxCrypto", "RLPxInspect", "RLPxMultiplexing", "RLPxPeer", "Snap",
                "TxPool", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // HTML reports of conformance and probe runs: one self-contained page (inline CSS, script and SVG ladders),
        // bounded whatever the run. Pure: the commands hand it events and write what it renders.
        .target(
            name: "RLPxHTMLReport",
            dependencies: ["DevP2P", "RLP", "RLPxEvents", "RLPxCapture", "RLPxConformance", "RLPxInspect", "RLPxMultiplexing", "RLPxProbe"],
            swiftSettings: strict),
        // Fuzz target bodies: used by Tools/fuzz (libFuzzer) and replayed by unit tests.
        .target(
            name: "RLPxFuzz",
            dependencies: [
                "RLP", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "RLPxCapture", "RLPxInspect",
                "RLPxProtocols", "RLPxConformance", "Eth", "Snap", "Discovery", "Discv5", "Keccak",
            ],
            swiftSettings: strict),
        // Renders bytes as trees for people and JSON for programs; shared by the CLI and its tests.
        .target(
            name: "RLPxInspect",
            dependencies: ["RLP", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "Eth", "Snap", "RLPxProtocols"],
            swiftSettings: strict),
        // Everything in one import.
        .target(
            name: "RLPxKit",
            dependencies: [
                "RLP", "Keccak", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "RLPxPeer",
                "RLPxProtocols", "RLPxEvents", "RLPxCapture", "RLPxConformance", "RLPxInspect", "Eth", "Snap",
            ], swiftSettings: strict),
        .executableTarget(
            name: "RLPxTool",
            dependencies: [
                "RLP", "Keccak", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "RLPxInspect", "RLPxProtocols", "DevP2P",
                "RLPxPeer", "RLPxCapture", "RLPxConformance", "RLPxProbe", "RLPxServe", "RLPxHTMLReport", "CMalloc", "Eth", "Snap", "EthState",
                "EngineAPI", "TxPool", "Discovery", "DiscoveryPeer", "Discv5",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RLPxBench",
            dependencies: ["RLP", "Keccak", "COpenSSL", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "DevP2P", "Eth"],
            path: "Tools/bench/RLPxBench",
            swiftSettings: strict
        ),
        .target(name: "RLPxTestSupport", dependencies: ["RLP"], path: "Tests/RLPxTestSupport", swiftSettings: strict),
        // Sessions in memory written as a capture (and seen live), shared by the capture, events and conformance tests.
        .target(
            name: "RLPxScenarioSupport",
            dependencies: ["DevP2P", "Eth", "RLP", "RLPxCrypto", "RLPxEvents", "RLPxHandshake", "RLPxMultiplexing", "RLPxTestSupport"],
            path: "Tests/RLPxScenarioSupport", swiftSettings: strict),
        .testTarget(name: "RLPTests", dependencies: ["RLP", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "RLPxCryptoTests", dependencies: ["RLPxCrypto", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "RLPxHandshakeTests", dependencies: ["RLPxHandshake", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "RLPxFramingTests", dependencies: ["RLPxFraming", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "RLPxMultiplexingTests", dependencies: ["RLPxMultiplexing", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "DevP2PTests", dependencies: ["DevP2P", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RLPxServeTests",
            dependencies: [
                "RLPxServe", "RLPxPeer", "DevP2P", "Eth", "EngineAPI", "RLP", "RLPxCrypto", "RLPxMultiplexing", "RLPxInspect", "RLPxTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "RLPxPeerTests", dependencies: ["RLPxPeer", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "InteropTests", dependencies: ["RLPxPeer", "DevP2P", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RLPxConformanceTests",
            dependencies: ["RLPxConformance", "RLPxCapture", "DevP2P", "Eth", "RLPxScenarioSupport", "RLPxTestSupport", "Discovery", "Discv5"],
            swiftSettings: strict),
        .testTarget(
            name: "RLPxCaptureTests",
            dependencies: ["RLPxCapture", "RLPxEvents", "RLPxHandshake", "RLP", "RLPxScenarioSupport", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "RLPxEventsTests", dependencies: ["RLPxEvents", "RLPxScenarioSupport"], swiftSettings: strict),
        .testTarget(name: "EthTests", dependencies: ["Eth", "Snap", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["RLPxFuzz", "RLPxTestSupport"], swiftSettings: strict),
        // Every code block of README.md and the DocC articles, compiled (Tools/docs/gen-snippets.py writes Generated/).
        .testTarget(
            name: "SnippetTests",
            dependencies: [
                "RLP", "Keccak", "RLPxCrypto", "RLPxHandshake", "RLPxFraming", "RLPxMultiplexing", "DevP2P", "RLPxPeer",
                "Eth", "Snap", "EthState", "RLPxCapture", "RLPxConformance", "RLPxInspect", "RLPxKit", "RLPxTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "RLPxProbeTests",
            dependencies: ["RLPxProbe", "DevP2P", "Eth", "RLP", "RLPxCrypto", "RLPxMultiplexing", "TxPool", "EngineAPI", "RLPxTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EngineAPITests",
            dependencies: [
                "EngineAPI", "RLPxTestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "EthStateTests", dependencies: ["EthState", "Eth", "RLP", "Trie", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "SnapTests", dependencies: ["Snap", "EthState", "Eth", "RLP", "Trie", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "TxPoolTests", dependencies: ["TxPool", "Eth", "RLP", "RLPxCrypto", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "TrieTests", dependencies: ["Trie", "RLP", "Keccak", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "RLP", "Keccak", "RLPxCrypto", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "DiscoveryPeerTests",
            dependencies: [
                "Discovery", "DiscoveryPeer", "Discv5", "RLP", "RLPxCrypto", "RLPxTestSupport", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "Discv5Tests", dependencies: ["Discv5", "Discovery", "RLP", "Keccak", "RLPxCrypto", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "KeccakTests", dependencies: ["Keccak", "RLPxTestSupport"], swiftSettings: strict),
        // The `@RLPList` expansion, checked with swift-syntax's macro test support.
        .testTarget(
            name: "RLPMacrosTests",
            dependencies: [
                "RLPMacroPlugin", .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "RLPxProtocolsTests", dependencies: ["RLPxProtocols", "Eth", "Snap", "RLPxMultiplexing"], swiftSettings: strict),
        .testTarget(
            name: "RLPxHTMLReportTests",
            dependencies: ["RLPxHTMLReport", "RLPxConformance", "RLPxCapture", "RLPxEvents", "DevP2P", "RLPxTestSupport"],
            swiftSettings: strict),
        .testTarget(
            // The command line as users run it: every subcommand against real peers, captures and browsers.
            name: "RLPxToolTests",
            dependencies: ["RLPxInspect", "RLPxHandshake", "RLPxProbe", "RLPxTool", "RLPxTestSupport", "Discovery", "Discv5", "RLP", "RLPxCrypto"],
            swiftSettings: strict
        ),
    ]
)
