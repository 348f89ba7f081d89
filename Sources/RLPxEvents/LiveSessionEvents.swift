// SPDX-License-Identifier: Apache-2.0
import DevP2P
import RLP
import RLPxMultiplexing

/// Turns what a live session does (its `SessionEvent`s and the messages the local side sends) into the same
/// ``ConnectionEvent`` stream a replayed capture gives, so the conformance rules check a live peer exactly as they
/// check a capture. Pure: the caller passes the time.
public struct LiveSessionEvents {
    public let connection: Int
    /// The local side's role in the handshake.
    public let local: Side
    /// The Hello the local session sends once the handshake completes (`SessionConfiguration.hello`).
    public let localHello: Hello
    private var matched: [MatchedProtocol] = []

    public init(connection: Int, local: Side, localHello: Hello) {
        self.connection = connection
        self.local = local
        self.localHello = localHello
    }

    var remote: Side { local.other }

    /// The connection opened (endpoints as text, initiator first).
    public func opened(initiator: String, recipient: String, time: Double) -> ConnectionEvent {
        ConnectionEvent(connection: connection, time: time, kind: .opened(initiator: initiator, recipient: recipient))
    }

    /// The events a session event stands for (after the handshake, the local Hello too).
    public mutating func received(_ event: SessionEvent, time: Double) -> [ConnectionEvent] {
        func make(_ kind: ConnectionEvent.Kind) -> ConnectionEvent { ConnectionEvent(connection: connection, time: time, kind: kind) }
        func base(_ side: Side, _ code: UInt64, _ name: String, _ payload: [UInt8], _ value: DecodedMessage.Value) -> ConnectionEvent {
            make(
                .message(
                    side,
                    DecodedMessage(
                        protocolName: "p2p", version: nil, code: code, wireCode: code, name: name, payload: payload, value: value)))
        }
        switch event {
        case .handshakeCompleted(let key, let format):
            let (remoteID, localID) = (key.nodeID, localHello.nodeID)
            return [
                make(.handshake(remote, format: format, size: 0)),
                make(.identities(initiator: local == .initiator ? localID : remoteID, recipient: local == .recipient ? localID : remoteID)),
                base(local, BaseProtocol.helloCode, "Hello", localHello.rlpEncoded(), .hello(localHello)),
            ]
        case .helloReceived(let hello, let matched):
            self.matched = matched
            return [base(remote, BaseProtocol.helloCode, "Hello", hello.rlpEncoded(), .hello(hello))]
        case .message(let matched, let code, let payload):
            return [
                make(
                    .message(
                        remote,
                        .subprotocol(
                            matched.name, version: matched.version, code: code, wireCode: matched.offset + code, payload: payload)))
            ]
        case .pingAnswered:
            return [base(remote, BaseProtocol.pingCode, "Ping", [0xc0], .ping), base(local, BaseProtocol.pongCode, "Pong", [0xc0], .pong)]
        case .pong:
            return [base(remote, BaseProtocol.pongCode, "Pong", [0xc0], .pong)]
        case .disconnected(let reason, let origin, _):
            let side = origin == .local ? local : remote
            return [base(side, BaseProtocol.disconnectCode, "Disconnect", reason.payload, .disconnect(reason)), make(.closed)]
        }
    }

    /// A subprotocol message the local side sent (code as its protocol numbers it).
    public func sent(protocol name: String, code: UInt64, payload: [UInt8], time: Double) -> ConnectionEvent? {
        guard let protocolRange = matched.first(where: { $0.name == name }) else { return nil }
        return ConnectionEvent(
            connection: connection, time: time,
            kind: .message(
                local,
                .subprotocol(
                    name, version: protocolRange.version, code: code, wireCode: protocolRange.offset + code, payload: payload)))
    }

    /// The connection ended without a Disconnect (the socket closed).
    public func closed(time: Double) -> ConnectionEvent {
        ConnectionEvent(connection: connection, time: time, kind: .closed)
    }
}
