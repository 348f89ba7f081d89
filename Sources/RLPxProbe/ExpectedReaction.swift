// SPDX-License-Identifier: Apache-2.0
import DevP2P

/// A reaction of the node that a probe test accepts, as a value: the reports print a test's list, and the runner
/// gives OK only to an observed reaction the list accepts (``ProbeSuite/run(_:against:introduction:timeout:strict:known:engine:dialer:keyLog:report:)``).
public enum ExpectedReaction: Hashable, Sendable, CustomStringConvertible {
    /// The handshake completes (an ack that decodes).
    case handshake
    /// The session opens: an ack, then the node's Hello.
    case session
    /// A message of this name (`Pong`, `BlockHeaders`, ...), whose content the test's ``ProbeTest/content`` states.
    case message(String)
    /// A Disconnect with one of these reasons (nil: any reason).
    case disconnect(Set<DisconnectReason>?)
    /// The connection closed without a Disconnect.
    case closed
    /// Nothing the test waits for within the wait, and the connection kept (no Disconnect, no close).
    case silence
    /// Bytes the probe's own session refuses, which ends the session (accepted only where the test looks at nothing
    /// but whether a message comes).
    case refusedByProbe

    /// Whether `observed` is this reaction.
    public func accepts(_ observed: ObservedReaction) -> Bool {
        switch (self, observed) {
        case (.handshake, .handshake), (.session, .session), (.closed, .closed), (.silence, .silence), (.refusedByProbe, .refusedByProbe): true
        case (.message(let name), .message(let got)): name == got
        case (.disconnect(let reasons), .disconnect(let reason)): reasons?.contains(reason) ?? true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .handshake: "an ack that completes the handshake"
        case .session: "an ack, then the node's Hello"
        case .message(let name): name
        case .disconnect(nil): "a Disconnect"
        case .disconnect(let reasons?):
            reasons.count > 5
                ? "any Disconnect"
                : "Disconnect " + reasons.sorted { $0.rawValue < $1.rawValue }.map { "\($0.rawValue) (\($0))" }.joined(separator: " or ")
        case .closed: "the connection closed"
        case .silence: "silence (no Disconnect, the connection kept)"
        case .refusedByProbe: "bytes the probe's session refuses"
        }
    }
}

extension [ExpectedReaction] {
    /// How a node refuses: a Disconnect with one of `reasons` (nil: any), or a close.
    public static func refusal(_ reasons: Set<DisconnectReason>?) -> [ExpectedReaction] { [.disconnect(reasons), .closed] }
}

/// What the node did, as a test's body observed it; the runner matches it against the test's expected reactions.
public enum ObservedReaction: Equatable, Sendable {
    case handshake
    case session
    /// A message, by name (eth and snap messages by their names, `Pong`; another session event as the transcript
    /// says it).
    case message(String)
    case disconnect(DisconnectReason)
    /// The connection closed without a Disconnect (reset: aborted).
    case closed(reset: Bool)
    /// Nothing the test waited for within its wait, the connection kept.
    case silence
    /// Bytes the probe's session refused (the detail says why); it ends the session.
    case refusedByProbe(String)
    /// Something no test accepts: bytes where none were due, an answer that does not decode.
    case other(String)
}

extension Reaction {
    /// The reaction as the runner judges it.
    var observed: ObservedReaction {
        switch self {
        case .event(.handshakeCompleted): .handshake
        case .event(.helloReceived): .session
        case .event(.pong): .message("Pong")
        case .event(let event): .message(Reaction.describe(event))
        case .disconnect(let reason): .disconnect(reason)
        case .closed(let reset): .closed(reset: reset)
        case .refused(let detail): .refusedByProbe(detail)
        case .silence: .silence
        }
    }
}
