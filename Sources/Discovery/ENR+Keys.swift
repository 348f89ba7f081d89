// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// One entry of the `eth` key: the fork ID (EIP-2124) of the chain a node serves, as go-ethereum writes it.
public struct ForkIDEntry: Hashable, Sendable {
    /// CRC32 of the genesis hash and past fork blocks or times, 4 bytes.
    public let hash: [UInt8]
    /// The next fork's block or time, 0 when none is known.
    public let next: UInt64
    public init(hash: [UInt8], next: UInt64) {
        self.hash = hash
        self.next = next
    }
}

extension ENR {
    /// `ip`: the IPv4 address.
    public func ip() throws(DiscoveryError) -> IPAddress? { try address("ip", length: 4) }
    /// `ip6`: the IPv6 address.
    public func ip6() throws(DiscoveryError) -> IPAddress? { try address("ip6", length: 16) }
    /// `tcp`: the RLPx port over IPv4 (and IPv6 when `tcp6` is absent).
    public func tcp() throws(DiscoveryError) -> UInt16? { try port("tcp") }
    /// `udp`: the discovery port over IPv4 (and IPv6 when `udp6` is absent).
    public func udp() throws(DiscoveryError) -> UInt16? { try port("udp") }
    /// `tcp6`: the RLPx port over IPv6.
    public func tcp6() throws(DiscoveryError) -> UInt16? { try port("tcp6") }
    /// `udp6`: the discovery port over IPv6.
    public func udp6() throws(DiscoveryError) -> UInt16? { try port("udp6") }

    /// `eth`: the fork ID, from go-ethereum's entry `[[fork-hash, fork-next], …]` (later elements ignored).
    public func eth() throws(DiscoveryError) -> ForkIDEntry? {
        guard let value = value(forKey: "eth") else { return nil }
        do {
            var reader = RLPReader(value)
            let entry = try reader.readList { entry throws(RLPError) -> ForkIDEntry in
                let forkID = try entry.readList { id throws(RLPError) -> ForkIDEntry in
                    let offset = id.offset
                    let hash = Array(try id.readBytes())
                    guard hash.count == 4 else { throw RLPError(.wrongByteCount, "fork hash is not 4 bytes", at: offset, path: ["hash"]) }
                    return ForkIDEntry(hash: hash, next: try id.read(UInt64.self, field: "next"))
                }
                while !entry.isAtEnd { try entry.skip() }
                return forkID
            }
            try reader.finish()
            return entry
        } catch {
            throw DiscoveryError(rlp: error, field: "eth")
        }
    }

    /// The `eth` value go-ethereum writes for `forkID`: `[[hash, next]]`.
    public static func ethValue(_ forkID: ForkIDEntry) -> [UInt8] {
        RLPWriter.encode { writer in
            writer.writeList { entry in
                entry.writeList { id in
                    id.write(bytes: forkID.hash)
                    id.write(integer: forkID.next)
                }
            }
        }
    }

    /// `snap`: present when the node serves snap (the value is a list, empty today).
    public func snap() throws(DiscoveryError) -> Bool {
        guard let value = value(forKey: "snap") else { return false }
        guard let first = value.first, first >= 0xc0 else {
            throw DiscoveryError(.invalidValue, "snap is not a list", field: "snap")
        }
        return true
    }

    private func address(_ key: String, length: Int) throws(DiscoveryError) -> IPAddress? {
        guard let value = value(forKey: key) else { return nil }
        guard let bytes = try? RLPReader.singleBytes(value), bytes.count == length, let address = IPAddress(bytes: bytes) else {
            throw DiscoveryError(.invalidValue, "\(key) is not \(length) bytes", field: key)
        }
        return address
    }

    private func port(_ key: String) throws(DiscoveryError) -> UInt16? {
        guard let value = value(forKey: key) else { return nil }
        do {
            var reader = RLPReader(value)
            let port = try reader.readInteger(UInt16.self)
            try reader.finish()
            return port
        } catch {
            throw DiscoveryError(.invalidValue, "\(key) is not a port: \(error.reason)", field: key)
        }
    }

    /// The enode URL the record implies: `enode://<X ‖ Y hex>@ip:tcp?discport=udp` (IPv4 first, then IPv6;
    /// `discport` only when the ports differ). Nil without a public key.
    public func enodeURL() -> String? {
        guard let key = try? publicKey() else { return nil }
        let id = Hex.encode(key.nodeID)
        let v4 = (try? ip()) ?? nil
        let v6 = (try? ip6()) ?? nil
        guard let address = v4 ?? v6 else { return "enode://\(id)" }
        let isV4 = v4 != nil
        let tcpPort = (isV4 ? (try? tcp()) : ((try? tcp6()) ?? (try? tcp()))) ?? nil
        let udpPort = (isV4 ? (try? udp()) : ((try? udp6()) ?? (try? udp()))) ?? nil
        let host = address.isIPv4 ? address.description : "[\(address)]"
        var url = "enode://\(id)@\(host):\(tcpPort ?? 0)"
        if let udpPort, udpPort != tcpPort ?? 0 { url += "?discport=\(udpPort)" }
        return url
    }

    /// Every pair as a name and a readable value: typed keys decoded, the rest as RLP hex; a malformed typed value
    /// is shown with its error.
    public var fieldDescriptions: [(key: String, value: String)] {
        pairs.map { pair in
            let text: String
            switch pair.name {
            case "id": text = identityScheme ?? Hex.encode(pair.value)
            case "secp256k1": text = (try? RLPReader.singleBytes(pair.value)).map { Hex.encode($0) } ?? Hex.encode(pair.value)
            case "ip": text = Self.describe { () throws(DiscoveryError) in try ip()?.description }
            case "ip6": text = Self.describe { () throws(DiscoveryError) in try ip6()?.description }
            case "tcp": text = Self.describe { () throws(DiscoveryError) in try tcp().map(String.init) }
            case "udp": text = Self.describe { () throws(DiscoveryError) in try udp().map(String.init) }
            case "tcp6": text = Self.describe { () throws(DiscoveryError) in try tcp6().map(String.init) }
            case "udp6": text = Self.describe { () throws(DiscoveryError) in try udp6().map(String.init) }
            case "eth":
                text = Self.describe { () throws(DiscoveryError) in
                    try eth().map { "forkHash 0x\(Hex.encode($0.hash)) forkNext \($0.next)" }
                }
            case "snap": text = Self.describe { () throws(DiscoveryError) in try snap() ? "present" : nil }
            default: text = "rlp 0x" + Hex.encode(pair.value)
            }
            return (pair.name, text)
        }
    }

    private static func describe(_ body: () throws(DiscoveryError) -> String?) -> String {
        do { return try body() ?? "" } catch { return "invalid (\(error.code.name): \(error.reason))" }
    }
}
