// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
    import Glibc

    /// A TCP connection to 127.0.0.1:`port` from `source` (any loopback address) that sends one byte of an auth and then
    /// nothing: what a listener under a flood of half-open handshakes sees.
    public struct StalledConnection: Sendable {
        public let socket: Int32

        public struct Failed: Error {
            public init() {}
        }

        public init(from source: String = "127.0.0.1", to port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            var remote = sockaddr_in()
            remote.sin_family = sa_family_t(AF_INET)
            remote.sin_addr.s_addr = inet_addr("127.0.0.1")
            remote.sin_port = UInt16(port).bigEndian
            let size = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, size) } }
            let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, size) } }
            guard bound == 0, connected == 0 else {
                _ = Glibc.close(socket)
                throw Failed()
            }
            var byte: UInt8 = 0x01
            _ = send(socket, &byte, 1, Int32(MSG_NOSIGNAL))
        }

        /// Whether the listener closed this connection (a read sees the end, or a reset).
        public var closedByPeer: Bool {
            var byte: UInt8 = 0
            let count = recv(socket, &byte, 1, Int32(MSG_DONTWAIT))
            return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        }

        public func close() { _ = Glibc.close(socket) }
    }

    /// A listening socket on 127.0.0.1 that never accepts: the kernel completes TCP connections and nothing ever
    /// answers (a node that hangs).
    public final class SilentListener {
        public let port: UInt16
        private let socket: Int32

        public struct Failed: Error {}

        public init() throws {
            guard let (socket, port) = loopbackSocket(listening: true) else { throw Failed() }
            self.socket = socket
            self.port = port
        }

        deinit { _ = Glibc.close(socket) }
    }

    /// A TCP socket bound to an ephemeral port of 127.0.0.1, listening (a backlog of 16, never accepted) or not, and
    /// its port; nil when it cannot be bound.
    func loopbackSocket(listening: Bool) -> (socket: Int32, port: UInt16)? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0, !listening || listen(socket, 16) == 0 else {
            _ = Glibc.close(socket)
            return nil
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return (socket, UInt16(bigEndian: address.sin_port))
    }

    /// A loopback TCP port that refuses connections for as long as this object lives: bound, never listening, so no
    /// other test can take the port while a test dials it (a closed listener's port could be reused at once).
    public final class RefusingPort {
        public let port: UInt16
        private let socket: Int32

        public struct Failed: Error {}

        public init() throws {
            guard let (socket, port) = loopbackSocket(listening: false) else { throw Failed() }
            self.socket = socket
            self.port = port
        }

        deinit { _ = Glibc.close(socket) }
    }
#endif
