// SPDX-License-Identifier: Apache-2.0
import RLP

extension SessionSecrets {
    /// The names a secrets text uses, one `name hex` pair per line (`#` starts a comment).
    public static let textFields = ["aes-secret", "mac-secret", "initiator-nonce", "recipient-nonce", "auth", "ack"]

    /// Reads secrets written as lines of `name hex`: `aes-secret` and `mac-secret` (32 bytes each),
    /// `initiator-nonce` and `recipient-nonce` (32 bytes each), `auth` and `ack` (the packets exactly as on the
    /// wire, EIP-8 size prefix included). Enough to rebuild both directions' ciphers and MACs.
    public init(text: String, role: Role) throws(HandshakeError) {
        var values: [String: [UInt8]] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" || $0 == ":" })
            guard let name = parts.first else { continue }
            guard Self.textFields.contains(String(name)), parts.count == 2 else {
                throw HandshakeError(
                    .invalidSecretsText, "expected one of \(Self.textFields.joined(separator: ", ")) and a hex value", line: index + 1)
            }
            do {
                values[String(name)] = try Hex.decode(parts[1])
            } catch {
                throw HandshakeError(.invalidSecretsText, error.description, line: index + 1)
            }
        }
        for field in Self.textFields where values[field] == nil {
            throw HandshakeError(.invalidSecretsText, "\(field) is missing")
        }
        for field in Self.textFields.prefix(4) where values[field]?.count != 32 {
            throw HandshakeError(.invalidSecretsText, "\(field) must be 32 bytes")
        }
        self.init(
            role: role, aesSecret: values["aes-secret"] ?? [], macSecret: values["mac-secret"] ?? [],
            initiatorNonce: values["initiator-nonce"] ?? [], recipientNonce: values["recipient-nonce"] ?? [],
            authPacket: values["auth"] ?? [], ackPacket: values["ack"] ?? [])
    }

    /// The secrets as ``init(text:role:)`` reads them. It decrypts traffic: keep it private.
    public var text: String {
        [
            ("aes-secret", aesSecret), ("mac-secret", macSecret), ("initiator-nonce", initiatorNonce),
            ("recipient-nonce", recipientNonce), ("auth", authPacket), ("ack", ackPacket),
        ].map { "\($0.0) \(Hex.encode($0.1))\n" }.joined()
    }
}
