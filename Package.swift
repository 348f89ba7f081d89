// swift-tools-version:6.1
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

/// Strictness every target opts into.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-rlpx",
    products: [
        .library(name: "RLP", targets: ["RLP"]),
        .library(name: "Keccak", targets: ["Keccak"]),
        .library(name: "RLPxInspect", targets: ["RLPxInspect"]),
        .library(name: "RLPxKit", targets: ["RLPxKit"]),
        .executable(name: "rlpx-tool", targets: ["RLPxTool"]),
        .executable(name: "rlpx-bench", targets: ["RLPxBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // Pure layers: no dependencies, not even Foundation.
        .target(name: "RLP", swiftSettings: strict),
        .target(name: "Keccak", swiftSettings: strict),
        // Renders bytes as trees for people and JSON for programs; shared by the CLI and its tests.
        .target(name: "RLPxInspect", dependencies: ["RLP"], swiftSettings: strict),
        // Everything in one import.
        .target(name: "RLPxKit", dependencies: ["RLP", "Keccak", "RLPxInspect"], swiftSettings: strict),
        .executableTarget(
            name: "RLPxTool",
            dependencies: [
                "RLPxInspect",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RLPxBench",
            dependencies: ["RLP", "Keccak"],
            path: "Tools/bench/RLPxBench",
            swiftSettings: strict
        ),
        .target(name: "RLPxTestSupport", dependencies: ["RLP"], path: "Tests/RLPxTestSupport", swiftSettings: strict),
        .testTarget(name: "RLPTests", dependencies: ["RLP", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(name: "KeccakTests", dependencies: ["Keccak", "RLPxTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RLPxInspectTests",
            dependencies: ["RLPxInspect", "RLPxTool", "RLPxTestSupport"],
            swiftSettings: strict
        ),
    ]
)
