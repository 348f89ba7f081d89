// SPDX-License-Identifier: Apache-2.0

/// Where an Engine API listens: the parts of an `http://host:port/path` URL.
public struct EngineEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The request target, `/` when the URL has no path.
    public var path: String

    public init(host: String, port: Int, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `http://host[:port][/path]` (port 80 when absent; an IPv6 host in brackets). `https` is refused:
    /// this client speaks plain HTTP, as the Engine API on a local port does.
    public init(url: String) throws(EngineAPIClientError) {
        guard url.hasPrefix("http://") else {
            throw EngineAPIClientError(.invalidURL, "\(url): only http:// URLs are supported")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let target = rest.dropFirst(authority.count)
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw EngineAPIClientError(.invalidURL, "\(url): unclosed [")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw EngineAPIClientError(.invalidURL, "\(url): text after ]") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, !host.contains("@") else { throw EngineAPIClientError(.invalidURL, "\(url): no host") }
        var port = 80
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw EngineAPIClientError(.invalidURL, "\(url): invalid port")
            }
            port = value
        }
        self.init(
            host: String(host), port: port,
            path: target.isEmpty ? "/" : (target.hasPrefix("/") ? String(target) : "/" + target))
    }

    /// `http://host:port/path`.
    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)" }
    /// The `Host` header's value.
    var hostHeader: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
