// SPDX-License-Identifier: Apache-2.0
import DevP2P
import Logging
import RLPxCrypto
import RLPxMultiplexing

/// A node's settings for the runner: the session's (key, protocols, timeouts) plus the runner's own.
public struct PeerConfiguration: Sendable {
    /// Key, protocols, client ID and every protocol timeout.
    public var session: SessionConfiguration
    /// A listener refuses sessions beyond this with "too many peers". Connections still in the encryption handshake
    /// do not count: they have their own budget.
    public var maximumPeers: Int = 50
    /// Connections a listener lets run the encryption handshake at once (as go-ethereum's MaxPendingPeers). When full, a new
    /// connection evicts the oldest pending one of the address with the most pending, if the newcomer's address
    /// has fewer; otherwise the newcomer is closed at once. Established peers are never affected.
    public var maximumPending: Int = 50
    /// Pending handshakes one remote address may hold; more from it wait for a slot (see ``maximumWaiting``).
    public var maximumPendingPerAddress: Int = 8
    /// Accepted connections that may wait, unread, for a handshake slot (their address's, or the listener's when
    /// no eviction frees one): a burst of real handshakes from one address completes a few at a time instead of
    /// failing, as go-ethereum holds connections in its accept backlog. Past this many waiting, a newcomer is
    /// closed at once.
    public var maximumWaiting: Int = 1024
    /// How long a connection may wait for a handshake slot before it is closed.
    public var waitLimit: Duration = .seconds(30)
    /// A remote address that connected less than this long ago is refused at once (go-ethereum's inbound throttle,
    /// 30 s). Local-network addresses (loopback, private ranges) are exempt, as in go-ethereum, unless
    /// ``throttlesLocalAddresses`` is set; zero turns the throttle off.
    public var inboundThrottle: Duration = .seconds(30)
    /// Throttle local-network addresses too (tests on loopback set it).
    public var throttlesLocalAddresses = false
    /// Bytes a peer may leave unread in our outbound buffer (it does not read while we answer it, e.g. Pongs to
    /// its Pings); past this it is dropped with "network error" and nothing else is affected.
    public var maximumWriteBuffer: Int = 8 << 20
    /// How often the runner's clock ticks the session (ping and timeout checks).
    public var tickInterval: Duration = .milliseconds(250)
    /// Inbound messages buffered per protocol before the runner stops reading from the socket.
    public var inboundHighWatermark = 256
    /// Reading resumes once a protocol's buffer drains to this.
    public var inboundLowWatermark = 64
    /// Handshake milestones at debug, each message at trace; keys and payloads never.
    public var logger: Logger
    /// When set, every session's secrets are appended here as it completes its handshake.
    public var keyLog: KeyLogWriter?

    public init(session: SessionConfiguration, logger: Logger = Logger(label: "rlpx.peer")) {
        self.session = session
        self.logger = logger
    }
}
