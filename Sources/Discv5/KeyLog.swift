// SPDX-License-Identifier: Apache-2.0
import RLP

/// One line of a discv5 key log: the two AES-GCM keys of one session, enough for a capture replay to read its
/// messages. Headers need no key (they are masked with the destination's node ID), so a line names both node IDs.
///
///     DISCV5_SESSION <initiator-id> <recipient-id> <initiator-key> <recipient-key>
///
/// Fields are lowercase hex: node IDs are 32 bytes, keys 16. The initiator is the node that answered a WHOAREYOU
/// with a handshake packet; it writes with `initiator-key`, the recipient with `recipient-key`. Lines starting with
/// `#` and blank lines are ignored; a later line for the same pair of nodes replaces an earlier one only for packets
/// the earlier keys do not open. A key log decrypts traffic: keep it private.
public struct Discv5KeyLogEntry: Sendable, Hashable {
    public static let label = "DISCV5_SESSION"

    public var initiatorID: [UInt8]
    public var recipientID: [UInt8]
    public var keys: SessionKeys

    /// An entry for a session between two nodes.
    public init(initiatorID: [UInt8], recipientID: [UInt8], keys: SessionKeys) {
        self.initiatorID = initiatorID
        self.recipientID = recipientID
        self.keys = keys
    }

    /// Parses one line; nil for comments, blank lines and lines of other labels (an RLPx key log may share the file).
    /// - Throws: ``Discv5Error/Code/invalidKeyLog``.
    public init?(line: some StringProtocol) throws(Discv5Error) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard let first = fields.first, first == Self.label else { return nil }
        guard fields.count == 5 else { throw Discv5Error(.invalidKeyLog, "expected 5 fields, found \(fields.count)") }
        var values: [[UInt8]] = []
        for (index, field) in fields.dropFirst().enumerated() {
            let size = index < 2 ? 32 : 16
            guard let bytes = try? Hex.decode(field), bytes.count == size else {
                throw Discv5Error(.invalidKeyLog, "'\(field.prefix(16))…' is not \(size) bytes of hex", field: "line")
            }
            values.append(bytes)
        }
        initiatorID = values[0]
        recipientID = values[1]
        keys = SessionKeys(initiatorKey: values[2], recipientKey: values[3])
    }

    /// The line, without a newline.
    public var line: String {
        ([Self.label] + [initiatorID, recipientID, keys.initiatorKey, keys.recipientKey].map { Hex.encode($0) })
            .joined(separator: " ")
    }

    /// Every entry of a key log's text, in order.
    /// - Throws: ``Discv5Error/Code/invalidKeyLog``, naming the line.
    public static func parse(_ text: String) throws(Discv5Error) -> [Discv5KeyLogEntry] {
        var entries: [Discv5KeyLogEntry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do throws(Discv5Error) {
                if let entry = try Discv5KeyLogEntry(line: line) { entries.append(entry) }
            } catch {
                throw Discv5Error(.invalidKeyLog, "line \(index + 1): \(error.reason)")
            }
        }
        return entries
    }
}
