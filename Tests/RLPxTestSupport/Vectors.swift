// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP

/// Finds and loads test vectors: upstream ones from the shared folder, the project's own from `Vectors/`.
public enum Vectors {
    /// The environment variable that overrides where the shared upstream vectors are.
    public static let environmentVariable = "RLPX_SHARED_VECTORS"

    /// Why vectors could not be loaded. Tests fail with this message rather than skip.
    public struct MissingVectors: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The committed RLPx captures under Vectors/captures, by directory name: the discovery captures (`discv*`) carry no
    /// RLPx session or key log, and DiscoveryCaptureTests replays them.
    public static var rlpxCaptures: [String] {
        let directory = projectRoot.appendingPathComponent("Vectors/captures")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix("discv") }.sorted()
    }

    /// The repository's root, found from this file's path.
    public static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$RLPX_SHARED_VECTORS`, or `../shared/vectors` beside the repository.
    public static var sharedDirectory: URL {
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }

    /// The raw bytes of an upstream vector file, e.g. `shared("rlp/rlptest.json")`.
    public static func sharedData(_ relativePath: String) throws -> Data {
        let url = sharedDirectory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MissingVectors(
                description: """
                    upstream vectors missing: \(url.path) cannot be read. Put the shared folder beside the \
                    repository (../shared/vectors) or set \(environmentVariable) to its vectors directory.
                    """)
        }
        return data
    }

    /// The raw bytes of one of the project's own vector files, e.g. `projectData("rlp/pyrlp_random.json")`.
    public static func projectData(_ relativePath: String) throws -> Data {
        let url = projectRoot.appendingPathComponent("Vectors").appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MissingVectors(description: "project vectors missing: \(url.path); run the generator in Tools/")
        }
        return data
    }

    /// An upstream JSON vector file, parsed.
    public static func shared(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: sharedData(relativePath), options: [.fragmentsAllowed])
    }

    /// One of the project's JSON vector files, parsed.
    public static func project(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: projectData(relativePath), options: [.fragmentsAllowed])
    }

    /// Bytes from hex text with or without `0x` (ethereum/tests mixes both).
    public static func bytes(_ hex: Any?) throws -> [UInt8] {
        guard let text = hex as? String else { throw MissingVectors(description: "expected a hex string, got \(hex ?? "nil")") }
        return try Hex.decode(text)
    }
}

/// A small deterministic generator (SplitMix64), so random tests replay exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
