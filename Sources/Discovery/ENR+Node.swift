// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

extension ENR {
    /// A node's own record: its address (`ip`/`udp`/`tcp`, or `ip6`/`udp6`/`tcp6` for IPv6), the `eth` entry when it
    /// serves a chain (its fork ID), `snap` when it serves snap. Ports of 0 are left out.
    /// - Throws: ``DiscoveryError/Code/recordTooLarge`` (not with these keys alone).
    public static func node(
        key: Secp256k1.PrivateKey, seq: UInt64 = 1, ip: IPAddress?, udp: UInt16, tcp: UInt16 = 0, eth: ForkIDEntry? = nil,
        snap: Bool = false
    ) throws(DiscoveryError) -> ENR {
        var pairs: [Pair] = []
        func add(_ name: String, _ value: [UInt8]) { pairs.append(Pair(key: Array(name.utf8), value: value)) }
        let v6 = ip.map { !$0.isIPv4 } ?? false
        if let ip { add(v6 ? "ip6" : "ip", RLPWriter.encode { $0.write(bytes: ip.bytes) }) }
        if udp != 0 { add(v6 ? "udp6" : "udp", RLPWriter.encode { $0.write(integer: udp) }) }
        if tcp != 0 { add(v6 ? "tcp6" : "tcp", RLPWriter.encode { $0.write(integer: tcp) }) }
        if let eth { add("eth", ethValue(eth)) }
        if snap { add("snap", RLPWriter.encode { $0.writeList { _ in } }) }
        return try signed(seq: seq, pairs: pairs, key: key)
    }
}
