// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking TCP connection with timeouts, for the probe: each test drives one connection step by step and must
/// see exactly what the node did (bytes, a close, a reset, or silence), so there is no event loop in between.
final class ProbeSocket: ProbeTransport {

    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// Connects to `host`:`port` within `timeout` seconds.
    static func connect(host: String, port: UInt16, timeout: Double) throws(ProbeError) -> ProbeSocket {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ProbeError(.cannotResolve, "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        var failure = "no address for \(host)"
        var refused = false
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 && errno != EINPROGRESS {
                failure = "cannot connect to \(host):\(port): \(String(cString: strerror(errno)).lowercased())"
                refused = [ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(errno)
                Glibc.close(fd)
                continue
            }
            var pollEntry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if poll(&pollEntry, 1, Int32(timeout * 1000)) == 1, getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 {
                return ProbeSocket(descriptor: fd)
            }
            failure =
                "cannot connect to \(host):\(port): " + (error != 0 ? String(cString: strerror(error)).lowercased() : "no answer in \(timeout) s")
            refused = error == 0 || [ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH].contains(error)
            Glibc.close(fd)
        }
        throw ProbeError(refused ? .connectFailed : .noConnection, failure)
    }

    /// Writes all of `bytes`; false when the connection is gone.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            var pollEntry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&pollEntry, 1, 5000) == 1 else { return false }
            let count = bytes.withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress.map { $0 + written }, bytes.count - written, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }

    /// Reads what arrives within `timeout` seconds.
    public func read(timeout: Double) -> ProbeRead {
        var pollEntry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pollEntry, 1, Int32(max(0, timeout) * 1000)) == 1 else { return .timeout }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(Array(buffer[..<count])) }
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return .bytes([]) }
        return .closed(reset: count < 0 && errno == ECONNRESET)
    }

    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }
}

/// A probe that cannot run (bad target, no connection).
public struct ProbeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable name of what was wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The target's host name does not resolve.
        public static let cannotResolve = Code("cannotResolve")
        /// The node refused, reset or ignored the connection (or its network is unreachable): the node's doing.
        public static let connectFailed = Code("connectFailed")
        /// No connection for a reason of the probe's own machine (no socket, no usable address).
        public static let noConnection = Code("noConnection")
    }

    public let code: Code
    /// What was wrong, for people.
    public let reason: String

    init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// Whether the node caused it (refused or ignored the connection), rather than the probe's own machine.
    public var blamesNode: Bool { code == .connectFailed }
    public var description: String { reason }
    public static func == (lhs: ProbeError, rhs: ProbeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
