// SPDX-License-Identifier: Apache-2.0

/// Encodes `Encodable` values as RLP: a struct or class is a list of its fields in declaration order, an array
/// is a list, unsigned integers are canonical, `[UInt8]` is a byte string, and any ``RLPEncodable`` type uses
/// its own encoding.
///
/// Optional fields follow go-ethereum's `rlp:"optional"` rule, because RLP has no marker for an absent element in
/// the middle of a list: a `nil` field is left out, so only trailing fields may be `nil`, and once one is present
/// every optional field before it must be too. Encoding `a = nil, b = 7` throws ``RLPError/Code/unsupportedValue``
/// naming `b`, rather than writing `[7]`, which would decode as `a = 7`.
///
/// ```swift
/// struct Capability: Codable { var name: String; var version: UInt }
/// let bytes = try RLPEncoder().encode([Capability(name: "eth", version: 68)])
/// ```
public struct RLPEncoder: Sendable {
    public init() {}

    /// The RLP encoding of `value`.
    /// - Throws: ``RLPError/Code/unsupportedValue`` for negative integers, floating point and explicit nils.
    public func encode(_ value: some Encodable) throws(RLPError) -> [UInt8] {
        let slot = EncodingSlot()
        do {
            try EncodingSlot.encode(value, into: slot, codingPath: [])
        } catch let error as RLPError {
            throw error
        } catch {
            throw RLPError(.unsupportedValue, "\(error)")
        }
        return try slot.item(codingPath: []).rlpEncoded()
    }
}

/// One value being encoded: filled by exactly one container or single value.
final class EncodingSlot {
    enum Content {
        case item(RLPItem)
        case list(EncodingList)
    }

    var content: Content?

    static func encode(_ value: some Encodable, into slot: EncodingSlot, codingPath: [any CodingKey]) throws {
        if let native = value as? any RLPEncodable {
            slot.content = .item(try RLPItem(rlpEncoded: native.rlpEncoded()))
        } else {
            try value.encode(to: ItemEncoder(slot: slot, codingPath: codingPath))
        }
    }

    func item(codingPath: [String]) throws(RLPError) -> RLPItem {
        switch content {
        case .item(let item): return item
        case .list(let list):
            var items: [RLPItem] = []
            for (index, slot) in list.slots.enumerated() {
                items.append(try slot.item(codingPath: codingPath + ["[\(index)]"]))
            }
            return .list(items)
        case nil:
            throw RLPError(.unsupportedValue, "a value encoded nothing", path: codingPath)
        }
    }

    func list() -> EncodingList {
        if case .list(let list) = content { return list }
        let list = EncodingList()
        content = .list(list)
        return list
    }
}

final class EncodingList {
    var slots: [EncodingSlot] = []
    /// The first optional field of this list that was nil: no element may follow it.
    var absentField: String?
    func append() -> EncodingSlot {
        let slot = EncodingSlot()
        slots.append(slot)
        return slot
    }
}

struct ItemEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer(list: slot.list(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(list: slot.list(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValue(slot: slot, codingPath: codingPath) }

    static func unsupported(_ what: String, _ codingPath: [any CodingKey]) -> RLPError {
        RLPError(.unsupportedValue, "\(what) has no RLP form", path: codingPath.map(\.stringValue))
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let list: EncodingList
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { throw ItemEncoder.unsupported("nil", codingPath + [key]) }
        mutating func encode(_ value: some Encodable, forKey key: Key) throws {
            try checkNothingAbsentBefore(key)
            try EncodingSlot.encode(value, into: list.append(), codingPath: codingPath + [key])
        }

        /// A field after an absent optional one would take its place when decoded.
        func checkNothingAbsentBefore(_ key: Key) throws {
            guard let absent = list.absentField else { return }
            throw RLPError(
                .unsupportedValue,
                "\(key.stringValue) follows the absent optional \(absent): only trailing optional fields may be nil",
                path: (codingPath + [key]).map(\.stringValue))
        }

        // Optionals: nil leaves the element out and marks the list, so that a later field is refused.
        mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) throws {
            guard let value else {
                list.absentField = list.absentField ?? key.stringValue
                return
            }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
        private mutating func present(_ value: (some Encodable)?, _ key: Key) throws {
            try encodeIfPresent(value, forKey: key)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(list: list.append().list(), codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            UnkeyedContainer(list: list.append().list(), codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { ItemEncoder(slot: list.append(), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            ItemEncoder(slot: list.append(), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let list: EncodingList
        let codingPath: [any CodingKey]
        var count: Int { list.slots.count }

        mutating func encodeNil() throws { throw ItemEncoder.unsupported("nil", codingPath) }
        mutating func encode(_ value: some Encodable) throws {
            try EncodingSlot.encode(value, into: list.append(), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type
        ) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedContainer<NestedKey>(list: list.append().list(), codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            UnkeyedContainer(list: list.append().list(), codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder { ItemEncoder(slot: list.append(), codingPath: codingPath) }
    }

    struct SingleValue: SingleValueEncodingContainer {
        let slot: EncodingSlot
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { throw ItemEncoder.unsupported("nil", codingPath) }
        mutating func encode(_ value: Bool) throws { put(value) }
        mutating func encode(_ value: String) throws { put(value) }
        mutating func encode(_ value: Double) throws { throw ItemEncoder.unsupported("Double", codingPath) }
        mutating func encode(_ value: Float) throws { throw ItemEncoder.unsupported("Float", codingPath) }
        mutating func encode(_ value: Int) throws { try putSigned(value) }
        mutating func encode(_ value: Int8) throws { try putSigned(value) }
        mutating func encode(_ value: Int16) throws { try putSigned(value) }
        mutating func encode(_ value: Int32) throws { try putSigned(value) }
        mutating func encode(_ value: Int64) throws { try putSigned(value) }
        mutating func encode(_ value: UInt) throws { put(value) }
        mutating func encode(_ value: UInt8) throws { put(value) }
        mutating func encode(_ value: UInt16) throws { put(value) }
        mutating func encode(_ value: UInt32) throws { put(value) }
        mutating func encode(_ value: UInt64) throws { put(value) }
        mutating func encode(_ value: some Encodable) throws {
            try EncodingSlot.encode(value, into: slot, codingPath: codingPath)
        }

        func put(_ value: some RLPEncodable) {
            slot.content = .item((try? RLPItem(rlpEncoded: value.rlpEncoded())) ?? .bytes([]))
        }

        func putSigned<T: SignedInteger & FixedWidthInteger>(_ value: T) throws {
            guard value >= 0 else { throw ItemEncoder.unsupported("negative integer \(value)", codingPath) }
            put(UInt64(value))
        }
    }
}
