// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Discovery
import DiscoveryPeer
import Foundation
import RLPxPeer

/// A node from the command line: an enode URL, or a node record (`enr:…`, its signature verified) whose IP address
/// and TCP port imply one. One that does not parse is bad usage (exit status 64).
func parseEnode(_ text: String) throws -> EnodeURL {
    var text = text
    if text.hasPrefix(ENR.textPrefix) {
        let record: ENR
        do {
            record = try ENR(text: text)
        } catch {
            throw ValidationError("not a valid node record: \(error)")
        }
        guard let implied = record.enodeURL(), implied.contains("@"), !implied.hasSuffix(":0"), !implied.contains(":0?") else {
            throw ValidationError("the node record has no IP address and TCP port to connect to")
        }
        text = implied
    }
    do {
        return try EnodeURL(text)
    } catch {
        throw ValidationError(error.description)
    }
}

/// A discovery node from the command line: `enode://…@ip:port[?discport=N]` or `enr:…` (its UDP address and ID).
func parseDiscoveryNode(_ text: String) throws -> DiscoveryService.Bootnode {
    if text.hasPrefix(ENR.textPrefix) {
        let record = try ENR(text: text)
        let ip = try record.ip() ?? record.ip6()
        guard let ip, let port = try record.udp() ?? record.udp6() else {
            throw ValidationError("the record has no IP and UDP port")
        }
        return .init(address: .init(ip: ip, port: port), id: try record.nodeID())
    }
    // A record without a TCP port implies `…:0?discport=N` (as go-ethereum writes it), which the enode parser
    // refuses; discv4 needs only the UDP port, so port 0 is read as "no TCP port".
    let url = try EnodeURL(text.replacingOccurrences(of: ":0?discport=", with: ":1?discport="))
    guard let ip = IPAddress(url.host), let port = UInt16(exactly: url.discoveryPort ?? url.port) else {
        throw ValidationError("discv4 needs an IP address, not the host name \(url.host)")
    }
    return .init(address: .init(ip: ip, port: port), id: NodeID(publicKey: url.publicKey))
}
