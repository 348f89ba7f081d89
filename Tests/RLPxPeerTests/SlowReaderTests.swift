// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Foundation
import NIOConcurrencyHelpers
import RLPxCrypto
import RLPxPeer
import RLPxTestSupport
import Testing

#if canImport(Glibc)
    import Glibc

    /// A peer that never reads cannot grow our outbound buffer without bound: it is dropped past the write-buffer cap,
    /// and the listener's other peers are untouched.
    @Suite(.serialized, .timeLimit(.minutes(1))) struct SlowReaderTests {
        /// A blocking client that completes the handshake and Hello, then only writes.
        struct NonReadingClient {
            let socket: Int32
            var session: Session
            var random = SystemRandom()

            init(port: Int, key: Secp256k1.PublicKey) throws {
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                self.socket = socket
                // A small receive buffer: the kernel holds little of what the listener sends, so its own buffer grows soon.
                var size: Int32 = 4096
                setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                address.sin_port = UInt16(port).bigEndian
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else { throw StalledConnection.Failed() }
                var generator = SystemRandom()
                let configuration = SessionConfiguration(
                    staticKey: .random(using: &generator), protocols: peerConfiguration().session.protocols, clientID: "slow-reader")
                let (session, auth) = Session.initiator(configuration, remotePublicKey: key, now: .now, random: &generator)
                self.session = session
                write(auth.bytes)
                var buffer = [UInt8](repeating: 0, count: 65536)
                while !self.session.isActive && !self.session.isClosed {
                    let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                    guard count > 0 else { throw StalledConnection.Failed() }
                    let output = self.session.receive(buffer[..<count], now: .now, random: &random)
                    write(output.bytes)
                }
            }

            /// `count` Pings, sealed now (each frame continues the MAC chain, so none can be sent twice).
            mutating func pings(_ count: Int) -> [UInt8] {
                var bytes: [UInt8] = []
                for _ in 0..<count { bytes += session.sendUnchecked(wireCode: BaseProtocol.pingCode, payload: [0xc0]).bytes }
                return bytes
            }

            /// Writes `bytes`; false once the listener has closed the connection.
            @discardableResult
            func write(_ bytes: [UInt8]) -> Bool {
                var sent = 0
                while sent < bytes.count {
                    let count = bytes.withUnsafeBytes { send(socket, $0.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                    guard count > 0 else { return false }
                    sent += count
                }
                return true
            }
        }

        @Test func aPeerThatNeverReadsIsDroppedAtTheCap() async throws {
            var configuration = peerConfiguration()
            configuration.maximumWriteBuffer = 256 * 1024
            let ends = NIOLockedValueBox<[String]>([])
            let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: configuration) { connection in
                let end = await connection.waitUntilClosed()
                ends.withLockedValue { $0.append("\(end.disconnectReason.rawValue) \(end.origin.rawValue) \(end.reason)") }
            }
            var client = try NonReadingClient(port: listener.enodeURL.port, key: listener.enodeURL.publicKey)
            let bystander = try await RLPxNode.dial(listener.enodeURL, configuration: peerConfiguration())
            #expect(listener.sessionCount == 2)
            // Pings in batches (each frame sealed once, in order): every one is answered with a Pong the client never reads.
            var rounds = 0
            while rounds < 400, listener.sessionCount == 2, client.write(client.pings(2000)) {
                rounds += 1
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(listener.sessionCount == 1, "dropped after \(rounds) rounds of 2,000 Pings")
            #expect(
                ends.withLockedValue { $0 }.contains { $0.hasPrefix("1 local the peer left") && $0.hasSuffix("unread (limit 262144)") },
                "\(ends.withLockedValue { $0 })")
            _ = try await bystander.ping()
            await bystander.disconnect(.requested)
            close(client.socket)
            await listener.close()
        }

        /// The same flood under a cap it does not reach leaves the peer connected: the drop above is the cap's.
        @Test func belowTheCapThePeerStays() async throws {
            var configuration = peerConfiguration()
            configuration.maximumWriteBuffer = 64 << 20
            let listener = try await RLPxListener.bind(host: "127.0.0.1", port: 0, configuration: configuration, handler: echo)
            var client = try NonReadingClient(port: listener.enodeURL.port, key: listener.enodeURL.publicKey)
            var written = 0
            for _ in 0..<20 where client.write(client.pings(2000)) {
                written += 1
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(written == 20)
            #expect(listener.sessionCount == 1)
            close(client.socket)
            await listener.close()
        }
    }
#endif
