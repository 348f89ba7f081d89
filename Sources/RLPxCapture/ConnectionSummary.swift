// SPDX-License-Identifier: Apache-2.0
import RLPxHandshake

/// What the capture showed about one TCP connection.
public struct ConnectionSummary: Sendable, Hashable {
    public var id: Int
    public var initiator: Endpoint
    public var recipient: Endpoint
    public var status: Status
    public var authFormat: HandshakeFormat?
    public var authSize: Int?
    public var ackSize: Int?
    public var bytesFromInitiator: Int = 0
    public var bytesFromRecipient: Int = 0
    public var notes: [String] = []

    /// How far a connection could be read; the raw value is what reports print.
    public enum Status: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// An RLPx session whose key-log line was found: decrypted and checked.
        case decrypted
        /// An RLPx session the key log has no line for: nothing in it was decrypted or checked.
        case undecrypted = "encrypted, no key"
        /// No RLPx handshake seen (yet), or a size prefix no handshake packet can have.
        case notRLPx = "not RLPx"
        /// The capture began after the connection did (no SYN): skipped.
        case startedBeforeCapture = "started before the capture"

        public var description: String { rawValue }
    }

    /// An RLPx session the key log has no line for: nothing in it was decrypted or checked.
    public var isUndecrypted: Bool { status == .undecrypted }

    /// An RLPx session (its handshake seen), decrypted or not.
    public var isRLPxSession: Bool { status == .decrypted || status == .undecrypted }
}
