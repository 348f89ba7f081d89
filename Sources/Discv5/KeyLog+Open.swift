// SPDX-License-Identifier: Apache-2.0

extension Discv5KeyLogEntry {
    /// The key `source` writes with in this session: the initiator key when it is the initiator, the recipient key
    /// when it is the recipient; nil when the entry is not the session of `source` and `destination`.
    public func writeKey(source: [UInt8], destination: [UInt8]) -> [UInt8]? {
        if initiatorID == source && recipientID == destination { return keys.initiatorKey }
        if initiatorID == destination && recipientID == source { return keys.recipientKey }
        return nil
    }

    /// The message of `packet` (ordinary or handshake) from `source` to `destination`, decrypted with the first of
    /// `entries` whose key opens it; nil when none does (the random packet that starts a handshake, a session the
    /// key log lacks).
    /// - Throws: the message's decoding error, when a key opens it and it does not decode.
    public static func open(
        _ packet: Packet, source: [UInt8], destination: [UInt8], entries: [Discv5KeyLogEntry]
    ) throws(Discv5Error) -> Message? {
        for entry in entries {
            guard let key = entry.writeKey(source: source, destination: destination),
                let plaintext = try? packet.openPlaintext(key: key)
            else { continue }
            return try Message(decoding: plaintext)
        }
        return nil
    }
}
