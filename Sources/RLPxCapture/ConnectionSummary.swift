// SPDX-License-Identifier: Apache-2.0

/// What the capture showed about one TCP connection.
public struct ConnectionSummary: Sendable, Hashable {
    public var id: Int
    public var initiator: Endpoint
    public var recipient: Endpoint
    /// "decrypted", "encrypted, no key", "not RLPx", "started before the capture".
    public var status: String
    public var authFormat: String?
    public var authSize: Int?
    public var ackSize: Int?
    public var bytesFromInitiator: Int = 0
    public var bytesFromRecipient: Int = 0
    public var notes: [String] = []

    /// An RLPx session the key log has no line for: nothing in it was decrypted or checked.
    public var isUndecrypted: Bool { status == Self.undecrypted }

    /// An RLPx session (its handshake seen), decrypted or not.
    public var isRLPxSession: Bool { status == Self.decrypted || status == Self.undecrypted }

    /// The statuses of a session with and without its key log line.
    static let decrypted = "decrypted", undecrypted = "encrypted, no key"
}
