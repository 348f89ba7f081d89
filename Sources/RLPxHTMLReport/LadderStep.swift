// SPDX-License-Identifier: Apache-2.0
import RLPxConformance
import RLPxEvents

/// One drawn step of a connection's ladder: a handshake packet, a message, a fault or the close.
public struct LadderStep: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case handshake, message, frame, fault, closed, opened, identities
    }

    public var kind: Kind
    /// The step's position among all of its connection's steps (from 0): gaps in it are steps left out.
    public var index: Int
    public var time: Double
    /// The sending side (nil for the close and other steps of the connection as a whole).
    public var side: Side?
    /// `p2p`, `eth/69`, … for messages; empty otherwise.
    public var protocolLabel: String
    /// The message's name, or what the step is (`auth eip8`, `bad MAC`, `closed`).
    public var name: String
    /// Payload bytes (messages), packet bytes (handshake) or frame bytes.
    public var size: Int
    /// The transcript's one-line summary.
    public var summary: String
    /// The decoded fields as an indented tree (clipped), for messages.
    public var tree: String
    /// The first bytes of the payload, in hex.
    public var hex: String
    /// Whether `hex` holds only the start of the payload.
    public var hexClipped: Bool
    /// Numbers of the findings this step raised (indices into ``LadderRecorder/findings``).
    public var findings: [Int] = []
}

/// The drawn part of one connection.
public struct Ladder: Sendable {
    public var connection: Int
    public var initiator: String
    public var recipient: String
    /// Drawn steps, in order.
    public var steps: [LadderStep]
    /// Steps the connection had in all.
    public var total: Int
    public var firstTime: Double?
    public var lastTime: Double?

    /// Steps left out of the drawing.
    public var omitted: Int { total - steps.count }
}
