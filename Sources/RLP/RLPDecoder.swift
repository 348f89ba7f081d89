// SPDX-License-Identifier: Apache-2.0

/// Decodes `Decodable` values from RLP, the mirror of ``RLPEncoder``: fields are read in declaration order, a
/// list must have exactly the fields the type reads (trailing optionals may be absent), and every canonical rule
/// of ``RLPReader`` applies. Errors name the coding path.
public struct RLPDecoder: Sendable {
    public init() {}

    /// Decodes `bytes`, which must hold exactly one item, as a `T`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(RLPError) -> T {
        var reader = RLPReader(bytes)
        let element = try reader.readElement()
        try reader.finish()
        let state = DecodingState()
        let value: T
        do {
            value = try ElementDecoder.decode(T.self, from: element, state: state, codingPath: [])
        } catch let error as RLPError {
            throw error
        } catch let error as DecodingError {
            throw RLPError(.unsupportedValue, "\(error)")
        } catch {
            throw RLPError(.unsupportedValue, "\(error)")
        }
        for list in state.lists where list.position < list.elements.count {
            throw RLPError(
                .tooManyElements, "list has \(list.elements.count - list.position) elements the type does not read",
                at: list.elements[list.position].offset, path: list.codingPath.map(\.stringValue))
        }
        return value
    }
}

/// Every list opened while decoding, so leftovers can be reported once decoding returns.
final class DecodingState {
    var lists: [DecodingList] = []
}

final class DecodingList {
    let elements: [RLPElement]
    let codingPath: [any CodingKey]
    let offset: Int
    var position = 0

    init(elements: [RLPElement], codingPath: [any CodingKey], offset: Int) {
        self.elements = elements
        self.codingPath = codingPath
        self.offset = offset
    }

    func next(_ codingPath: [any CodingKey]) throws(RLPError) -> RLPElement {
        guard position < elements.count else {
            throw RLPError(
                .tooFewElements, "list ends before this field", at: offset, path: codingPath.map(\.stringValue))
        }
        defer { position += 1 }
        return elements[position]
    }
}

struct ElementDecoder: Decoder {
    let element: RLPElement
    let state: DecodingState
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(
        _ type: T.Type, from element: RLPElement, state: DecodingState, codingPath: [any CodingKey]
    ) throws -> T {
        do {
            if let native = T.self as? any RLPDecodable.Type {
                var reader = RLPReader(element: element)
                if let value = try native.init(rlp: &reader) as? T { return value }
            }
            return try T(from: ElementDecoder(element: element, state: state, codingPath: codingPath))
        } catch let error as RLPError where error.path.isEmpty {
            throw RLPError(error.code, error.reason, at: error.offset ?? element.offset, path: codingPath.map(\.stringValue))
        } catch let error as DecodingError {
            // A Decodable init that refused the value (an enum without a case for the raw value, a failed check).
            throw RLPError(.invalidValue, Self.reason(error), at: element.offset, path: codingPath.map(\.stringValue))
        }
    }

    static func reason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            context.debugDescription
        @unknown default:
            "\(error)"
        }
    }

    func list() throws -> DecodingList {
        var reader = try element.listReader()
        var elements: [RLPElement] = []
        while !reader.isAtEnd { elements.append(try reader.readElement()) }
        let list = DecodingList(elements: elements, codingPath: codingPath, offset: element.offset)
        state.lists.append(list)
        return list
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedContainer(list: try list(), state: state, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedContainer(list: try list(), state: state, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let list: DecodingList
        let state: DecodingState
        let codingPath: [any CodingKey]
        var allKeys: [Key] { [] }

        /// Fields are positional: a key is present while elements remain.
        func contains(_ key: Key) -> Bool { list.position < list.elements.count }
        func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let path = codingPath + [key]
            return try ElementDecoder.decode(T.self, from: try list.next(path), state: state, codingPath: path)
        }
        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            let path = codingPath + [key]
            return try ElementDecoder(element: try list.next(path), state: state, codingPath: path)
                .container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            let path = codingPath + [key]
            return try ElementDecoder(element: try list.next(path), state: state, codingPath: path).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder {
            ElementDecoder(element: try list.next(codingPath), state: state, codingPath: codingPath)
        }
        func superDecoder(forKey key: Key) throws -> any Decoder {
            let path = codingPath + [key]
            return ElementDecoder(element: try list.next(path), state: state, codingPath: path)
        }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let list: DecodingList
        let state: DecodingState
        let codingPath: [any CodingKey]
        var count: Int? { list.elements.count }
        var isAtEnd: Bool { list.position >= list.elements.count }
        var currentIndex: Int { list.position }

        struct IndexKey: CodingKey {
            let stringValue: String
            let intValue: Int?
            init(_ index: Int) { (stringValue, intValue) = ("[\(index)]", index) }
            init?(stringValue: String) { nil }
            init?(intValue: Int) { self.init(intValue) }
        }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let path = codingPath + [IndexKey(list.position)]
            return try ElementDecoder.decode(T.self, from: try list.next(path), state: state, codingPath: path)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            let path = codingPath + [IndexKey(list.position)]
            return try ElementDecoder(element: try list.next(path), state: state, codingPath: path)
                .container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let path = codingPath + [IndexKey(list.position)]
            return try ElementDecoder(element: try list.next(path), state: state, codingPath: path).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder {
            let path = codingPath + [IndexKey(list.position)]
            return ElementDecoder(element: try list.next(path), state: state, codingPath: path)
        }
    }
}

extension ElementDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try native(type) }
    func decode(_ type: String.Type) throws -> String { try native(type) }
    func decode(_ type: Double.Type) throws -> Double { throw unsupported("Double") }
    func decode(_ type: Float.Type) throws -> Float { throw unsupported("Float") }
    func decode(_ type: Int.Type) throws -> Int { try signed(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try signed(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try signed(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try signed(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try signed(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try native(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try native(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try native(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try native(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try native(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try ElementDecoder.decode(type, from: element, state: state, codingPath: codingPath)
    }

    func native<T: RLPDecodable>(_ type: T.Type) throws -> T {
        var reader = RLPReader(element: element)
        return try T(rlp: &reader)
    }

    func signed<T: SignedInteger & FixedWidthInteger>(_ type: T.Type) throws -> T {
        let magnitude = try native(UInt64.self)
        guard let value = T(exactly: magnitude) else {
            throw RLPError(.integerOverflow, "\(magnitude) does not fit \(T.self)", at: element.offset)
        }
        return value
    }

    func unsupported(_ what: String) -> RLPError {
        RLPError(.unsupportedValue, "\(what) has no RLP form", at: element.offset)
    }
}

extension RLPReader {
    /// A reader over exactly one element, keeping offsets from the start of the original input.
    init(element: RLPElement) {
        self.init(
            storage: element.storage, position: element.offset, end: element.offset &+ element.header.totalLength,
            inList: false, depth: element.depth)
    }
}
