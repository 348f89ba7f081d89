// SPDX-License-Identifier: Apache-2.0
import Eth
import RLPxMultiplexing
import Snap

/// The protocols whose code spaces this package knows: eth/68–72 and snap/1–2, read from their message tables.
public enum KnownProtocols {
    /// The message table of each known protocol, eth then snap.
    public static let tables: [MessageTable] = [EthVersion.messages, SnapVersion.messages]

    /// The message table of `name`, when it is eth or snap.
    public static func table(_ name: String) -> MessageTable? {
        switch name {
        case "eth": EthVersion.messages
        case "snap": SnapVersion.messages
        default: nil
        }
    }

    /// The code-space length of `name`/`version`, when known.
    public static func length(name: String, version: UInt) -> UInt64? { table(name)?.codeSpaceLength(version) }

    /// Every known version: eth/68–72, snap/1–2.
    public static let all: [ProtocolSpec] = tables.flatMap { table in
        table.supported.compactMap { version in
            table.codeSpaceLength(version).map { ProtocolSpec(name: table.protocolName, version: version, length: $0) }
        }
    }

    /// The message `code` (relative) names on `name`/`version`, when the protocol is eth or snap and defines it.
    public static func messageName(protocolName name: String, version: UInt, code: UInt64) -> String? {
        table(name)?.messageName(code: code, version: version)
    }

    /// The spec of `name`/`version`, a version this package knows (a programming error otherwise).
    public static func known(_ name: String, _ version: UInt) -> ProtocolSpec {
        guard let length = length(name: name, version: version) else {
            preconditionFailure("\(name)/\(version) is not known")
        }
        return ProtocolSpec(name: name, version: version, length: length)
    }

    /// What `decode --message` assumes without `--caps`: eth/69 and snap/1, the versions every current client
    /// shares (go-ethereum v1.17.1 and later speak eth/69; eth/68 was dropped after v1.17.0).
    public static let defaults = [known("eth", 69), known("snap", 1)]

    /// eth/66 and eth/67, older than the versions decoded here, whose codes a replay still places: both take eth/68's
    /// code space (eth/67 dropped GetNodeData and NodeData but kept their codes, EIP-4938; eth/68 changed a layout).
    public static let legacy = [66, 67].map { ProtocolSpec(name: "eth", version: $0, length: known("eth", 68).length) }

    /// Parses `name/version[:length]`, the length optional for known protocols.
    public static func spec(_ text: some StringProtocol) -> ProtocolSpec? {
        if text.contains(":") { return ProtocolSpec(text) }
        let parts = text.split(separator: "/")
        guard parts.count == 2, let version = UInt(parts[1]), let length = length(name: String(parts[0]), version: version)
        else { return nil }
        return ProtocolSpec(name: String(parts[0]), version: version, length: length)
    }

    /// Parses a comma-separated list of ``spec(_:)`` entries; nil if any is malformed or unknown without a length.
    public static func parseList(_ text: String) -> [ProtocolSpec]? { ProtocolSpec.parseList(text, entry: { spec($0) }) }

    /// The code of the request the message `code` of `name` answers, when it is a response.
    public static func requestCode(protocolName name: String, answeredBy code: UInt64) -> UInt64? {
        table(name)?.requestCode(answeredBy: code)
    }
}
