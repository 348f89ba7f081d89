// SPDX-License-Identifier: Apache-2.0
import RLP
import RLPxCrypto

/// A node's address: `enode://<128 hex digits of node ID>@<host>[:<tcp port>][?discport=<udp port>]`.
public struct EnodeURL: Sendable, Hashable, CustomStringConvertible {
    /// The node's public key.
    public var publicKey: Secp256k1.PublicKey
    /// An IPv4 or IPv6 address, or a host name.
    public var host: String
    public var port: Int
    /// The UDP discovery port, when it differs from the TCP port.
    public var discoveryPort: Int?

    public init(publicKey: Secp256k1.PublicKey, host: String, port: Int, discoveryPort: Int? = nil) {
        self.publicKey = publicKey
        self.host = host
        self.port = port
        self.discoveryPort = discoveryPort
    }

    /// The TCP port of a URL that names none, as go-ethereum reads it.
    public static let defaultPort = 30303
    private static let defaultPortText = "\(defaultPort)"[...]

    /// Parses and validates every part: the scheme, a 64-byte node ID that is a point on the curve, a host, a
    /// port in 1…65535 (``defaultPort`` when left out) and an optional `discport`.
    /// - Throws: ``PeerError/Code/invalidEnode`` with the byte offset where the text goes wrong.
    public init(_ text: String) throws(PeerError) {
        func invalid(_ reason: String, at index: String.Index) -> PeerError {
            PeerError(.invalidEnode, reason, offset: text.utf8.distance(from: text.startIndex, to: index))
        }
        guard text.hasPrefix("enode://") else { throw invalid("must start with enode://", at: text.startIndex) }
        let rest = text.dropFirst("enode://".count)
        guard let at = rest.firstIndex(of: "@") else { throw invalid("missing @host", at: text.endIndex) }
        let idText = rest[..<at]
        guard idText.count == 128 else { throw invalid("node ID must be 128 hex digits, found \(idText.count)", at: idText.startIndex) }
        guard let id = try? Hex.decode(idText) else { throw invalid("node ID is not hex", at: idText.startIndex) }
        guard let key = try? Secp256k1.PublicKey(id) else { throw invalid("node ID is not a secp256k1 public key", at: idText.startIndex) }
        var address = rest[rest.index(after: at)...]
        var discovery: Int?
        if let question = address.firstIndex(of: "?") {
            let query = address[address.index(after: question)...]
            address = address[..<question]
            for item in query.split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0] == "discport", let value = Int(pair[1]), (1...65535).contains(value) else {
                    throw invalid("unsupported query '\(item)'", at: item.startIndex)
                }
                discovery = value
            }
        }
        let host: Substring
        let portText: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { throw invalid("unclosed [ in IPv6 host", at: address.startIndex) }
            host = address[address.index(after: address.startIndex)..<close]
            let after = address[address.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw invalid("expected :port after ]", at: after.startIndex) }
            portText = after.isEmpty ? Self.defaultPortText : after.dropFirst()
        } else if let colon = address.lastIndex(of: ":") {
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        } else {
            host = address
            portText = Self.defaultPortText
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:_".contains($0) }) else {
            throw invalid("invalid host '\(host)'", at: host.startIndex)
        }
        guard let port = Int(portText), (1...65535).contains(port) else { throw invalid("invalid port '\(portText)'", at: portText.startIndex) }
        self.init(publicKey: key, host: String(host), port: port, discoveryPort: discovery)
    }

    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "enode://\(Hex.encode(publicKey.nodeID))@\(hostPart):\(port)" + (discoveryPort.map { "?discport=\($0)" } ?? "")
    }
}
