// SPDX-License-Identifier: Apache-2.0
import Foundation
import RLP
import RLPxTestSupport

/// Reading the shared `eth/` vector files: integers are JSON numbers or decimal strings, bytes are hex.
enum EthVectors {
    static func file(_ name: String) throws -> [String: Any] {
        guard let object = try Vectors.shared("eth/\(name)") as? [String: Any] else {
            throw Vectors.MissingVectors(description: "eth/\(name) is not a JSON object")
        }
        return object
    }

    static func entries(_ name: String, _ key: String) throws -> [[String: Any]] {
        guard let entries = try file(name)[key] as? [[String: Any]] else {
            throw Vectors.MissingVectors(description: "eth/\(name) has no array \(key)")
        }
        return entries
    }

    /// A JSON number or decimal string as UInt64.
    static func uint64(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }

    /// A JSON number or decimal string as UInt256.
    static func uint256(_ value: Any?) -> UInt256? {
        if let text = value as? String { return BigUInt(text).flatMap { UInt256($0) } }
        return uint64(value).map { UInt256($0) }
    }

    static func hex(_ value: Any?) -> String? {
        (value as? String).map { $0.lowercased() }
    }
}
