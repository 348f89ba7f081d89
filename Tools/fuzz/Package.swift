// swift-tools-version:6.1
// SPDX-License-Identifier: Apache-2.0
// libFuzzer targets over the main package's FuzzEntries. Build and run with Tools/fuzz/run.sh.
import PackageDescription

let targets = [
    "rlp", "handshake", "frames", "snappy", "message", "session", "link", "capture", "transaction", "header", "eth", "enr", "discv4", "discv5",
]

let package = Package(
    name: "rlpx-fuzz",
    dependencies: [.package(name: "swift-rlpx", path: "../..")],
    targets: [.target(name: "FuzzDriver")]
        + targets.map { name in
            .executableTarget(
                name: "fuzz-\(name)",
                dependencies: ["FuzzDriver", .product(name: "RLPxFuzz", package: "swift-rlpx")],
                path: "Sources/\(name)",
                // gold cannot link libFuzzer with ASan here; the toolchain's lld can.
                linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
            )
        }
)
