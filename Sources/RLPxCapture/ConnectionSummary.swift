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
}
