// SPDX-License-Identifier: Apache-2.0
import RLPxCrypto
import RLPxFraming
import RLPxHandshake
import RLPxMultiplexing

/// What a session needs to know about this node, and its limits and timings (defaults from go-ethereum).
public struct SessionConfiguration: Sendable {
    /// This node's static key; its public key is the node ID sent in Hello.
    public var staticKey: Secp256k1.PrivateKey
    /// The protocols this node runs.
    public var protocols: [ProtocolSpec]
    public var clientID: String
    public var listenPort: UInt64
    /// The p2p version announced in Hello.
    public var protocolVersion: UInt64 = BaseProtocol.version
    /// The auth format an initiator sends.
    public var handshakeFormat: HandshakeFormat = .eip8
    /// The encryption handshake must complete within this after the session starts (go-ethereum
    /// `handshakeTimeout`, 5 s).
    public var handshakeTimeout: Duration = .seconds(5)
    /// The remote Hello must arrive within this after the encryption handshake.
    public var helloTimeout: Duration = .seconds(5)
    /// A Ping goes out after this much time without one (go-ethereum `pingInterval`, 15 s).
    public var pingInterval: Duration = .seconds(15)
    /// Nothing received for this long ends the session with "read timeout" (go-ethereum `frameReadTimeout`, 30 s).
    public var readTimeout: Duration = .seconds(30)
    /// Frames above this size are refused before their bodies arrive.
    public var maximumFrameSize: Int = Frame.maximumSize
    /// Fault injection for conformance captures: when false, Pings are not answered. Never change it otherwise.
    public var answersPings = true
    /// Whether the session sends its Hello after the handshake. A fault-injection seam for conformance probes that
    /// must send something else first (another message, a Hello of their own); a node always sends it.
    public var sendsHello = true
    /// Decides, once the encryption handshake has proved the remote key, whether this node takes the peer: nil to
    /// go on, or the reason to disconnect with before any Hello (go-ethereum's post-handshake checks: a node ID it
    /// already has a session with is ``DisconnectReason/alreadyConnected``, a full table ``DisconnectReason/tooManyPeers``).
    /// The runner answers from its own state; the session only asks.
    public var admission: (@Sendable (Secp256k1.PublicKey) -> DisconnectReason?)?

    public init(
        staticKey: Secp256k1.PrivateKey, protocols: [ProtocolSpec], clientID: String = "swift-rlpx/0.1",
        listenPort: UInt64 = 0
    ) {
        self.staticKey = staticKey
        self.protocols = protocols
        self.clientID = clientID
        self.listenPort = listenPort
    }

    /// The Hello a session with this configuration sends.
    public var hello: Hello {
        Hello(
            protocolVersion: protocolVersion, clientID: clientID, capabilities: protocols.map(\.capability),
            listenPort: listenPort, nodeID: staticKey.publicKey.nodeID)
    }
}

/// Who ended a session.
public enum Origin: String, Sendable, Hashable {
    case local
    case remote
}

/// What a session reports.
public enum SessionEvent: Sendable, Hashable {
    /// The encryption handshake finished.
    case handshakeCompleted(remotePublicKey: Secp256k1.PublicKey, format: HandshakeFormat)
    /// The remote Hello arrived and was accepted; `matched` are the shared protocols and their code ranges.
    case helloReceived(Hello, matched: [MatchedProtocol])
    /// A subprotocol message, with the code that protocol sees (from 0).
    case message(protocol: MatchedProtocol, code: UInt64, payload: [UInt8])
    /// The remote pinged and we answered.
    case pingAnswered
    /// Our Ping was answered after `roundTrip`.
    case pong(roundTrip: Duration)
    /// The session ended; nothing more is sent.
    case disconnected(DisconnectReason, origin: Origin, detail: String)
}

/// What to do after feeding a session: write `bytes`, handle `events`, and close the connection if `close`.
public struct SessionOutput: Sendable {
    public var bytes: [UInt8] = []
    public var events: [SessionEvent] = []
    /// Close the connection once `bytes` are written.
    public var close = false

    public init() {}
}
