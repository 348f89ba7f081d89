// SPDX-License-Identifier: Apache-2.0
import Keccak
import RLP

/// One line of an RLPx key log: what a capture replay needs to decrypt one connection, keyed by something the
/// capture itself shows.
///
///     RLPX_SESSION <auth-hash> <aes-secret> <mac-secret> <initiator-nonce> <recipient-nonce> [<initiator-id> <recipient-id>]
///
/// All fields are lowercase hex: `auth-hash` is keccak256 of the auth packet exactly as on the wire (EIP-8 size
/// prefix included), the next four are 32 bytes each, and the optional node IDs (64 bytes each) let a replay
/// check that each Hello names the key of its handshake. The auth and ack packets themselves come from the capture, so
/// any implementation that knows its session's secrets and nonces can write a line. Lines starting with `#` and
/// blank lines are ignored. A key log decrypts traffic: keep it private.
public struct KeyLogEntry: Sendable, Hashable {
    public static let label = "RLPX_SESSION"
    /// The label of discv5's key-log lines (`Discv5KeyLogEntry`), which this parser skips.
    static let discv5Label = "DISCV5_SESSION"

    public var authHash: [UInt8]
    public var aesSecret: [UInt8]
    public var macSecret: [UInt8]
    public var initiatorNonce: [UInt8]
    public var recipientNonce: [UInt8]
    /// The initiator's and recipient's node IDs, when the writer knew them.
    public var initiatorID: [UInt8]?
    public var recipientID: [UInt8]?

    /// The entry for a session's secrets, with the two node IDs when known.
    public init(secrets: SessionSecrets, initiatorID: [UInt8]? = nil, recipientID: [UInt8]? = nil) {
        self.initiatorID = initiatorID
        self.recipientID = recipientID
        authHash = Keccak256.hash(secrets.authPacket)
        aesSecret = secrets.aesSecret
        macSecret = secrets.macSecret
        initiatorNonce = secrets.initiatorNonce
        recipientNonce = secrets.recipientNonce
    }

    /// Parses one line; nil for comments, blank lines and discv5 lines (`DISCV5_SESSION`: a key log may hold both).
    /// - Throws: ``HandshakeError/Code/invalidKeyLog``.
    public init?(line: some StringProtocol) throws(HandshakeError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = fields.first, !first.hasPrefix("#"), first != Self.discv5Label else { return nil }
        guard first == Self.label else { throw HandshakeError(.invalidKeyLog, "unknown label \(first)") }
        guard fields.count == 6 || fields.count == 8 else {
            throw HandshakeError(.invalidKeyLog, "expected 6 or 8 fields, found \(fields.count)")
        }
        var values: [[UInt8]] = []
        for (index, field) in fields.dropFirst().enumerated() {
            let size = index < 5 ? 32 : 64
            guard let bytes = try? Hex.decode(field), bytes.count == size else {
                throw HandshakeError(.invalidKeyLog, "'\(field.prefix(16))…' is not \(size) bytes of hex")
            }
            values.append(bytes)
        }
        (authHash, aesSecret, macSecret, initiatorNonce, recipientNonce) = (values[0], values[1], values[2], values[3], values[4])
        (initiatorID, recipientID) = values.count == 7 ? (values[5], values[6]) : (nil, nil)
    }

    /// The line, without a newline.
    public var line: String {
        let ids = initiatorID.flatMap { initiator in recipientID.map { [initiator, $0] } } ?? []
        return ([Self.label] + ([authHash, aesSecret, macSecret, initiatorNonce, recipientNonce] + ids).map { Hex.encode($0) })
            .joined(separator: " ")
    }

    /// The session's secrets, given the auth and ack packets read from the capture.
    public func secrets(role: Role, authPacket: [UInt8], ackPacket: [UInt8]) -> SessionSecrets {
        SessionSecrets(
            role: role, aesSecret: aesSecret, macSecret: macSecret, initiatorNonce: initiatorNonce,
            recipientNonce: recipientNonce, authPacket: authPacket, ackPacket: ackPacket)
    }

    /// The entry of the session whose auth packet (as on the wire) is `authPacket`, from a key log's text.
    public static func entry(in text: String, authPacket: some Collection<UInt8>) throws(HandshakeError) -> KeyLogEntry? {
        try parse(text)[Keccak256.hash(Array(authPacket))]
    }

    /// Reads every entry of a key log, keyed by auth hash.
    /// - Throws: ``HandshakeError/Code/invalidKeyLog``, with the line.
    public static func parse(_ text: String) throws(HandshakeError) -> [[UInt8]: KeyLogEntry] {
        var entries: [[UInt8]: KeyLogEntry] = [:]
        for (index, line) in text.split(separator: "\n").enumerated() {
            do throws(HandshakeError) {
                if let entry = try KeyLogEntry(line: line) { entries[entry.authHash] = entry }
            } catch {
                throw HandshakeError(.invalidKeyLog, error.reason, line: index + 1)
            }
        }
        return entries
    }
}
