// SPDX-License-Identifier: Apache-2.0

/// One message of a subprotocol: its code (relative to the protocol's offset), the specification's name, the
/// response that answers it when it is a request, and the versions that define it.
public struct MessageDefinition: Sendable, Hashable {
    public let code: UInt64
    public let name: String
    /// The code of the message that answers this one; nil for announcements and responses.
    public let responseCode: UInt64?
    /// The first version that defines the message.
    public let introduced: UInt
    /// The first version that no longer defines it (the code stays reserved), or nil.
    public let removed: UInt?

    /// A row of a protocol's table, keyed by the protocol's own message kind (whose raw value is the code).
    public init<Kind: RawRepresentable<UInt64>>(
        _ kind: Kind, _ name: String, answeredBy response: Kind? = nil, since introduced: UInt,
        removedIn removed: UInt? = nil
    ) {
        code = kind.rawValue
        self.name = name
        responseCode = response?.rawValue
        self.introduced = introduced
        self.removed = removed
    }

    /// Whether `version` defines the message.
    public func isDefined(on version: UInt) -> Bool { version >= introduced && removed.map { version < $0 } ?? true }
}

/// A subprotocol's messages across its versions, as one table from which its code-space lengths, names, removed
/// codes and request/response pairs are all read (go-ethereum keeps the same facts as constants, `protocolLengths`
/// and one handler table per version in `eth/protocols/{eth,snap}`).
///
/// ### Invariants
/// Codes are unique; a request's response is in the table and answers that request alone. A version's code-space
/// length is one past the highest code it defines, so a removed message keeps its code reserved.
public struct MessageTable: Sendable {
    /// `eth` or `snap`: the capability name.
    public let protocolName: String
    /// The versions this package decodes, oldest first.
    public let supported: ClosedRange<UInt>
    /// Every message any version defines, by code.
    public let messages: [MessageDefinition]
    private let byCode: [MessageDefinition?]
    private let requestByResponse: [UInt64: UInt64]

    public init(protocolName: String, supported: ClosedRange<UInt>, messages: [MessageDefinition]) {
        let sorted = messages.sorted { $0.code < $1.code }
        var byCode = [MessageDefinition?](repeating: nil, count: Int(sorted.last.map { $0.code + 1 } ?? 0))
        var requestByResponse: [UInt64: UInt64] = [:]
        for message in sorted {
            precondition(byCode[Int(message.code)] == nil, "\(protocolName) code \(message.code) is defined twice")
            byCode[Int(message.code)] = message
            if let response = message.responseCode {
                let earlier = requestByResponse.updateValue(message.code, forKey: response)
                precondition(earlier == nil, "a response answers one request")
            }
        }
        precondition(
            requestByResponse.keys.allSatisfy { byCode.indices.contains(Int($0)) && byCode[Int($0)] != nil },
            "every response is in the table")
        self.protocolName = protocolName
        self.supported = supported
        self.messages = sorted
        self.byCode = byCode
        self.requestByResponse = requestByResponse
    }

    /// The message with `code`, whichever versions define it.
    public func message(code: UInt64) -> MessageDefinition? { code < UInt64(byCode.count) ? byCode[Int(code)] : nil }

    /// The message `code` names on `version`; nil for an unsupported version, an unused or removed code, or a
    /// code past the version's space.
    public func message(code: UInt64, version: UInt) -> MessageDefinition? {
        guard supported.contains(version), let message = message(code: code), message.isDefined(on: version) else {
            return nil
        }
        return message
    }

    /// The codes a capability of `version` takes on a connection (go-ethereum's `protocolLengths`); nil for an
    /// unsupported version.
    public func codeSpaceLength(_ version: UInt) -> UInt64? {
        guard supported.contains(version) else { return nil }
        return messages.last { $0.isDefined(on: version) }.map { $0.code + 1 }
    }

    /// The name of the message `code` names on `version` (nil as ``message(code:version:)``).
    public func messageName(code: UInt64, version: UInt) -> String? { message(code: code, version: version)?.name }

    /// Whether an earlier version defines `code` and `version` no longer does.
    public func isRemoved(code: UInt64, version: UInt) -> Bool {
        guard let message = message(code: code), let removed = message.removed else { return false }
        return version >= removed
    }

    /// The codes of messages some supported version removed.
    public var removedCodes: Set<UInt64> { Set(messages.filter { $0.removed != nil }.map(\.code)) }

    /// The code of the request that `responseCode` answers, when it is a response.
    public func requestCode(answeredBy responseCode: UInt64) -> UInt64? { requestByResponse[responseCode] }

    /// The codes of requests and of their responses: the messages that carry a request id.
    public var exchangeCodes: Set<UInt64> {
        Set(messages.compactMap(\.responseCode)).union(messages.filter { $0.responseCode != nil }.map(\.code))
    }
}
