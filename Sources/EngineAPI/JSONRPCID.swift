// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A request's `id`, echoed in its response: a string, a number, or null.
enum JSONRPCID: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case null

    /// The id in a parsed request, or nil when `value` cannot be one (a boolean, an array, an object).
    init?(json value: Any) {
        switch value {
        case is NSNull: self = .null
        case let text as String: self = .string(text)
        case let number as NSNumber where !JSONValue.isBoolean(number):
            // Integers that fit stay integers (1 echoes as 1, not 1.0); fractions and huge ones become doubles.
            switch String(cString: number.objCType) {
            case "d", "f": self = .double(number.doubleValue)
            case "Q", "L", "I", "S", "C":
                let unsigned = number.uint64Value
                self = unsigned <= UInt64(Int64.max) ? .integer(Int64(unsigned)) : .double(number.doubleValue)
            default: self = .integer(number.int64Value)
            }
        default: return nil
        }
    }

    /// The id as a value for `JSONSerialization`.
    var json: Any {
        switch self {
        case .string(let text): text
        case .integer(let integer): NSNumber(value: integer)
        case .double(let double): NSNumber(value: double)
        case .null: NSNull()
        }
    }
}

/// Questions about `JSONSerialization`'s values.
enum JSONValue {
    /// Whether `number` came from `true` or `false` (Foundation parses both as NSNumber, with type code `c`).
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    /// Whether `value` is absent or JSON null: the Engine API counts a null field as not provided.
    static func isAbsent(_ value: Any?) -> Bool { value == nil || value is NSNull }
}
